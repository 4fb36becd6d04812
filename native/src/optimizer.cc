// One native call for a whole optimiser update of every parameter (PyTorch's torch.optim.SGD with momentum,
// Nesterov and L2 weight decay added to the gradient; torch.optim.Adam), instead of ~6 tfjs kernels per
// parameter. The arithmetic is float32 in the order of lib/train/optimizer.ts's tfjs path (no FMA: this file
// is compiled for baseline x86-64), so both paths give the same bits.
#include "optimizer.h"
#include <omp.h>
#include <cmath>
#include <vector>
#include "kernels.h"
#include "napi_util.h"

namespace un {
namespace {

/** The Float32Arrays of a JS array argument; null/undefined entries (absent slots) become empty views. */
std::vector<View<float>> arrays(napi_env env, napi_value v, const char* name, bool nullable) {
  bool is = false;
  check(napi_is_array(env, v, &is), "is_array");
  if (!is) throw ArgError(std::string(name) + " must be an array of Float32Arrays");
  uint32_t n = 0;
  check(napi_get_array_length(env, v, &n), "array_length");
  std::vector<View<float>> out(n);
  for (uint32_t i = 0; i < n; i++) {
    napi_value e;
    check(napi_get_element(env, v, i, &e), "get_element");
    napi_valuetype t;
    check(napi_typeof(env, e, &t), "typeof");
    if (t == napi_null || t == napi_undefined) {
      if (!nullable) throw ArgError(std::string(name) + "[" + std::to_string(i) + "] is missing");
      continue;
    }
    out[i] = typedArg<float>(env, e, name);
  }
  return out;
}

struct Hyper {
  float lr, momentum, weightDecay, beta1, beta2, eps, oneMinusBeta1, oneMinusBeta2, biasCorrection1, biasCorrection2;
  bool nesterov;
};

void sgd(const Hyper& h, const float* p, const float* g, const float* buf, float* po, float* bo, size_t n) {
  for (size_t i = 0; i < n; i++) {
    float gi = h.weightDecay != 0.0f ? g[i] + p[i] * h.weightDecay : g[i];
    float d = gi;
    if (buf) {
      const float b = buf[i] * h.momentum + gi;  // PyTorch: buf = momentum·buf + g (buf = g at the first step)
      bo[i] = b;
      d = h.nesterov ? gi + b * h.momentum : b;
    }
    po[i] = p[i] - d * h.lr;
  }
}

void adam(const Hyper& h, const float* p, const float* g, const float* m, const float* v, float* po, float* mo, float* vo, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const float gi = h.weightDecay != 0.0f ? g[i] + p[i] * h.weightDecay : g[i];
    const float mi = m[i] * h.beta1 + gi * h.oneMinusBeta1;
    const float vi = v[i] * h.beta2 + (gi * gi) * h.oneMinusBeta2;
    mo[i] = mi;
    vo[i] = vi;
    const float mHat = mi / h.biasCorrection1, vHat = vi / h.biasCorrection2;
    po[i] = p[i] - (mHat / (std::sqrt(vHat) + h.eps)) * h.lr;
  }
}

/**
 * optimizerStep(kind, hyper, params, grads, slotA, slotB, outParams, outA, outB): kind 0 = SGD (slotA =
 * momentum buffers or nulls), 1 = Adam (slotA = m, slotB = v). hyper = Float32Array [lr, momentum, weightDecay,
 * nesterov, beta1, beta2, eps, 1−beta1, 1−beta2, 1−beta1^t, 1−beta2^t].
 */
napi_value Step(napi_env env, napi_callback_info info) {
  return wrap(env, [&] {
    auto a = args(env, info, 9);
    const int kind = static_cast<int>(intArg(env, a[0], "kind"));
    auto hv = typedArg<float>(env, a[1], "hyper");
    needLength(hv.length, 11, "hyper");
    const float* x = hv.data;
    const Hyper h{x[0], x[1], x[2], x[4], x[5], x[6], x[7], x[8], x[9], x[10], x[3] != 0.0f};
    auto P = arrays(env, a[2], "params", false), G = arrays(env, a[3], "grads", false);
    auto A = arrays(env, a[4], "slotA", true), B = arrays(env, a[5], "slotB", true);
    auto PO = arrays(env, a[6], "outParams", false), AO = arrays(env, a[7], "outA", true), BO = arrays(env, a[8], "outB", true);
    const size_t n = P.size();
    for (auto* v : {&G, &A, &B, &PO, &AO, &BO}) if (v->size() != n) throw ArgError("optimizerStep: every list needs one entry per parameter");
    if (kind != 0 && kind != 1) throw ArgError("optimizerStep: kind must be 0 (sgd) or 1 (adam)");
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) {
      const size_t len = P[i].length;
      if (G[i].length != len || PO[i].length != len) throw ArgError("optimizerStep: parameter " + std::to_string(i) + ": gradient/output length differs");
      const bool hasA = A[i].data != nullptr, hasB = B[i].data != nullptr;
      if (kind == 1 && (!hasA || !hasB)) throw ArgError("optimizerStep: adam needs both moment slots");
      if (hasA && (A[i].length != len || AO[i].length != len)) throw ArgError("optimizerStep: slot A length differs");
      if (hasB && (B[i].length != len || BO[i].length != len)) throw ArgError("optimizerStep: slot B length differs");
      total += static_cast<int64_t>(len);
    }
    const int nthr = total >= kParallelMin ? omp_get_max_threads() : 1;
#pragma omp parallel for schedule(dynamic, 1) num_threads(nthr)
    for (int64_t i = 0; i < static_cast<int64_t>(n); i++) {
      if (kind == 0) sgd(h, P[i].data, G[i].data, A[i].data, PO[i].data, AO[i].data, P[i].length);
      else adam(h, P[i].data, G[i].data, A[i].data, B[i].data, PO[i].data, AO[i].data, BO[i].data, P[i].length);
    }
    return undefinedValue(env);
  });
}

}  // namespace

void registerOptimizer(napi_env env, napi_value exports) { defineMethods(env, exports, {{"optimizerStep", Step}}); }

}  // namespace un
