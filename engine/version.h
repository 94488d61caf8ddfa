// Versions Cairn reports: its own, and the Redis version whose behaviour it
// matches (INFO redis_version; tools gate features on it).
#pragma once

namespace cairn {

inline constexpr char kCairnVersion[] = "0.1.0";
inline constexpr char kRedisCompatVersion[] = "7.0.15";

}  // namespace cairn
