// Per-thread oneDNN engine and stream, and a small keyed cache of primitives (oneDNN Developer Guide,
// "Primitive cache"): a Node worker thread gets its own engine, stream and cache.
#pragma once
#include <oneapi/dnnl/dnnl.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace un {

/** The CPU engine of the calling thread. */
dnnl::engine& engine();
/** The in-order stream of the calling thread (executions are waited on before returning to JS). */
dnnl::stream& stream();

/** Cache key from an op tag and integer parameters. */
inline std::string key(const char* tag, const std::vector<int64_t>& dims, int64_t extra = 0) {
  std::string k(tag);
  k.reserve(k.size() + 8 * dims.size() + 8);
  for (int64_t d : dims) { k += ','; k += std::to_string(d); }
  k += '|'; k += std::to_string(extra);
  return k;
}

/** A thread-local cache of T by key, created on first use with `make`. */
template <typename T, typename Make>
T& cached(std::unordered_map<std::string, std::unique_ptr<T>>& cache, const std::string& k, Make&& make) {
  auto it = cache.find(k);
  if (it != cache.end()) return *it->second;
  auto made = std::unique_ptr<T>(make());
  T& ref = *made;
  cache.emplace(k, std::move(made));
  return ref;
}

/** Wraps user memory (a JS typed array's storage) in a oneDNN memory object without copying. */
inline dnnl::memory wrapUser(const dnnl::memory::desc& md, const void* p) {
  return dnnl::memory(md, engine(), const_cast<void*>(p));
}

}  // namespace un
