// The compute loops (kernels.inc) compiled for avx512; see kernels.h.
#include <omp.h>
#include <cmath>
#include <cstdint>
#include "kernels.h"
#pragma GCC target("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")
#define KNS k_avx512
#include "kernels.inc"

un::Kernels un::kernelsAvx512() { return k_avx512::table("avx512"); }
