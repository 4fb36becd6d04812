// The compute loops (kernels.inc) compiled for baseline x86-64; see kernels.h.
#include <omp.h>
#include <cmath>
#include <cstdint>
#include "kernels.h"

#define KNS k_base
#include "kernels.inc"

un::Kernels un::kernelsBase() { return k_base::table("base"); }
