// Training-mode batch normalisation over the rows of an [N, C] (channels-last) matrix, forward and backward
// in two memory passes each (Ioffe & Szegedy 2015; the gradient as lib/backend/batchnorm.ts computes it).
#pragma once
#include <node_api.h>

namespace un {

/** Adds bnTrainForward / bnTrainBackward to the addon's exports. */
void registerBatchNorm(napi_env env, napi_value exports);

}  // namespace un
