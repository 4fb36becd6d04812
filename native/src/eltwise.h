// Element-wise, broadcast and reduction kernels for the hot TF.js ops of ResNet training (OpenMP loops).
#pragma once
#include <node_api.h>

namespace un {

/** Adds the element-wise kernels' entry points to the addon's exports. */
void registerEltwise(napi_env env, napi_value exports);

}  // namespace un
