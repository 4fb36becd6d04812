// Compute loops of the element-wise, reduction and batch-norm kernels, compiled once per instruction set
// (baseline x86-64, AVX2+FMA, AVX-512) and chosen at run time (GCC function-specific targets + cpuid).
#pragma once
#include <cstdint>

namespace un {

enum UnaryOp { RELU, STEP, SQUARE, RSQRT, NEG, EXP, LOG, SQRT, ABS, RECIPROCAL, UNARY_COUNT };
enum BinaryOp { ADD, SUB, MUL, DIV, SQDIFF, BINARY_COUNT };
enum ReduceOp { SUM, MEAN, MAX, MIN };

/**
 * Reductions split their work into this many fixed partitions whatever the thread count, and fold the partial
 * sums in partition order: results do not depend on UNLEARN_THREADS.
 */
constexpr int kSumParts = 8;

/** Below this many elements a kernel runs on the calling thread only (waking OpenMP threads costs more). */
constexpr int64_t kParallelMin = 1 << 15;

/** Doubles per partial-sum row of c values, padded to whole cache lines plus one (no false sharing). */
inline int64_t paddedRow(int64_t c) { return (c + 7) / 8 * 8 + 8; }

/** Positions per block of channelSums: whole rows of c channels, at least 256 (so narrow rows vectorise). */
inline int64_t sumBlock(int64_t c) { return (256 / c > 1 ? 256 / c : 1) * c; }

/** One instruction set's loops. Scratch buffers come from the caller (no allocation in ISA-specific code). */
struct Kernels {
  const char* isa;
  void (*unary)(int op, const float* x, float* y, int64_t n, float alpha);
  /** out = a op b over dims d[4] with element strides sa[4], sb[4] (innermost 0 or 1). */
  void (*binary)(int op, const float* a, const float* b, float* o, const int64_t* d, const int64_t* sa, const int64_t* sb);
  /** y[o, i] = reduce_r x[o, r, i]; part: outer·blocks·paddedRow(inner) doubles, blocks ≥ 1 splits r. */
  void (*reduce)(int op, const float* x, float* y, int64_t outer, int64_t red, int64_t inner, int64_t blocks, double* part);
  /**
   * s1[i] = Σ_r (a − sa[i]), s2[i] = Σ_r (a − sa[i])(b − sb[i]) (b null: squared), accumulated per position of
   * blocks of sumBlock(c) values, in kSumParts fixed partitions (run by nthr threads); part:
   * kSumParts·paddedRow(2·sumBlock(c)) + 2·sumBlock(c) doubles. With mask (only with b), a is a·step(mask).
   */
  void (*channelSums)(const float* a, const float* mask, const float* b, const double* sa, const double* sb, int64_t n, int64_t c, int nthr, double* part, double* s1, double* s2);
  /** y[r, i] = x[r, i]·mul[i] + add[i], then max(0, ·) when relu (as RELU: NaN stays); scratch: 2·(c + 256) floats. */
  void (*affineRows)(const float* x, const float* mul, const float* add, float* y, int64_t n, int64_t c, float* scratch, bool relu);
  /**
   * dx[r, i] = dy[r, i]·k[i] − x[r, i]·m2[i] + sh[i]; with mask, dy is dy·step(mask) (STEP with alpha 0: the
   * ReLU gradient from the ReLU's output); scratch: 3·(c + 256) floats.
   */
  void (*bnBackwardRows)(const float* dy, const float* mask, const float* x, const float* k, const float* m2, const float* sh, float* dx, int64_t n, int64_t c, float* scratch);
};

Kernels kernelsBase();
Kernels kernelsAvx2();
Kernels kernelsAvx512();

/** The best variant this CPU supports (UNLEARN_ONEDNN_ISA=base|avx2|avx512 caps it). */
const Kernels& kernels();

}  // namespace un
