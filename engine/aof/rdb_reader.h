// RdbReader: loads the RDB preamble of a base file written by redis-server
// (aof-use-rdb-preamble yes, Redis's default) -- string keys, integer and
// LZF-compressed encodings, expiry in ms or s, SELECTDB, AUX fields and the
// resize hints; the CRC-64 trailer is skipped. A key of a type Cairn does not
// hold yet stops the load naming the key and the type.
#pragma once

#include <cstddef>
#include <string_view>

#include "engine/aof/loader.h"

namespace cairn::aof {

// Reads the RDB at the start of data into sink; returns the offset just past
// it (records may follow).
Result<size_t> ReadRdbPreamble(std::string_view data, RdbSink& sink);

}  // namespace cairn::aof
