// Small helpers over Node-API (node_api.h, plain C API: no node-addon-api dependency) for the oneDNN addon:
// reading typed-array arguments in place (no copies), integer arguments, and throwing JS errors.
#pragma once
#include <node_api.h>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <initializer_list>
#include <utility>
#include <vector>

namespace un {

/** Thrown by argument helpers; converted to a JS TypeError by `wrap`. */
struct ArgError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline void check(napi_status s, const char* what) {
  if (s != napi_ok) throw ArgError(std::string("napi call failed: ") + what);
}

/** A typed array argument viewed in place: pointer to its first element and element count. */
template <typename T>
struct View {
  T* data = nullptr;
  size_t length = 0;
};

inline napi_typedarray_type expectedType(float*) { return napi_float32_array; }
inline napi_typedarray_type expectedType(int32_t*) { return napi_int32_array; }
inline napi_typedarray_type expectedType(uint8_t*) { return napi_uint8_array; }

/** Reads argument `i` as a typed array of T (Float32Array, Int32Array or Uint8Array) without copying. */
template <typename T>
View<T> typedArg(napi_env env, napi_value v, const char* name) {
  bool is = false;
  check(napi_is_typedarray(env, v, &is), "is_typedarray");
  if (!is) throw ArgError(std::string(name) + " must be a typed array");
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  check(napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr), "get_typedarray_info");
  if (type != expectedType(static_cast<T*>(nullptr))) throw ArgError(std::string(name) + " has the wrong element type");
  return View<T>{static_cast<T*>(data), length};
}

/** Reads a JS number argument as int64. */
inline int64_t intArg(napi_env env, napi_value v, const char* name) {
  int64_t out = 0;
  if (napi_get_value_int64(env, v, &out) != napi_ok) throw ArgError(std::string(name) + " must be a number");
  return out;
}

/** Reads a JS number argument as double. */
inline double numArg(napi_env env, napi_value v, const char* name) {
  double out = 0;
  if (napi_get_value_double(env, v, &out) != napi_ok) throw ArgError(std::string(name) + " must be a number");
  return out;
}

/** Reads an Int32Array of integer parameters (shapes, strides...) with at least `n` entries. */
inline std::vector<int64_t> dimsArg(napi_env env, napi_value v, size_t n, const char* name) {
  View<int32_t> d = typedArg<int32_t>(env, v, name);
  if (d.length < n) throw ArgError(std::string(name) + ": expected " + std::to_string(n) + " entries");
  return std::vector<int64_t>(d.data, d.data + d.length);
}

/** Throws when a buffer holds fewer than `want` elements. */
inline void needLength(size_t have, int64_t want, const char* name) {
  if (want < 0 || have < static_cast<size_t>(want)) {
    throw ArgError(std::string(name) + ": has " + std::to_string(have) + " elements, needs " + std::to_string(want));
  }
}

/** An optional Float32Array argument of at least `n` elements: its data, or nullptr for null/undefined. */
inline const float* optionalFloats(napi_env env, napi_value v, int64_t n, const char* name) {
  napi_valuetype t;
  check(napi_typeof(env, v, &t), "typeof");
  if (t == napi_null || t == napi_undefined) return nullptr;
  auto view = typedArg<float>(env, v, name);
  needLength(view.length, n, name);
  return view.data;
}

/** Rows of an [N, C] matrix of `length` elements; throws unless length is a positive multiple of C. */
inline int64_t rowsOf(size_t length, int64_t c, const char* what) {
  if (c < 1 || length == 0 || length % static_cast<size_t>(c) != 0) throw ArgError(std::string(what) + ": x's size must be a positive multiple of C");
  return static_cast<int64_t>(length) / c;
}

/** Defines exported functions on `exports` from (name, callback) pairs. */
inline void defineMethods(napi_env env, napi_value exports, std::initializer_list<std::pair<const char*, napi_callback>> methods) {
  std::vector<napi_property_descriptor> props;
  for (const auto& m : methods) props.push_back({m.first, nullptr, m.second, nullptr, nullptr, nullptr, napi_default, nullptr});
  check(napi_define_properties(env, exports, props.size(), props.data()), "define_properties");
}

/** Collects up to `max` call arguments; throws when fewer than `min` were given. */
inline std::vector<napi_value> args(napi_env env, napi_callback_info info, size_t min, size_t max = 16) {
  std::vector<napi_value> argv(max);
  size_t argc = max;
  check(napi_get_cb_info(env, info, &argc, argv.data(), nullptr, nullptr), "get_cb_info");
  if (argc < min) throw ArgError("expected " + std::to_string(min) + " arguments, got " + std::to_string(argc));
  argv.resize(argc);
  return argv;
}

inline napi_value undefinedValue(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

inline napi_value numberValue(napi_env env, double x) {
  napi_value v;
  napi_create_double(env, x, &v);
  return v;
}

inline napi_value stringValue(napi_env env, const std::string& s) {
  napi_value v;
  napi_create_string_utf8(env, s.c_str(), s.size(), &v);
  return v;
}

/** Runs a callback body, turning C++ exceptions into JS errors (ArgError → TypeError). */
template <typename F>
napi_value wrap(napi_env env, F&& body) {
  try {
    return body();
  } catch (const ArgError& e) {
    napi_throw_type_error(env, nullptr, e.what());
  } catch (const std::exception& e) {
    napi_throw_error(env, nullptr, e.what());
  } catch (...) {
    napi_throw_error(env, nullptr, "unknown native error");
  }
  return nullptr;
}

}  // namespace un
