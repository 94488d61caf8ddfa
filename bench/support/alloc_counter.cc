// Replaces operator new/delete and (outside sanitizer builds) malloc & co. in
// the binary that links this file; see alloc_counter.h.
#include "bench/support/alloc_counter.h"

#include <cstddef>
#include <cstdlib>
#include <new>

namespace {
uint64_t g_news = 0;
uint64_t g_mallocs = 0;
}  // namespace

#if !defined(CAIRN_NO_MALLOC_COUNT)
extern "C" {
void* __libc_malloc(size_t n);
void* __libc_calloc(size_t n, size_t size);
void* __libc_realloc(void* p, size_t n);
void __libc_free(void* p);

// glibc lets a program define these; everything in the process (the engine's
// ByteBuffer and Entry, libstdc++, Google Benchmark) then comes through here.
void* malloc(size_t n) {
  ++g_mallocs;
  return __libc_malloc(n);
}
void* calloc(size_t n, size_t size) {
  ++g_mallocs;
  return __libc_calloc(n, size);
}
void* realloc(void* p, size_t n) {
  ++g_mallocs;
  return __libc_realloc(p, n);
}
void free(void* p) { __libc_free(p); }
}
namespace {
void* RawAlloc(size_t n) { return __libc_malloc(n == 0 ? 1 : n); }
void RawFree(void* p) { __libc_free(p); }
}  // namespace
#else
namespace {
void* RawAlloc(size_t n) { return std::malloc(n == 0 ? 1 : n); }
void RawFree(void* p) { std::free(p); }
}  // namespace
#endif

void* operator new(size_t n) {
  ++g_news;
  if (void* p = RawAlloc(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t n) {
  ++g_news;
  if (void* p = RawAlloc(n)) return p;
  throw std::bad_alloc();
}
void* operator new(size_t n, const std::nothrow_t&) noexcept {
  ++g_news;
  return RawAlloc(n);
}
void* operator new[](size_t n, const std::nothrow_t&) noexcept {
  ++g_news;
  return RawAlloc(n);
}
void operator delete(void* p) noexcept { RawFree(p); }
void operator delete[](void* p) noexcept { RawFree(p); }
void operator delete(void* p, size_t) noexcept { RawFree(p); }
void operator delete[](void* p, size_t) noexcept { RawFree(p); }

namespace cairn::bench {

AllocSnapshot AllocCounts() { return AllocSnapshot{g_news, g_mallocs}; }

bool MallocCounted() {
#if defined(CAIRN_NO_MALLOC_COUNT)
  return false;
#else
  return true;
#endif
}

}  // namespace cairn::bench
