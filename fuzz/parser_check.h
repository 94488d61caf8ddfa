// CheckSplitParse: the one judgement the parser fuzz target and its corpus
// replay share. The input is parsed whole, then cut at points taken from the
// input's own bytes and parsed again; both parses must agree (requests,
// empty requests, the error and where it happened, bytes left over) and
// neither may break one of the parser's promises (tests/support/parse_stream.h
// checks them on the way). The prefetch look-ahead (request_peek.h) may name
// only second arguments of requests the whole parse found, inside the input.
//
// Cut points are read from the tail of the input (as libFuzzer's
// FuzzedDataProvider reads integers, but without its header, which gcc builds
// of the replay do not have), so the whole input stays the parsed stream:
// corpus files are plain RESP, and the fuzzer steers the cuts by mutating the
// last bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/resp/request_peek.h"
#include "tests/support/parse_stream.h"

namespace cairn::fuzz {

// Empty when whole and split parses agree; otherwise what differed.
inline std::string CheckSplitParse(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::vector<size_t> cuts;
  // Last byte: how many cuts (0..32); then two bytes per cut, backwards.
  size_t tail = size;
  auto take_byte = [&]() -> size_t { return tail > 0 ? data[--tail] : 0; };
  size_t n_cuts = size == 0 ? 0 : take_byte() % 33;
  for (size_t i = 0; i < n_cuts && tail > 0; ++i) {
    size_t v = take_byte();
    v = (v << 8) | take_byte();
    cuts.push_back(v % (size + 1));
  }
  // The pre-AUTH limits change where errors happen: exercise both, chosen by
  // the input's length (a quarter of the inputs).
  ParserLimits limits;
  limits.auth_required = size % 4 == 3;

  testing::ParseResult whole = testing::ParseWhole(bytes, limits);
  testing::ParseResult split = testing::ParseSplit(bytes, cuts, limits);
  std::string why;
  if (!whole.violations.empty()) why += "whole parse broke a promise\n";
  if (!split.violations.empty()) why += "split parse broke a promise\n";
  if (!whole.SameOutcome(split)) why += "split parse differs from whole parse\n";
  if (!limits.auth_required) {  // the pre-AUTH limits refuse what a peek names
    std::string_view peeked[64];
    const size_t n = PeekSecondArgs(bytes, peeked, 64);
    for (size_t i = 0; i < n; ++i) {
      const bool inside = peeked[i].data() >= bytes.data() &&
                          peeked[i].data() + peeked[i].size() <= bytes.data() + bytes.size();
      if (!inside || i >= whole.events.size() ||
          whole.events[i].kind != testing::ParseEvent::Kind::kRequest ||
          whole.events[i].args.size() < 2 || whole.events[i].args[1] != peeked[i]) {
        why += "peek named request " + std::to_string(i) + " wrongly\n";
        break;
      }
    }
  }
  if (why.empty()) return why;
  why += "cuts:";
  for (size_t c : cuts) why += " " + std::to_string(c);
  why += "\n--- whole\n" + testing::DescribeResult(whole);
  why += "\n--- split\n" + testing::DescribeResult(split) + "\n";
  return why;
}

}  // namespace cairn::fuzz
