#include "net/allocator.h"

#include <cstdlib>

#include <fmt/format.h>

#ifdef CAIRN_WITH_MIMALLOC
#include <mimalloc.h>
#endif

namespace cairn {

#ifdef CAIRN_WITH_MIMALLOC

namespace {

// True when malloc resolves to mimalloc (it overrides malloc only when its
// library comes before libc in the link order).
bool MallocIsMimalloc() {
  void* probe = std::calloc(1, 64);  // calloc: the probe is never read
  const bool ours = probe != nullptr && mi_is_in_heap_region(probe);
  std::free(probe);
  return ours;
}

}  // namespace

void ConfigureAllocator() {
  // mimalloc may have read its options before main; the environment, when
  // it says anything, still decides.
  if (std::getenv("MIMALLOC_LARGE_OS_PAGES") == nullptr) {
    mi_option_set(mi_option_large_os_pages, 1);
  }
}

std::string AllocatorName() {
  if (!MallocIsMimalloc()) return "libc";
  const int v = mi_version();  // 209 for 2.0.9
  return fmt::format("mimalloc-{}.{}.{}", v / 100, v / 10 % 10, v % 10);
}

#else

void ConfigureAllocator() {}

std::string AllocatorName() { return "libc"; }

#endif

}  // namespace cairn
