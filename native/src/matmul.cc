// Batched row-major sgemm for TF.js's BatchMatMul kernel, on oneDNN's dnnl_sgemm (oneDNN Developer Guide,
// "BLAS functions"; TF.js BatchMatMul semantics with batch broadcasting of size-1 batches).
#include "matmul.h"
#include <oneapi/dnnl/dnnl.h>
#include <stdexcept>

namespace un {

void batchMatMul(int64_t batch, int64_t batchA, int64_t batchB, int64_t m, int64_t n, int64_t k, bool transA,
                 bool transB, const float* a, const float* b, float* c) {
  const int64_t lda = transA ? m : k, ldb = transB ? k : n;
  for (int64_t i = 0; i < batch; i++) {
    const float* ai = a + (batchA == 1 ? 0 : i) * m * k;
    const float* bi = b + (batchB == 1 ? 0 : i) * k * n;
    dnnl_status_t s = dnnl_sgemm(transA ? 'T' : 'N', transB ? 'T' : 'N', m, n, k, 1.0f, ai, lda, bi, ldb, 0.0f,
                                 c + i * m * n, n);
    if (s != dnnl_success) throw std::runtime_error("dnnl_sgemm failed with status " + std::to_string(s));
  }
}

}  // namespace un
