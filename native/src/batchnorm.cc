// Training-mode batch normalisation over the rows of an [N, C] (channels-last) matrix (Ioffe & Szegedy
// 2015): forward = per-channel mean/biased variance (one shifted pass, double accumulators) + normalise; backward
// = per-channel Σdy, Σdy·(x−μ) (one pass) + dx = k·dy − (x−μ)·k·σ⁻²·mean(dy·(x−μ)) − k·mean(dy), k = γσ⁻¹.
#include "batchnorm.h"
#include <omp.h>
#include <algorithm>
#include <cmath>
#include <vector>
#include "napi_util.h"

namespace un {
namespace {

constexpr int64_t kParallelMin = 1 << 15;

/**
 * Per-channel sums over the rows of [n, c] matrices with double accumulators, split across threads by row
 * blocks: s1[i] = Σ (a − sa[i]), s2[i] = Σ (a − sa[i])·(b − sb[i]) (b null: (a − sa[i])²). Shifts keep the
 * sums of products free of cancellation (the shifted variance / centred covariance formulas).
 */
void channelSums(const float* a, const float* b, const double* sa, const double* sb, int64_t n, int64_t c, double* s1, double* s2) {
  const int nthr = n * c >= kParallelMin ? omp_get_max_threads() : 1;
  std::vector<double> part(static_cast<size_t>(2 * nthr * c), 0.0);
#pragma omp parallel num_threads(nthr)
  {
    const int t = omp_get_thread_num(), nt = omp_get_num_threads();
    const int64_t r0 = n * t / nt, r1 = n * (t + 1) / nt;
    double* __restrict p1 = part.data() + 2 * t * c;
    double* __restrict p2 = p1 + c;
    for (int64_t r = r0; r < r1; r++) {
      const float* __restrict ar = a + r * c;
      if (b) {
        const float* __restrict br = b + r * c;
        for (int64_t i = 0; i < c; i++) {
          const double u = ar[i] - sa[i];
          p1[i] += u;
          p2[i] += u * (br[i] - sb[i]);
        }
      } else {
        for (int64_t i = 0; i < c; i++) {
          const double u = ar[i] - sa[i];
          p1[i] += u;
          p2[i] += u * u;
        }
      }
    }
  }
  for (int64_t i = 0; i < c; i++) {
    double a1 = 0, a2 = 0;
    for (int t = 0; t < nthr; t++) { a1 += part[2 * t * c + i]; a2 += part[(2 * t + 1) * c + i]; }
    s1[i] = a1;
    s2[i] = a2;
  }
}

/** y[r, i] = x[r, i]·mul[i] + add[i]. */
void affineRows(const float* x, const float* mul, const float* add, float* y, int64_t n, int64_t c) {
  // Replicate the per-channel vectors to ≥ 256 floats so the inner loop is long for small c.
  const int64_t m = std::max<int64_t>(1, 256 / c), block = m * c;
  std::vector<float> rm(static_cast<size_t>(block)), ra(static_cast<size_t>(block));
  for (int64_t j = 0; j < block; j++) { rm[j] = mul[j % c]; ra[j] = add[j % c]; }
  const float* __restrict pm = rm.data();
  const float* __restrict pa = ra.data();
  const int64_t total = n * c, blocks = (n + m - 1) / m;
#pragma omp parallel for schedule(static) if (total >= kParallelMin)
  for (int64_t bl = 0; bl < blocks; bl++) {
    const int64_t s = bl * block, len = std::min(block, total - s);
    const float* __restrict xr = x + s;
    float* __restrict yr = y + s;
    for (int64_t j = 0; j < len; j++) yr[j] = xr[j] * pm[j] + pa[j];
  }
}

/** dx = k·dy − x·m2 + (μ·m2 − m1) per channel, in one pass over dy and x. */
void backwardRows(const float* dy, const float* x, const float* k, const float* m2, const float* sh, float* dx, int64_t n, int64_t c) {
  const int64_t m = std::max<int64_t>(1, 256 / c), block = m * c;
  std::vector<float> rk(static_cast<size_t>(block)), rm(static_cast<size_t>(block)), rs(static_cast<size_t>(block));
  for (int64_t j = 0; j < block; j++) { rk[j] = k[j % c]; rm[j] = m2[j % c]; rs[j] = sh[j % c]; }
  const float* __restrict pk = rk.data();
  const float* __restrict pm = rm.data();
  const float* __restrict ps = rs.data();
  const int64_t total = n * c, blocks = (n + m - 1) / m;
#pragma omp parallel for schedule(static) if (total >= kParallelMin)
  for (int64_t bl = 0; bl < blocks; bl++) {
    const int64_t s = bl * block, len = std::min(block, total - s);
    const float* __restrict g = dy + s;
    const float* __restrict xr = x + s;
    float* __restrict o = dx + s;
    for (int64_t j = 0; j < len; j++) o[j] = g[j] * pk[j] - xr[j] * pm[j] + ps[j];
  }
}

void needLength(size_t have, int64_t want, const char* name) {
  if (want < 0 || have < static_cast<size_t>(want)) throw ArgError(std::string(name) + ": too few elements");
}

/** bnTrainForward(x, gamma, beta, y, mean, variance, C, eps): mean and biased variance out, y normalised. */
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
    if (c < 1 || x.length % static_cast<size_t>(c) != 0 || x.length == 0) throw ArgError("bnTrainForward: x's size must be a positive multiple of C");
    const int64_t n = static_cast<int64_t>(x.length) / c;
    needLength(gamma.length, c, "gamma"); needLength(beta.length, c, "beta");
    needLength(y.length, n * c, "y"); needLength(mean.length, c, "mean"); needLength(var.length, c, "variance");
    // Shifted one-pass statistics: shift by the first row (close to the mean for typical data).
    std::vector<double> shift(x.data, x.data + c), s1(static_cast<size_t>(c)), s2(static_cast<size_t>(c));
    channelSums(x.data, nullptr, shift.data(), nullptr, n, c, s1.data(), s2.data());
    std::vector<float> mul(static_cast<size_t>(c)), add(static_cast<size_t>(c));
    for (int64_t i = 0; i < c; i++) {
      const double d = s1[i] / n, mu = shift[i] + d, v = std::max(0.0, s2[i] / n - d * d);
      const double sc = gamma.data[i] / std::sqrt(v + eps);
      mean.data[i] = static_cast<float>(mu);
      var.data[i] = static_cast<float>(v);
      mul[i] = static_cast<float>(sc);
      add[i] = static_cast<float>(beta.data[i] - mu * sc);
    }
    affineRows(x.data, mul.data(), add.data(), y.data, n, c);
    return undefinedValue(env);
  });
}

/** bnTrainBackward(dy, x, mean, variance, gamma, dx, dgamma, dbeta, C, eps). */
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
    if (c < 1 || x.length % static_cast<size_t>(c) != 0 || x.length == 0) throw ArgError("bnTrainBackward: x's size must be a positive multiple of C");
    const int64_t n = static_cast<int64_t>(x.length) / c;
    needLength(dy.length, n * c, "dy"); needLength(dx.length, n * c, "dx");
    for (auto* v : {&mean, &var, &gamma, &dgamma, &dbeta}) needLength(v->length, c, "per-channel vector");
    // Σdy and Σdy·(x−μ) in one pass.
    std::vector<double> zero(static_cast<size_t>(c), 0.0), mu(mean.data, mean.data + c);
    std::vector<double> sdy(static_cast<size_t>(c)), sdyxc(static_cast<size_t>(c));
    channelSums(dy.data, x.data, zero.data(), mu.data(), n, c, sdy.data(), sdyxc.data());
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
    backwardRows(dy.data, x.data, k.data(), m2.data(), sh.data(), dx.data, n, c);
    return undefinedValue(env);
  });
}

}  // namespace

void registerBatchNorm(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"bnTrainForward", nullptr, Forward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"bnTrainBackward", nullptr, Backward, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}

}  // namespace un
