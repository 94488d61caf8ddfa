// Keyspace invariant checks: what database.h promises, verified by walking
// the tables without changing them (no rehash step, no expiry, no access
// clock update), so a check between two steps cannot alter what the next
// step does. Fuzz targets, property tests and the simulator call it after
// every input; production never does (it is O(keys)).
#pragma once

#include "engine/keyspace/database.h"
#include "engine/keyspace/keyspace.h"
#include "engine/util/status.h"

namespace cairn {

// One database: every main entry is found under its own key and counted
// once; the expiry table holds exactly the entries with a deadline, each
// also in the main table; bytes() equals the entries' allocations plus the
// tables' bucket arrays. The first violation comes back as a kCorruption
// status naming the key.
Status CheckInvariants(const Database& db);

// Every database of the keyspace, in order; the message names the database.
Status CheckInvariants(const Keyspace& keyspace);

}  // namespace cairn
