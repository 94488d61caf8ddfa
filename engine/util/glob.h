// Glob matching with Redis's rules (KEYS, SCAN MATCH, CONFIG GET).
//
// '*' any run, '?' one byte, '[abc]' '[^a-z]' sets with ranges (reversed
// ranges allowed), '\' escapes the next byte. An unclosed '[' matches the set
// read so far, as Redis's matcher does. Backtracking is bounded: once the rest
// of a pattern failed after a '*' at every position, earlier stars are not
// retried, so no pattern takes exponential time.
#pragma once

#include <string_view>

namespace cairn {

bool GlobMatch(std::string_view pattern, std::string_view text, bool nocase = false);

}  // namespace cairn
