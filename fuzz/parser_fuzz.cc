// libFuzzer target for the request parser: any input, parsed whole and cut
// at points the input itself chooses, must parse the same way (see
// parser_check.h). A difference aborts, so libFuzzer saves the input.
#include <cstdio>
#include <cstdlib>

#include "fuzz/parser_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string why = cairn::fuzz::CheckSplitParse(data, size);
  if (!why.empty()) {
    std::fprintf(stderr, "parser_fuzz: %s", why.c_str());
    std::abort();
  }
  return 0;
}
