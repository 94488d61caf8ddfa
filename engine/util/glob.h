// Glob matching with Redis's rules (KEYS, SCAN MATCH, CONFIG GET).
//
// '*' any run, '?' one byte, '[abc]' '[^a-z]' sets with ranges (reversed
// ranges allowed), '\' escapes the next byte. An unclosed '[' matches the set
// read so far, as Redis's matcher does. Backtracking is bounded: once the rest
// of a pattern failed after a '*' at every position, earlier stars are not
// retried, so no pattern takes exponential time. A '*' nested more than 1000
// deep (counting the stars the match has passed) fails, as in Debian 12's
// redis-server 7.0.15 (pattern-abuse fix), so recursion depth is bounded.
// nocase (CONFIG GET) folds literal bytes and ranges, but not a byte escaped
// inside a set: "[\\M]" does not match 'm', in Redis too.
// A star never matches an empty text here ("*" against ""): KEYS and SCAN
// must treat a lone "*" as match-all themselves, as Redis does.
#pragma once

#include <string_view>

namespace cairn {

bool GlobMatch(std::string_view pattern, std::string_view text, bool nocase = false);

}  // namespace cairn
