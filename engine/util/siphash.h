// SipHash-1-2: the keyed hash of the keyspace tables.
//
// Keyed with 16 bytes drawn from the Env's random source, so in production a
// client cannot craft keys that collide (hash flooding), and in the simulator a
// fixed seed gives a fixed table layout. One compression round and two
// finalization rounds, as Redis uses for its dictionaries.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace cairn {

using SipKey = std::array<uint8_t, 16>;

uint64_t SipHash12(const SipKey& key, std::string_view data);

}  // namespace cairn
