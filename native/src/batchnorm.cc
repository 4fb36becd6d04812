// Training-mode batch normalisation over the rows of an [N, C] (channels-last) matrix (Ioffe & Szegedy
// 2015): forward = per-channel mean/biased variance (one shifted pass, double accumulators) + normalise; backward
// = per-channel Σdy, Σdy·(x−μ) (one pass) + dx = k·dy − (x−μ)·k·σ⁻²·mean(dy·(x−μ)) − k·mean(dy), k = γσ⁻¹.
#include "batchnorm.h"
#include <omp.h>
#include <algorithm>
#include <cmath>
#include <vector>
#include "kernels.h"
#include "napi_util.h"

namespace un {
namespace {

/** Per-channel shifted sums (kernels.h channelSums) with the thread split and scratch chosen here. */
void channelSums(const float* a, const float* mask, const float* b, const double* sa, const double* sb, int64_t n, int64_t c, double* s1, double* s2) {
  const int nthr = n * c >= kParallelMin ? omp_get_max_threads() : 1;
  std::vector<double> part(static_cast<size_t>(kSumParts * paddedRow(2 * sumBlock(c)) + 2 * sumBlock(c)));
  kernels().channelSums(a, mask, b, sa, sb, n, c, nthr, part.data(), s1, s2);
}

/** bnTrainForward(x, gamma, beta, y, mean, variance, C, eps[, relu]): mean and biased variance out, y normalised (then ReLU). */
napi_value Forward(napi_env env, napi_callback_info info) {
  return wrap(env, [&] {
    auto a = args(env, info, 8);
    auto x = typedArg<float>(env, a[0], "x");
    auto gamma = typedArg<float>(env, a[1], "gamma");
    auto beta = typedArg<float>(env, a[2], "beta");
    auto y = typedArg<float>(env, a[3], "y");
    auto mean = typedArg<float>(env, a[4], "mean");
    auto var = typedArg<float>(env, a[5], "variance");
    const int64_t c = intArg(env, a[6], "C");
    const double eps = numArg(env, a[7], "eps");
    const bool relu = a.size() > 8 && intArg(env, a[8], "relu") != 0;
    const int64_t n = rowsOf(x.length, c, "bnTrainForward");
    needLength(gamma.length, c, "gamma"); needLength(beta.length, c, "beta");
    needLength(y.length, n * c, "y"); needLength(mean.length, c, "mean"); needLength(var.length, c, "variance");
    // Shifted one-pass statistics: shift by the first row (close to the mean for typical data).
    std::vector<double> shift(x.data, x.data + c), s1(static_cast<size_t>(c)), s2(static_cast<size_t>(c));
    channelSums(x.data, nullptr, nullptr, shift.data(), nullptr, n, c, s1.data(), s2.data());
    std::vector<float> mul(static_cast<size_t>(c)), add(static_cast<size_t>(c));
    for (int64_t i = 0; i < c; i++) {
      const double d = s1[i] / n, mu = shift[i] + d, v = std::max(0.0, s2[i] / n - d * d);
      const double sc = gamma.data[i] / std::sqrt(v + eps);
      mean.data[i] = static_cast<float>(mu);
      var.data[i] = static_cast<float>(v);
      mul[i] = static_cast<float>(sc);
      add[i] = static_cast<float>(beta.data[i] - mu * sc);
    }
    std::vector<float> scratch(static_cast<size_t>(2 * (c + 256)));
    kernels().affineRows(x.data, mul.data(), add.data(), y.data, n, c, scratch.data(), relu);
    return undefinedValue(env);
  });
}

/** bnTrainBackward(dy, x, mean, variance, gamma, dx, dgamma, dbeta, C, eps[, y]): with y (the forward's ReLU output) dy is first masked by the ReLU. */
napi_value Backward(napi_env env, napi_callback_info info) {
  return wrap(env, [&] {
    auto a = args(env, info, 10);
    auto dy = typedArg<float>(env, a[0], "dy");
    auto x = typedArg<float>(env, a[1], "x");
    auto mean = typedArg<float>(env, a[2], "mean");
    auto var = typedArg<float>(env, a[3], "variance");
    auto gamma = typedArg<float>(env, a[4], "gamma");
    auto dx = typedArg<float>(env, a[5], "dx");
    auto dgamma = typedArg<float>(env, a[6], "dgamma");
    auto dbeta = typedArg<float>(env, a[7], "dbeta");
    const int64_t c = intArg(env, a[8], "C");
    const double eps = numArg(env, a[9], "eps");
    const int64_t n = rowsOf(x.length, c, "bnTrainBackward");
    needLength(dy.length, n * c, "dy"); needLength(dx.length, n * c, "dx");
    // Fused ReLU: the gradient reaching the batch norm is dy·step(y), formed inside both passes below (no
    // masked copy of dy is written: one memory pass less).
    const float* mask = nullptr;
    if (a.size() > 10) {
      auto y = typedArg<float>(env, a[10], "y");
      needLength(y.length, n * c, "y");
      mask = y.data;
    }
    for (auto* v : {&mean, &var, &gamma, &dgamma, &dbeta}) needLength(v->length, c, "per-channel vector");
    // Σdy and Σdy·(x−μ) in one pass.
    std::vector<double> zero(static_cast<size_t>(c), 0.0), mu(mean.data, mean.data + c);
    std::vector<double> sdy(static_cast<size_t>(c)), sdyxc(static_cast<size_t>(c));
    channelSums(dy.data, mask, x.data, zero.data(), mu.data(), n, c, sdy.data(), sdyxc.data());
    std::vector<float> k(static_cast<size_t>(c)), m2(static_cast<size_t>(c)), sh(static_cast<size_t>(c));
    for (int64_t i = 0; i < c; i++) {
      const double inv = 1.0 / std::sqrt(static_cast<double>(var.data[i]) + eps);
      const double kk = gamma.data[i] * inv;
      const double mm2 = kk * inv * inv * sdyxc[i] / n, m1 = kk * sdy[i] / n;
      k[i] = static_cast<float>(kk);
      m2[i] = static_cast<float>(mm2);
      sh[i] = static_cast<float>(mu[i] * mm2 - m1);
      dgamma.data[i] = static_cast<float>(sdyxc[i] * inv);
      dbeta.data[i] = static_cast<float>(sdy[i]);
    }
    std::vector<float> scratch(static_cast<size_t>(3 * (c + 256)));
    kernels().bnBackwardRows(dy.data, mask, x.data, k.data(), m2.data(), sh.data(), dx.data, n, c, scratch.data());
    return undefinedValue(env);
  });
}

}  // namespace

void registerBatchNorm(napi_env env, napi_value exports) {
  defineMethods(env, exports, {{"bnTrainForward", Forward}, {"bnTrainBackward", Backward}});
}

}  // namespace un
