#include "tests/support/quote.h"

namespace cairn::testing {

std::string QuoteBytes(std::string_view bytes, size_t max_bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  std::string_view shown = bytes.substr(0, max_bytes);
  for (unsigned char c : shown) {
    switch (c) {
      case '\r':
        out += "\\r";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (c < 0x20 || c >= 0x7f) {
          out += "\\x";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  if (shown.size() < bytes.size()) {
    out += "... (" + std::to_string(bytes.size()) + " bytes in all)";
  }
  return out;
}

}  // namespace cairn::testing
