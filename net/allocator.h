// Allocator: which malloc serves kv-server, and its start-up settings.
//
// kv-server links mimalloc (Debian's libmimalloc-dev) unless the build says
// otherwise (CMake CAIRN_ALLOCATOR=system; sanitized builds always use the
// system allocator, whose calls the sanitizers intercept). With mimalloc,
// memory comes from the OS in 2 MiB transparent huge pages: a server that
// never forks pays none of the copy-on-write cost that makes Redis advise
// against them, and on a virtual machine, where every 4 KiB page fault is
// expensive, filling a large keyspace (loading an AOF above all) takes far
// fewer faults and TLB misses. MIMALLOC_LARGE_OS_PAGES=0 in the environment
// turns the huge pages off.
//
// Invariant: AllocatorName() names the allocator that actually serves
// malloc, checked at run time, not the one the build asked for.
#pragma once

#include <string>

namespace cairn {

// Applies the allocator's defaults. Call first thing in main, before the
// process allocates much: settings apply to memory obtained afterwards.
void ConfigureAllocator();

// "mimalloc-2.0.9" or "libc" (INFO memory's mem_allocator).
std::string AllocatorName();

}  // namespace cairn
