// Element-wise, broadcast and reduction kernels for the hot TF.js ops of ResNet training: unary maps,
// binary ops over a broadcast plan of up to 4 collapsed axes (NumPy broadcasting, as tfjs-core's
// broadcast_util), reductions over [outer, reduced, inner] with double accumulators, inference batch norm.
#include "eltwise.h"
#include <omp.h>
#include <algorithm>
#include <cmath>
#include <vector>
#include "napi_util.h"

namespace un {
namespace {

/** Below this many elements a kernel runs on the calling thread only (waking OpenMP threads costs more). */
constexpr int64_t kParallelMin = 1 << 15;

enum Unary { RELU, STEP, SQUARE, RSQRT, NEG, EXP, LOG, SQRT, ABS, RECIPROCAL };
enum Binary { ADD, SUB, MUL, DIV, SQDIFF };
enum Reduce { SUM, MEAN, MAX, MIN };

template <int Op>
inline float unaryOp(float x, float alpha) {
  if (Op == RELU) return x < 0.f ? 0.f : x;  // NaN stays NaN, as tfjs-backend-cpu
  if (Op == STEP) return std::isnan(x) ? x : (x > 0.f ? 1.f : alpha);
  if (Op == SQUARE) return x * x;
  if (Op == RSQRT) return static_cast<float>(1.0 / std::sqrt(static_cast<double>(x)));
  if (Op == NEG) return -x;
  if (Op == EXP) return static_cast<float>(std::exp(static_cast<double>(x)));
  if (Op == LOG) return static_cast<float>(std::log(static_cast<double>(x)));
  if (Op == SQRT) return static_cast<float>(std::sqrt(static_cast<double>(x)));
  if (Op == ABS) return std::fabs(x);
  return static_cast<float>(1.0 / static_cast<double>(x));  // RECIPROCAL
}

template <int Op>
void unaryLoop(const float* __restrict x, float* __restrict y, int64_t n, float alpha) {
#pragma omp parallel for schedule(static) if (n >= kParallelMin)
  for (int64_t i = 0; i < n; i++) y[i] = unaryOp<Op>(x[i], alpha);
}

void unary(int op, const float* x, float* y, int64_t n, float alpha) {
  switch (op) {
    case RELU: return unaryLoop<RELU>(x, y, n, alpha);
    case STEP: return unaryLoop<STEP>(x, y, n, alpha);
    case SQUARE: return unaryLoop<SQUARE>(x, y, n, alpha);
    case RSQRT: return unaryLoop<RSQRT>(x, y, n, alpha);
    case NEG: return unaryLoop<NEG>(x, y, n, alpha);
    case EXP: return unaryLoop<EXP>(x, y, n, alpha);
    case LOG: return unaryLoop<LOG>(x, y, n, alpha);
    case SQRT: return unaryLoop<SQRT>(x, y, n, alpha);
    case ABS: return unaryLoop<ABS>(x, y, n, alpha);
    case RECIPROCAL: return unaryLoop<RECIPROCAL>(x, y, n, alpha);
    default: throw ArgError("unknown unary op " + std::to_string(op));
  }
}

template <int Op>
inline float binaryOp(float a, float b) {
  if (Op == ADD) return a + b;
  if (Op == SUB) return a - b;
  if (Op == MUL) return a * b;
  if (Op == DIV) return a / b;
  float d = a - b;  // SQDIFF
  return d * d;
}

/** One contiguous run of the innermost axis; sa/sb are 1 (walks) or 0 (broadcast). */
template <int Op>
inline void row(const float* __restrict a, const float* __restrict b, float* __restrict o, int64_t n, int64_t sa, int64_t sb) {
  if (sa && sb) {
    for (int64_t i = 0; i < n; i++) o[i] = binaryOp<Op>(a[i], b[i]);
  } else if (sa) {
    const float bv = *b;
    for (int64_t i = 0; i < n; i++) o[i] = binaryOp<Op>(a[i], bv);
  } else if (sb) {
    const float av = *a;
    for (int64_t i = 0; i < n; i++) o[i] = binaryOp<Op>(av, b[i]);
  } else {
    const float v = binaryOp<Op>(*a, *b);
    for (int64_t i = 0; i < n; i++) o[i] = v;
  }
}

/**
 * Rows of a contiguous operand against a periodic one: o[j] = a[j] op p[j mod c] (or p op a when
 * `periodicFirst`) for j < rows·c. The period is replicated into a block of ≥ 256 elements so the inner
 * loop is long and vectorises even for c = 4 (the [N,C] ⊙ [1,C] batch-norm case).
 */
template <int Op>
void periodicRows(const float* a, const float* p, float* o, int64_t rows, int64_t c, bool periodicFirst) {
  const int64_t m = std::max<int64_t>(1, 256 / c), block = m * c;
  std::vector<float> rep(static_cast<size_t>(block));
  for (int64_t j = 0; j < block; j++) rep[j] = p[j % c];
  const float* __restrict r = rep.data();
  const int64_t blocks = (rows + m - 1) / m;
#pragma omp parallel for schedule(static) if (rows * c >= kParallelMin)
  for (int64_t bl = 0; bl < blocks; bl++) {
    const int64_t s = bl * block, len = std::min(block, rows * c - s);
    const float* __restrict x = a + s;
    float* __restrict y = o + s;
    if (periodicFirst) {
      for (int64_t j = 0; j < len; j++) y[j] = binaryOp<Op>(r[j], x[j]);
    } else {
      for (int64_t j = 0; j < len; j++) y[j] = binaryOp<Op>(x[j], r[j]);
    }
  }
}

/**
 * out[i0,i1,i2,i3] = a[Σ ik·sa[k]] op b[Σ ik·sb[k]] over dims d (row-major out). The flat output range is
 * split into chunks (threads), each walking whole or partial rows of the innermost axis.
 */
template <int Op>
void binaryLoop(const float* a, const float* b, float* o, const int64_t* d, const int64_t* sa, const int64_t* sb) {
  const int64_t inner = d[3], rows = d[0] * d[1] * d[2], total = rows * inner;
  if (total == 0) return;
  // One operand contiguous over the last two axes, the other repeating along axis 2: periodic rows.
  const bool aRows = sa[3] == 1 && sa[2] == inner, bRows = sb[3] == 1 && sb[2] == inner;
  if (inner < 256 && d[2] > 1 && ((aRows && sb[2] == 0 && sb[3] == 1) || (bRows && sa[2] == 0 && sa[3] == 1))) {
    for (int64_t i0 = 0; i0 < d[0]; i0++) {
      for (int64_t i1 = 0; i1 < d[1]; i1++) {
        const int64_t oo = (i0 * d[1] + i1) * d[2] * inner;
        const float* pa = a + i0 * sa[0] + i1 * sa[1];
        const float* pb = b + i0 * sb[0] + i1 * sb[1];
        if (aRows) periodicRows<Op>(pa, pb, o + oo, d[2], inner, false);
        else periodicRows<Op>(pb, pa, o + oo, d[2], inner, true);
      }
    }
    return;
  }
  const int64_t chunk = std::max<int64_t>(4096, (total + 63) / 64);
  const int64_t chunks = (total + chunk - 1) / chunk;
#pragma omp parallel for schedule(static) if (total >= kParallelMin)
  for (int64_t c = 0; c < chunks; c++) {
    int64_t s = c * chunk;
    const int64_t e = std::min(total, s + chunk);
    int64_t r = s / inner, i = s % inner;
    int64_t i2 = r % d[2], i1 = (r / d[2]) % d[1], i0 = r / (d[2] * d[1]);
    while (s < e) {
      const int64_t len = std::min(inner - i, e - s);
      const int64_t oa = i0 * sa[0] + i1 * sa[1] + i2 * sa[2] + i * sa[3];
      const int64_t ob = i0 * sb[0] + i1 * sb[1] + i2 * sb[2] + i * sb[3];
      row<Op>(a + oa, b + ob, o + s, len, sa[3], sb[3]);
      s += len;
      i = 0;
      if (++i2 == d[2]) { i2 = 0; if (++i1 == d[1]) { i1 = 0; ++i0; } }
    }
  }
}

void binary(int op, const float* a, const float* b, float* o, const int64_t* d, const int64_t* sa, const int64_t* sb) {
  switch (op) {
    case ADD: return binaryLoop<ADD>(a, b, o, d, sa, sb);
    case SUB: return binaryLoop<SUB>(a, b, o, d, sa, sb);
    case MUL: return binaryLoop<MUL>(a, b, o, d, sa, sb);
    case DIV: return binaryLoop<DIV>(a, b, o, d, sa, sb);
    case SQDIFF: return binaryLoop<SQDIFF>(a, b, o, d, sa, sb);
    default: throw ArgError("unknown binary op " + std::to_string(op));
  }
}

/** y[o, i] = reduce_r x[o, r, i], accumulated in double (TF.js's cpu kernels sum in JS numbers). */
void reduce(int op, const float* x, float* y, int64_t outer, int64_t red, int64_t inner) {
  const bool sum = op == SUM || op == MEAN;
  const double scale = op == MEAN ? 1.0 / static_cast<double>(red) : 1.0;
  const int64_t total = outer * red * inner;
  if (inner == 1) {
#pragma omp parallel for schedule(static) if (total >= kParallelMin && outer > 1)
    for (int64_t o = 0; o < outer; o++) {
      const float* p = x + o * red;
      double acc = sum ? 0.0 : p[0];
      for (int64_t r = 0; r < red; r++) {
        const double v = p[r];
        if (sum) acc += v;
        else if (std::isnan(v) || (op == MAX ? v > acc : v < acc)) acc = v;
      }
      y[o] = static_cast<float>(acc * scale);
    }
    return;
  }
  // Split the reduced axis into blocks (partial results per block), so that a single outer row still
  // uses every thread; combine the blocks afterwards.
  const int nthr = total >= kParallelMin ? omp_get_max_threads() : 1;
  const int64_t blocks = outer >= nthr ? 1 : std::min<int64_t>(red, nthr);
  std::vector<double> part(static_cast<size_t>(outer * blocks * inner));
#pragma omp parallel for collapse(2) schedule(static) if (nthr > 1)
  for (int64_t o = 0; o < outer; o++) {
    for (int64_t bl = 0; bl < blocks; bl++) {
      const int64_t r0 = red * bl / blocks, r1 = red * (bl + 1) / blocks;
      double* acc = part.data() + (o * blocks + bl) * inner;
      const float* p = x + (o * red + r0) * inner;
      if (sum) {
        for (int64_t i = 0; i < inner; i++) acc[i] = 0.0;
        for (int64_t r = r0; r < r1; r++, p += inner)
          for (int64_t i = 0; i < inner; i++) acc[i] += p[i];
      } else {
        for (int64_t i = 0; i < inner; i++) acc[i] = p[i];
        for (int64_t r = r0; r < r1; r++, p += inner)
          for (int64_t i = 0; i < inner; i++) {
            const double v = p[i];
            if (std::isnan(v) || (op == MAX ? v > acc[i] : v < acc[i])) acc[i] = v;
          }
      }
    }
  }
  for (int64_t o = 0; o < outer; o++) {
    for (int64_t i = 0; i < inner; i++) {
      double acc = part[(o * blocks) * inner + i];
      for (int64_t bl = 1; bl < blocks; bl++) {
        const double v = part[(o * blocks + bl) * inner + i];
        if (sum) acc += v;
        else if (std::isnan(v) || (op == MAX ? v > acc : v < acc)) acc = v;
      }
      y[o * inner + i] = static_cast<float>(sum ? acc * scale : acc);
    }
  }
}

/** y = (x − mean)·rsqrt(var + eps)·scale + offset over the last axis (length c); scale/offset optional. */
void batchNormInfer(const float* x, const float* mean, const float* var, const float* scale, const float* offset,
                    float* y, int64_t n, int64_t c, double eps) {
  std::vector<float> mul(static_cast<size_t>(c)), add(static_cast<size_t>(c));
  for (int64_t i = 0; i < c; i++) {
    const double inv = 1.0 / std::sqrt(static_cast<double>(var[i]) + eps);
    const double m = inv * (scale ? scale[i] : 1.0);
    mul[i] = static_cast<float>(m);
    add[i] = static_cast<float>((offset ? offset[i] : 0.0) - mean[i] * m);
  }
  const int64_t rows = n / c;
  const float* __restrict pm = mul.data();
  const float* __restrict pa = add.data();
#pragma omp parallel for schedule(static) if (n >= kParallelMin)
  for (int64_t r = 0; r < rows; r++) {
    const float* __restrict xr = x + r * c;
    float* __restrict yr = y + r * c;
    for (int64_t i = 0; i < c; i++) yr[i] = xr[i] * pm[i] + pa[i];
  }
}

void needLength(size_t have, int64_t want, const char* name) {
  if (want < 0 || have < static_cast<size_t>(want)) throw ArgError(std::string(name) + ": too few elements");
}

napi_value Unary(napi_env env, napi_callback_info info) {
  return wrap(env, [&] {
    auto a = args(env, info, 4);
    int op = static_cast<int>(intArg(env, a[0], "op"));
    auto x = typedArg<float>(env, a[1], "x");
    auto y = typedArg<float>(env, a[2], "y");
    double alpha = numArg(env, a[3], "alpha");
    needLength(y.length, static_cast<int64_t>(x.length), "y");
    unary(op, x.data, y.data, static_cast<int64_t>(x.length), static_cast<float>(alpha));
    return undefinedValue(env);
  });
}

/** binary(op, a, b, out, plan): plan = Int32Array [d0..d3, sa0..sa3, sb0..sb3]. */
napi_value Binary(napi_env env, napi_callback_info info) {
  return wrap(env, [&] {
    auto a = args(env, info, 5);
    int op = static_cast<int>(intArg(env, a[0], "op"));
    auto A = typedArg<float>(env, a[1], "a");
    auto B = typedArg<float>(env, a[2], "b");
    auto O = typedArg<float>(env, a[3], "out");
    auto p = dimsArg(env, a[4], 12, "plan");
    const int64_t* d = p.data();
    const int64_t *sa = d + 4, *sb = d + 8;
    int64_t lastA = 0, lastB = 0;  // largest index each operand is read at
    for (int k = 0; k < 4; k++) {
      if (d[k] < 1) return undefinedValue(env);
      lastA += (d[k] - 1) * sa[k];
      lastB += (d[k] - 1) * sb[k];
    }
    if (sa[3] > 1 || sb[3] > 1 || sa[3] < 0 || sb[3] < 0) throw ArgError("innermost strides must be 0 or 1");
    needLength(A.length, lastA + 1, "a");
    needLength(B.length, lastB + 1, "b");
    needLength(O.length, d[0] * d[1] * d[2] * d[3], "out");
    binary(op, A.data, B.data, O.data, d, sa, sb);
    return undefinedValue(env);
  });
}

/** reduce(op, x, y, outer, reduced, inner). */
napi_value ReduceFn(napi_env env, napi_callback_info info) {
  return wrap(env, [&] {
    auto a = args(env, info, 6);
    int op = static_cast<int>(intArg(env, a[0], "op"));
    auto x = typedArg<float>(env, a[1], "x");
    auto y = typedArg<float>(env, a[2], "y");
    int64_t outer = intArg(env, a[3], "outer"), red = intArg(env, a[4], "reduced"), inner = intArg(env, a[5], "inner");
    if (outer < 1 || red < 1 || inner < 1) throw ArgError("reduce: sizes must be positive");
    if (op < SUM || op > MIN) throw ArgError("unknown reduce op");
    needLength(x.length, outer * red * inner, "x");
    needLength(y.length, outer * inner, "y");
    reduce(op, x.data, y.data, outer, red, inner);
    return undefinedValue(env);
  });
}

/** batchNormInfer(x, mean, variance, scale|null, offset|null, y, eps). */
napi_value BatchNormInfer(napi_env env, napi_callback_info info) {
  return wrap(env, [&] {
    auto a = args(env, info, 7);
    auto x = typedArg<float>(env, a[0], "x");
    auto mean = typedArg<float>(env, a[1], "mean");
    auto var = typedArg<float>(env, a[2], "variance");
    napi_valuetype t;
    const float *scale = nullptr, *offset = nullptr;
    const int64_t c = static_cast<int64_t>(mean.length);
    check(napi_typeof(env, a[3], &t), "typeof");
    if (t != napi_null && t != napi_undefined) {
      auto s = typedArg<float>(env, a[3], "scale");
      needLength(s.length, c, "scale");
      scale = s.data;
    }
    check(napi_typeof(env, a[4], &t), "typeof");
    if (t != napi_null && t != napi_undefined) {
      auto o = typedArg<float>(env, a[4], "offset");
      needLength(o.length, c, "offset");
      offset = o.data;
    }
    auto y = typedArg<float>(env, a[5], "y");
    double eps = numArg(env, a[6], "eps");
    if (c < 1 || x.length % c != 0) throw ArgError("batchNormInfer: x's size must be a multiple of C");
    needLength(var.length, c, "variance");
    needLength(y.length, static_cast<int64_t>(x.length), "y");
    batchNormInfer(x.data, mean.data, var.data, scale, offset, y.data, static_cast<int64_t>(x.length), c, eps);
    return undefinedValue(env);
  });
}

}  // namespace

void registerEltwise(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"unary", nullptr, Unary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binary", nullptr, Binary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reduce", nullptr, ReduceFn, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormInfer", nullptr, BatchNormInfer, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}

}  // namespace un
