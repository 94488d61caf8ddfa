// AllocCounter: how many heap allocations a stretch of code makes, for the
// micro-benchmarks' allocs/op counters.
//
// The counting itself lives in alloc_counter.cc, which replaces the global
// operator new (every C++ allocation) and -- outside sanitizer builds --
// interposes malloc/calloc/realloc through glibc's __libc_* entry points (the
// engine keeps entries and byte buffers in malloc'd memory). Only binaries
// that link alloc_counter.cc count; everything else is untouched.
//
// Invariants: the counters only grow; they are plain (not atomic) because a
// benchmark measures one thread, and a reading is a difference of two
// snapshots taken on that thread.
#pragma once

#include <cstdint>

namespace cairn::bench {

struct AllocSnapshot {
  uint64_t news = 0;     // operator new / new[] calls
  uint64_t mallocs = 0;  // malloc, calloc and realloc calls that may allocate
};

// The counts since the process started.
AllocSnapshot AllocCounts();

// Whether malloc is counted in this build (not under ASan/TSan, whose own
// allocator must stay in charge).
bool MallocCounted();

}  // namespace cairn::bench
