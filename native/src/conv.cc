// 2-D convolution (forward, backward data, backward weights) through oneDNN primitives on TF.js layouts
// (NHWC activations, HWIO filters), with per-thread caches of primitives and reorders (oneDNN Developer
// Guide, "Convolution" and "Reorder"; the memory-format propagation pattern of its cnn_training example).
// The filter gradient sums over the batch: it runs on fixed chunks of kFilterChunk images, each on one
// thread, summed in chunk order, so it gives the same bits on any number of threads. In bf16 precision the
// primitives read bfloat16 copies of their inputs and write float32 (oneDNN Developer Guide, "Bfloat16
// training": f32 master weights, bf16 activations and weights inside the convolutions).
#include "conv.h"
#include "dnnl_ctx.h"
#include <omp.h>
#include <algorithm>
#include <cstring>

namespace un {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

ConvDims ConvDims::from(const std::vector<int64_t>& d) {
  return ConvDims{d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14], d[15], d[16]};
}

static int layoutMode = 0;
void setConvLayoutMode(int mode) { layoutMode = mode; }
int convLayoutMode() { return layoutMode; }

static int precisionMode = 0;
int convPrecisionMode() { return precisionMode; }

namespace {

/** Images per chunk of the filter gradient (fixed: the chunking, not the thread count, decides the sums). */
constexpr int64_t kFilterChunk = 16;

/** One argument of a primitive: the user's memory layout and, when the primitive wants another, a reorder. */
struct Port {
  memory::desc user;
  memory::desc internal;
  bool reorder = false;
  memory buf;           // internal-layout buffer (owned), when reordering
  dnnl::reorder step;   // user→internal for inputs, internal→user for outputs

  void init(const memory::desc& userMd, const memory::desc& wanted, bool isInput) {
    user = userMd;
    internal = wanted;
    reorder = !(userMd == wanted);
    if (reorder) {
      buf = memory(wanted, engine());
      step = isInput ? dnnl::reorder(memory(userMd, engine(), DNNL_MEMORY_NONE), buf)
                     : dnnl::reorder(buf, memory(userMd, engine(), DNNL_MEMORY_NONE));
    }
  }

  /** The memory the primitive reads: user data itself or the reordered copy. */
  memory in(const void* p) {
    memory u = wrapUser(user, p);
    if (!reorder) return u;
    step.execute(stream(), {{DNNL_ARG_FROM, u}, {DNNL_ARG_TO, buf}});
    return buf;
  }

  /** The memory the primitive writes; call `finish` afterwards. */
  memory out(void* p) { return reorder ? buf : wrapUser(user, p); }

  void finish(void* p) {
    if (reorder) step.execute(stream(), {{DNNL_ARG_FROM, buf}, {DNNL_ARG_TO, wrapUser(user, p)}});
  }
};

struct Mds {
  memory::desc src, wei, dst;          // user layouts
  memory::desc srcAny, weiAny, dstAny; // what the primitive may choose
  memory::dims strides, dil, padL, padR;
};

/** Which primitive reads bf16: in bf16 precision each one's inputs (forward: src, weights; backward data:
 * diff_dst, weights; backward weights: src, diff_dst); its output stays f32. */
enum class Op { Fwd, BwdData, BwdWeights };

Mds mds(const ConvDims& d, Op op, bool bf16) {
  Mds m;
  memory::dims src{d.n, d.c, d.h, d.w}, wei{d.o, d.c, d.kh, d.kw}, dst{d.n, d.o, d.oh, d.ow};
  m.src = memory::desc(src, dt::f32, tag::nhwc);
  m.wei = memory::desc(wei, dt::f32, tag::hwio);
  m.dst = memory::desc(dst, dt::f32, tag::nhwc);
  const dt srcT = bf16 && op != Op::BwdData ? dt::bf16 : dt::f32;
  const dt weiT = bf16 && op != Op::BwdWeights ? dt::bf16 : dt::f32;
  const dt dstT = bf16 && op != Op::Fwd ? dt::bf16 : dt::f32;
  bool any = layoutMode == 1;
  m.srcAny = memory::desc(src, srcT, any ? tag::any : tag::nhwc);
  m.dstAny = memory::desc(dst, dstT, any ? tag::any : tag::nhwc);
  m.weiAny = memory::desc(wei, weiT, tag::any);
  m.strides = {d.sh, d.sw};
  m.dil = {d.dh - 1, d.dw - 1};
  m.padL = {d.pt, d.pl};
  m.padR = {d.pb, d.pr};
  return m;
}

dnnl::convolution_forward::primitive_desc forwardPd(const Mds& m, dnnl::prop_kind kind) {
  dnnl::convolution_forward::desc desc(kind, dnnl::algorithm::convolution_direct, m.srcAny, m.weiAny,
                                       m.dstAny, m.strides, m.dil, m.padL, m.padR);
  return dnnl::convolution_forward::primitive_desc(desc, engine());
}

/**
 * oneDNN 2.6 (uxlfoundation/oneDNN#6035, open): its 1x1 backward-weights kernel for a strided convolution on nhwc
 * writes past the reduce-to-unit-stride workspace when the input channels are not a multiple of its channel block
 * (8 on AVX2, 16 on AVX-512): heap corruption, or wrong filter gradients. Those shapes (ResNet-18k's shortcuts at
 * small k) take oneDNN's next implementation.
 */
template <typename Pd>
void skipStrided1x1(Pd& pd, const ConvDims& d) {
  const bool affected = d.kh == 1 && d.kw == 1 && (d.sh > 1 || d.sw > 1) && d.c % 16 != 0;
  while (affected && std::strstr(pd.impl_info_str(), "1x1") != nullptr && pd.next_impl()) {
  }
}

std::vector<int64_t> asVec(const ConvDims& d) {
  return {d.n, d.h, d.w, d.c, d.kh, d.kw, d.o, d.oh, d.ow, d.sh, d.sw, d.dh, d.dw, d.pt, d.pb, d.pl, d.pr};
}

struct Fwd {
  dnnl::convolution_forward prim;
  Port src, wei, dst;
};
struct BwdData {
  dnnl::convolution_backward_data prim;
  Port diffDst, wei, diffSrc;
};
struct BwdWeights {
  dnnl::convolution_backward_weights prim;
  Port src, diffDst, diffWei;
};

thread_local std::unordered_map<std::string, std::unique_ptr<Fwd>> fwdCache;
thread_local std::unordered_map<std::string, std::unique_ptr<BwdData>> bwdDataCache;
thread_local std::unordered_map<std::string, std::unique_ptr<BwdWeights>> bwdWeightsCache;

}  // namespace

/**
 * Builds a primitive's cache entry in the current precision; in bf16, a shape oneDNN has no bf16 convolution
 * for (it throws at primitive-descriptor creation) is built in f32, the same way every time.
 */
template <typename T, typename Make>
T* inPrecision(Make&& make) {
  if (precisionMode == 1) {
    try {
      return make(true);
    } catch (const dnnl::error&) {
    }
  }
  return make(false);
}

void conv2dForward(const ConvDims& d, const float* x, const float* w, float* y) {
  Fwd& e = cached(fwdCache, key("f", asVec(d), layoutMode + 2 * precisionMode), [&] {
    return inPrecision<Fwd>([&](bool bf16) {
      Mds m = mds(d, Op::Fwd, bf16);
      auto pd = forwardPd(m, dnnl::prop_kind::forward_training);
      auto* f = new Fwd{dnnl::convolution_forward(pd), {}, {}, {}};
      f->src.init(m.src, pd.src_desc(), true);
      f->wei.init(m.wei, pd.weights_desc(), true);
      f->dst.init(m.dst, pd.dst_desc(), false);
      return f;
    });
  });
  memory dst = e.dst.out(y);
  e.prim.execute(stream(), {{DNNL_ARG_SRC, e.src.in(x)}, {DNNL_ARG_WEIGHTS, e.wei.in(w)}, {DNNL_ARG_DST, dst}});
  e.dst.finish(y);
  stream().wait();
}

void conv2dBackwardData(const ConvDims& d, const float* dy, const float* w, float* dx) {
  BwdData& e = cached(bwdDataCache, key("d", asVec(d), layoutMode + 2 * precisionMode), [&] {
    return inPrecision<BwdData>([&](bool bf16) {
      Mds m = mds(d, Op::BwdData, bf16);
      auto hint = forwardPd(mds(d, Op::Fwd, bf16), dnnl::prop_kind::forward_training);
      dnnl::convolution_backward_data::desc desc(dnnl::algorithm::convolution_direct, m.srcAny, m.weiAny, m.dstAny,
                                                 m.strides, m.dil, m.padL, m.padR);
      dnnl::convolution_backward_data::primitive_desc pd(desc, engine(), hint);
      auto* b = new BwdData{dnnl::convolution_backward_data(pd), {}, {}, {}};
      b->diffDst.init(m.dst, pd.diff_dst_desc(), true);
      b->wei.init(m.wei, pd.weights_desc(), true);
      b->diffSrc.init(m.src, pd.diff_src_desc(), false);
      return b;
    });
  });
  memory diffSrc = e.diffSrc.out(dx);
  e.prim.execute(stream(), {{DNNL_ARG_DIFF_DST, e.diffDst.in(dy)}, {DNNL_ARG_WEIGHTS, e.wei.in(w)}, {DNNL_ARG_DIFF_SRC, diffSrc}});
  e.diffSrc.finish(dx);
  stream().wait();
}

namespace {

/** The filter gradient of one chunk of the batch, on the calling thread's primitives. */
void backwardWeightsChunk(const ConvDims& d, const float* x, const float* dy, float* dw) {
  BwdWeights& e = cached(bwdWeightsCache, key("w", asVec(d), layoutMode + 2 * precisionMode), [&] {
    return inPrecision<BwdWeights>([&](bool bf16) {
      Mds m = mds(d, Op::BwdWeights, bf16);
      auto hint = forwardPd(mds(d, Op::Fwd, bf16), dnnl::prop_kind::forward_training);
      dnnl::convolution_backward_weights::desc desc(dnnl::algorithm::convolution_direct, m.srcAny, m.weiAny, m.dstAny,
                                                    m.strides, m.dil, m.padL, m.padR);
      dnnl::convolution_backward_weights::primitive_desc pd(desc, engine(), hint);
      skipStrided1x1(pd, d);
      auto* b = new BwdWeights{dnnl::convolution_backward_weights(pd), {}, {}, {}};
      b->src.init(m.src, pd.src_desc(), true);
      b->diffDst.init(m.dst, pd.diff_dst_desc(), true);
      b->diffWei.init(m.wei, pd.diff_weights_desc(), false);
      return b;
    });
  });
  memory diffWei = e.diffWei.out(dw);
  e.prim.execute(stream(), {{DNNL_ARG_SRC, e.src.in(x)}, {DNNL_ARG_DIFF_DST, e.diffDst.in(dy)}, {DNNL_ARG_DIFF_WEIGHTS, diffWei}});
  e.diffWei.finish(dw);
  stream().wait();
}

}  // namespace

void conv2dBackwardWeights(const ConvDims& d, const float* x, const float* dy, float* dw) {
  const int64_t chunks = (d.n + kFilterChunk - 1) / kFilterChunk;
  const int64_t wsize = d.kh * d.kw * d.c * d.o, xs = d.h * d.w * d.c, ys = d.oh * d.ow * d.o;
  thread_local std::vector<float> partial;
  if (chunks > 1) partial.resize(static_cast<size_t>(chunks * wsize));
  float* part = partial.data();  // this thread's scratch, shared with the team below
  const int nthr = static_cast<int>(std::min<int64_t>(omp_get_max_threads(), chunks));
#pragma omp parallel for schedule(static) num_threads(nthr)
  for (int64_t c = 0; c < chunks; c++) {
    // One thread per chunk, also inside oneDNN (its primitives are built for the thread count they see).
    omp_set_num_threads(1);
    ConvDims dc = d;
    dc.n = std::min(kFilterChunk, d.n - c * kFilterChunk);
    backwardWeightsChunk(dc, x + c * kFilterChunk * xs, dy + c * kFilterChunk * ys, chunks == 1 ? dw : part + c * wsize);
  }
  if (chunks == 1) return;
  for (int64_t i = 0; i < wsize; i++) {
    float s = part[i];
    for (int64_t c = 1; c < chunks; c++) s += part[c * wsize + i];
    dw[i] = s;
  }
}

std::string setConvPrecisionMode(int mode) {
  if (mode != 0 && mode != 1) throw std::invalid_argument("conv precision must be 0 (f32) or 1 (bf16)");
  std::string impl = "f32";
  if (mode == 1) {
    // Probe: a bf16 convolution of a ResNet shape must exist on this CPU (oneDNN: AVX512-BF16, AMX or emulation).
    ConvDims d{16, 8, 8, 16, 3, 3, 16, 8, 8, 1, 1, 1, 1, 1, 1, 1, 1};
    try {
      impl = forwardPd(mds(d, Op::Fwd, true), dnnl::prop_kind::forward_training).impl_info_str();
    } catch (const dnnl::error& e) {
      throw std::invalid_argument(std::string("oneDNN has no bfloat16 convolution on this CPU (") + e.what() + ")");
    }
  }
  precisionMode = mode;
  return impl;
}

void clearConvCache() {
  fwdCache.clear();
  bwdDataCache.clear();
  bwdWeightsCache.clear();
}

}  // namespace un
