// PrefetchLine: a cache hint the compiler must keep.
//
// GCC 12 at -O3 deleted a loop made only of __builtin_prefetch calls on
// pointers it had loaded (Database::Prefetch's second pass: the binary held
// the bucket prefetches and none of the entry ones), since a prefetch has no
// effect the language can observe. The volatile asm cannot be removed; it
// reads nothing and cannot fault, so a stale or wrong pointer costs only the
// hint.
#pragma once

namespace cairn {

inline void PrefetchLine(const void* p) {
#if defined(__x86_64__) || defined(__i386__)
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(p)));
#else
  __builtin_prefetch(p);
#endif
}

}  // namespace cairn
