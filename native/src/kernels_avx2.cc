// The compute loops (kernels.inc) compiled for avx2; see kernels.h.
#include <omp.h>
#include <cmath>
#include <cstdint>
#include "kernels.h"
#pragma GCC target("avx2,fma")
#define KNS k_avx2
#include "kernels.inc"

un::Kernels un::kernelsAvx2() { return k_avx2::table("avx2"); }
