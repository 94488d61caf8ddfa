#include "engine/aof/lzf.h"

#include <string>

namespace cairn::aof {

Result<std::string> LzfDecompress(std::string_view in, size_t out_len) {
  // A back-reference (2 or 3 input bytes) yields at most 264 output bytes, so
  // a length beyond that ratio is damage -- refused before it is reserved,
  // so a crafted length cannot make the loader allocate without bound.
  if (out_len / 132 > in.size()) {
    return Status::Corruption("lzf: decompressed length " + std::to_string(out_len) +
                              " impossible for " + std::to_string(in.size()) + " input bytes");
  }
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
