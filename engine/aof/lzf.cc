#include "engine/aof/lzf.h"

namespace cairn::aof {

Result<std::string> LzfDecompress(std::string_view in, size_t out_len) {
  std::string out;
  out.reserve(out_len);
  size_t ip = 0;
  while (ip < in.size()) {
    unsigned ctrl = static_cast<unsigned char>(in[ip++]);
    if (ctrl < 32) {
      size_t run = ctrl + 1;
      if (ip + run > in.size() || out.size() + run > out_len) {
        return Status::Corruption("lzf: literal run past the end");
      }
      out.append(in.substr(ip, run));
      ip += run;
      continue;
    }
    size_t len = ctrl >> 5;
    if (len == 7) {
      if (ip >= in.size()) return Status::Corruption("lzf: truncated length");
      len += static_cast<unsigned char>(in[ip++]);
    }
    if (ip >= in.size()) return Status::Corruption("lzf: truncated reference");
    size_t back = ((ctrl & 0x1f) << 8) + static_cast<unsigned char>(in[ip++]) + 1;
    len += 2;
    if (back > out.size() || out.size() + len > out_len) {
      return Status::Corruption("lzf: reference out of range");
    }
    size_t from = out.size() - back;
    for (size_t i = 0; i < len; ++i) out.push_back(out[from + i]);  // may overlap
  }
  if (out.size() != out_len) return Status::Corruption("lzf: wrong decompressed length");
  return out;
}

}  // namespace cairn::aof
