// Element-wise, broadcast and reduction kernels for the hot TF.js ops of ResNet training (OpenMP loops).
#include "eltwise.h"
#include "napi_util.h"

namespace un {

void registerEltwise(napi_env, napi_value) {}

}  // namespace un
