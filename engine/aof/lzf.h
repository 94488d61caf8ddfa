// Lzf: decompression of the LZF format Redis uses for long strings in RDB
// files. The stream is a sequence of runs: a control byte below 32 starts a
// literal run of ctrl+1 bytes; any other control byte is a back reference
// (length in its top 3 bits, extended by a byte when they are all set; the
// distance in its low 5 bits and the next byte).
#pragma once

#include <string>
#include <string_view>

#include "engine/util/status.h"

namespace cairn::aof {

// Decompresses in into exactly out_len bytes; an error when the stream is
// malformed or does not produce exactly out_len bytes.
Result<std::string> LzfDecompress(std::string_view in, size_t out_len);

}  // namespace cairn::aof
