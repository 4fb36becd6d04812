// Node-API entry points of the oneDNN addon (unlearn_onednn.node): convolution forward/gradients, batched
// matmul and element-wise kernels operating in place on JS typed arrays (Node-API, "napi_get_typedarray_info").
#include <malloc.h>
#include <omp.h>
#include <oneapi/dnnl/dnnl.hpp>
#include "batchnorm.h"
#include "optimizer.h"
#include "conv.h"
#include "eltwise.h"
#include "kernels.h"
#include "matmul.h"
#include "napi_util.h"

namespace un {
namespace {

/** The implementation oneDNN gave the bf16 probe convolution (empty in f32), for info(). */
std::string precisionImpl;

napi_value Info(napi_env env, napi_callback_info) {
  return wrap(env, [&] {
    napi_value o;
    check(napi_create_object(env, &o), "create_object");
    const dnnl_version_t* v = dnnl_version();
    std::string ver = std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
    napi_set_named_property(env, o, "dnnl", stringValue(env, ver));
    napi_set_named_property(env, o, "threads", numberValue(env, omp_get_max_threads()));
    napi_set_named_property(env, o, "procs", numberValue(env, omp_get_num_procs()));
    napi_set_named_property(env, o, "convLayout", numberValue(env, convLayoutMode()));
    napi_set_named_property(env, o, "convPrecision", stringValue(env, convPrecisionMode() == 1 ? "bf16" : "f32"));
    napi_set_named_property(env, o, "convPrecisionImpl", stringValue(env, precisionImpl));
    napi_set_named_property(env, o, "isa", stringValue(env, kernels().isa));
    return o;
  });
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  return wrap(env, [&] {
    auto a = args(env, info, 1);
    int64_t n = intArg(env, a[0], "threads");
    if (n < 1 || n > 1024) throw ArgError("threads must be in 1..1024");
    omp_set_num_threads(static_cast<int>(n));
    return undefinedValue(env);
  });
}

napi_value SetOption(napi_env env, napi_callback_info info) {
  return wrap(env, [&] {
    auto a = args(env, info, 2);
    size_t len = 0;
    char name[64];
    check(napi_get_value_string_utf8(env, a[0], name, sizeof name, &len), "option name");
    std::string n(name, len);
    int64_t v = intArg(env, a[1], "value");
    if (n == "convLayout") {
      setConvLayoutMode(static_cast<int>(v));
      clearConvCache();
    } else if (n == "convPrecision") {
      std::string impl = setConvPrecisionMode(static_cast<int>(v));
      precisionImpl = v == 1 ? impl : "";
      clearConvCache();
    } else if (n == "mmapThreshold") {
      // glibc: serve allocations below this size from the heap (reused after free, no page faults).
      if (mallopt(M_MMAP_THRESHOLD, static_cast<int>(v)) != 1) throw ArgError("mallopt(M_MMAP_THRESHOLD) failed");
    } else if (n == "trimThreshold") {
      if (mallopt(M_TRIM_THRESHOLD, static_cast<int>(v)) != 1) throw ArgError("mallopt(M_TRIM_THRESHOLD) failed");
    } else {
      throw ArgError("unknown option " + n);
    }
    return undefinedValue(env);
  });
}

napi_value ClearCache(napi_env env, napi_callback_info) {
  return wrap(env, [&] {
    clearConvCache();
    return undefinedValue(env);
  });
}

/** conv kind: 0 forward (x, w → y), 1 backward data (dy, w → dx), 2 backward weights (x, dy → dw). */
template <int Kind>
napi_value Conv(napi_env env, napi_callback_info info) {
  return wrap(env, [&] {
    auto a = args(env, info, 4);
    ConvDims d = ConvDims::from(dimsArg(env, a[3], 17, "dims"));
    auto p = typedArg<float>(env, a[0], "input 0");
    auto q = typedArg<float>(env, a[1], "input 1");
    auto out = typedArg<float>(env, a[2], "output");
    const int64_t xs = d.n * d.h * d.w * d.c, ws = d.kh * d.kw * d.c * d.o, ys = d.n * d.oh * d.ow * d.o;
    if (Kind == 0) {
      needLength(p.length, xs, "x"); needLength(q.length, ws, "filter"); needLength(out.length, ys, "y");
      conv2dForward(d, p.data, q.data, out.data);
    } else if (Kind == 1) {
      needLength(p.length, ys, "dy"); needLength(q.length, ws, "filter"); needLength(out.length, xs, "dx");
      conv2dBackwardData(d, p.data, q.data, out.data);
    } else {
      needLength(p.length, xs, "x"); needLength(q.length, ys, "dy"); needLength(out.length, ws, "dw");
      conv2dBackwardWeights(d, p.data, q.data, out.data);
    }
    return undefinedValue(env);
  });
}

napi_value BatchMatMul(napi_env env, napi_callback_info info) {
  return wrap(env, [&] {
    auto a = args(env, info, 4);
    auto d = dimsArg(env, a[3], 8, "dims");  // batch, batchA, batchB, M, N, K, transA, transB
    auto A = typedArg<float>(env, a[0], "a");
    auto B = typedArg<float>(env, a[1], "b");
    auto C = typedArg<float>(env, a[2], "c");
    if ((d[1] != 1 && d[1] != d[0]) || (d[2] != 1 && d[2] != d[0])) throw ArgError("batch sizes must be 1 or batch");
    needLength(A.length, d[1] * d[3] * d[5], "a");
    needLength(B.length, d[2] * d[5] * d[4], "b");
    needLength(C.length, d[0] * d[3] * d[4], "c");
    batchMatMul(d[0], d[1], d[2], d[3], d[4], d[5], d[6] != 0, d[7] != 0, A.data, B.data, C.data);
    return undefinedValue(env);
  });
}

napi_value Init(napi_env env, napi_value exports) {
  defineMethods(env, exports, {{"info", Info}, {"setThreads", SetThreads}, {"setOption", SetOption}, {"clearCache", ClearCache},
                               {"conv2d", Conv<0>}, {"conv2dBackpropInput", Conv<1>}, {"conv2dBackpropFilter", Conv<2>},
                               {"batchMatMul", BatchMatMul}});
  registerEltwise(env, exports);
  registerBatchNorm(env, exports);
  registerOptimizer(env, exports);
  return exports;
}

}  // namespace
}  // namespace un

NAPI_MODULE(NODE_GYP_MODULE_NAME, un::Init)
