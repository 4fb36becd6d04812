// Element-wise, broadcast and reduction kernels for the hot TF.js ops of ResNet training (OpenMP loops
// over float32 storage; results rounded like TF.js's cpu kernels, which compute in double).
#pragma once
#include <node_api.h>

namespace un {

/** Adds the element-wise kernels' entry points (unary, binary, reduce, batchNormInfer) to the exports. */
void registerEltwise(napi_env env, napi_value exports);

}  // namespace un
