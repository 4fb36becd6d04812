// Run-time choice of the compute loops' instruction set (GCC __builtin_cpu_supports; kernels.h).
#include "kernels.h"
#include <cstdlib>
#include <cstring>

namespace un {

const Kernels& kernels() {
  static const Kernels chosen = [] {
    const char* cap = std::getenv("UNLEARN_ONEDNN_ISA");
    const bool allow512 = !cap || std::strcmp(cap, "avx512") == 0;
    const bool allow2 = allow512 || std::strcmp(cap, "avx2") == 0;
    __builtin_cpu_init();
    if (allow512 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")) {
      return kernelsAvx512();
    }
    if (allow2 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return kernelsAvx2();
    return kernelsBase();
  }();
  return chosen;
}

}  // namespace un
