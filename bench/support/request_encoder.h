// AppendRequest: RESP multibulk encoding of a request, appended to a string
// whose capacity the caller reuses (kv-bench builds its pipelines with it, the
// micro-benchmarks their input).
#pragma once

#include <charconv>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace cairn::bench {

inline void AppendDecimal(std::string& out, size_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, r.ptr);
}

inline void AppendBulk(std::string& out, std::string_view arg) {
  out.push_back('$');
  AppendDecimal(out, arg.size());
  out.append("\r\n");
  out.append(arg);
  out.append("\r\n");
}

inline void AppendRequest(std::string& out, std::span<const std::string_view> args) {
  out.push_back('*');
  AppendDecimal(out, args.size());
  out.append("\r\n");
  for (std::string_view a : args) AppendBulk(out, a);
}

inline void AppendRequest(std::string& out, std::initializer_list<std::string_view> args) {
  AppendRequest(out, std::span<const std::string_view>(args.begin(), args.size()));
}

inline std::string EncodeRequest(std::initializer_list<std::string_view> args) {
  std::string out;
  AppendRequest(out, args);
  return out;
}

}  // namespace cairn::bench
