// Per-thread oneDNN engine and stream (oneDNN Developer Guide, "Basic concepts": engine, stream).
#include "dnnl_ctx.h"

namespace un {

dnnl::engine& engine() {
  thread_local dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}

dnnl::stream& stream() {
  thread_local dnnl::stream s(engine());
  return s;
}

}  // namespace un
