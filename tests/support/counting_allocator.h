// Counting of heap allocations made through the global operator new.
//
// Linking counting_allocator.cc into a test binary replaces every form of
// the global operator new/delete for that whole binary (so it lives in its
// own small binary, cairn_alloc_tests, not in the unit-test binary). The
// replacements forward to malloc/free and count calls only between
// StartCounting() and StopCounting(), on any thread.
//
// What is not counted: direct malloc/calloc/realloc calls (the keyspace
// allocates entries with malloc on purpose), and memory that ASan's own
// runtime takes.
#pragma once

#include <cstddef>

namespace cairn::testing {

void StartCountingAllocations();
// Stops counting; returns the operator new calls made since Start.
size_t StopCountingAllocations();

// Counts allocations of fn().
template <typename Fn>
size_t CountAllocations(Fn&& fn) {
  StartCountingAllocations();
  fn();
  return StopCountingAllocations();
}

}  // namespace cairn::testing
