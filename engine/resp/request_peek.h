// PeekSecondArgs: a look ahead over a client's pipelined input, for cache
// prefetching only.
//
// Before a pipeline of requests runs, the engine prefetches the hash-table
// slots of the keys they name, so that the cache misses of sixteen GETs
// overlap instead of following one another. This scanner finds, without
// judging the input, the second element (the first key of most commands) of
// each complete multibulk request at the start of a buffer. It stops at
// anything it does not recognise -- an inline request, a malformed or
// incomplete one, a request of fewer than two elements -- because the parser
// proper (request_parser.h) decides what the bytes mean; a wrong guess here
// costs a useless prefetch, never a wrong answer.
#pragma once

#include <cstddef>
#include <string_view>

namespace cairn {

// Fills out[0..n) with the second element of each of the first n complete
// multibulk requests of buf (n <= max) and returns n. The views point into
// buf.
size_t PeekSecondArgs(std::string_view buf, std::string_view* out, size_t max);

}  // namespace cairn
