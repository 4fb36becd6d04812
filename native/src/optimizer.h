// Node-API registration of the fused optimiser update (optimizer.cc).
#pragma once
#include <node_api.h>

namespace un {
void registerOptimizer(napi_env env, napi_value exports);
}
