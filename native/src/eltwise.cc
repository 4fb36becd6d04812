// Node-API glue of the element-wise kernels for the hot TF.js ops of ResNet training: unary maps, binary ops
// over a broadcast plan of up to 4 collapsed axes (NumPy broadcasting, as tfjs-core's broadcast_util),
// reductions over [outer, reduced, inner] with double accumulators, inference batch norm (loops: kernels.inc).
#include "eltwise.h"
#include <omp.h>
#include <algorithm>
#include <cmath>
#include <vector>
#include "kernels.h"
#include "napi_util.h"

namespace un {
namespace {

/** y[o, i] = reduce_r x[o, r, i] with the reduced axis split into blocks so a single row uses every thread. */
void reduce(int op, const float* x, float* y, int64_t outer, int64_t red, int64_t inner) {
  // Fixed blocks (not the thread count): the same partial sums on any number of threads.
  const int64_t blocks = inner == 1 || outer >= kSumParts ? 1 : std::min<int64_t>(red, kSumParts);
  std::vector<double> part(static_cast<size_t>(inner == 1 ? 0 : outer * blocks * paddedRow(inner)));
  kernels().reduce(op, x, y, outer, red, inner, blocks, part.data());
}

/** y = (x − mean)·rsqrt(var + eps)·scale + offset over the last axis (length c); scale/offset optional. */
void batchNormInfer(const float* x, const float* mean, const float* var, const float* scale, const float* offset,
                    float* y, int64_t n, int64_t c, double eps, bool relu) {
  std::vector<float> mul(static_cast<size_t>(c)), add(static_cast<size_t>(c)), scratch(static_cast<size_t>(2 * (c + 256)));
  for (int64_t i = 0; i < c; i++) {
    const double inv = 1.0 / std::sqrt(static_cast<double>(var[i]) + eps);
    const double m = inv * (scale ? scale[i] : 1.0);
    mul[i] = static_cast<float>(m);
    add[i] = static_cast<float>((offset ? offset[i] : 0.0) - mean[i] * m);
  }
  kernels().affineRows(x, mul.data(), add.data(), y, n / c, c, scratch.data(), relu);
}

napi_value Unary(napi_env env, napi_callback_info info) {
  return wrap(env, [&] {
    auto a = args(env, info, 4);
    int op = static_cast<int>(intArg(env, a[0], "op"));
    auto x = typedArg<float>(env, a[1], "x");
    auto y = typedArg<float>(env, a[2], "y");
    double alpha = numArg(env, a[3], "alpha");
    if (op < 0 || op >= UNARY_COUNT) throw ArgError("unknown unary op " + std::to_string(op));
    needLength(y.length, static_cast<int64_t>(x.length), "y");
    kernels().unary(op, x.data, y.data, static_cast<int64_t>(x.length), static_cast<float>(alpha));
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
    if (op < 0 || op >= BINARY_COUNT) throw ArgError("unknown binary op " + std::to_string(op));
    kernels().binary(op, A.data, B.data, O.data, d, sa, sb);
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

/** batchNormInfer(x, mean, variance, scale|null, offset|null, y, eps[, relu]). */
napi_value BatchNormInfer(napi_env env, napi_callback_info info) {
  return wrap(env, [&] {
    auto a = args(env, info, 7);
    auto x = typedArg<float>(env, a[0], "x");
    auto mean = typedArg<float>(env, a[1], "mean");
    auto var = typedArg<float>(env, a[2], "variance");
    const int64_t c = static_cast<int64_t>(mean.length);
    const float* scale = optionalFloats(env, a[3], c, "scale");
    const float* offset = optionalFloats(env, a[4], c, "offset");
    auto y = typedArg<float>(env, a[5], "y");
    double eps = numArg(env, a[6], "eps");
    const bool relu = a.size() > 7 && intArg(env, a[7], "relu") != 0;
    if (c < 1 || x.length % c != 0) throw ArgError("batchNormInfer: x's size must be a multiple of C");
    needLength(var.length, c, "variance");
    needLength(y.length, static_cast<int64_t>(x.length), "y");
    batchNormInfer(x.data, mean.data, var.data, scale, offset, y.data, static_cast<int64_t>(x.length), c, eps, relu);
    return undefinedValue(env);
  });
}

}  // namespace

void registerEltwise(napi_env env, napi_value exports) {
  defineMethods(env, exports, {{"unary", Unary}, {"binary", Binary}, {"reduce", ReduceFn}, {"batchNormInfer", BatchNormInfer}});
}

}  // namespace un
