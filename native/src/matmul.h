// Batched single-precision matrix product C[b] = op(A[b])·op(B[b]) for TF.js's BatchMatMul (row-major),
// through oneDNN's sgemm (oneDNN Developer Guide, "BLAS functions").
#pragma once
#include <cstdint>

namespace un {

/** batchA, batchB ∈ {1, batch}; A is [batchA, M, K] ([K, M] per batch when transA), B [batchB, K, N] ([N, K] when transB). */
void batchMatMul(int64_t batch, int64_t batchA, int64_t batchB, int64_t m, int64_t n, int64_t k, bool transA,
                 bool transB, const float* a, const float* b, float* c);

}  // namespace un
