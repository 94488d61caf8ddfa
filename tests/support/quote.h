// QuoteBytes: bytes as a double-quoted, escaped string for test reports, so
// CR, LF and binary bytes show exactly ("+OK\r\n", "\x00").
#pragma once

#include <string>
#include <string_view>

namespace cairn::testing {

// Escapes \r \n \t \" \\ and every byte outside printable ASCII as \xHH.
// Output longer than max_bytes of input is cut and says how long it was.
std::string QuoteBytes(std::string_view bytes, size_t max_bytes = 1500);

}  // namespace cairn::testing
