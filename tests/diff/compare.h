// How the diff runner decides that two replies to one step are the same,
// under the step's compare mode (see script.h and README.md).
#pragma once

#include <string>
#include <string_view>

#include "tests/diff/script.h"

namespace cairn::diff {

struct Verdict {
  bool same = false;
  std::string why;  // what differs beyond the raw bytes ("" when they tell it)
};

// a and b are complete raw reply frames.
Verdict CompareReplies(const Step& step, std::string_view a, std::string_view b);

// The reply with every aggregate's elements sorted (maps and attributes by
// key/value pair), re-encoded: equal for replies holding the same elements
// in any order. Malformed input comes back unchanged.
std::string CanonicalReply(std::string_view frame);

// The reply's type byte, null-ness and element counts, recursively, e.g.
// "*2[$,:]" or "$nil".
std::string ReplyShape(std::string_view frame);

// The type byte of the reply (after any attribute), or 0 if malformed.
char ReplyType(std::string_view frame);

}  // namespace cairn::diff
