// Package rdb owns the parts of Redis's RDB serialization that Cairn
// speaks: the length and string encodings, LZF decompression, the CRC-64
// that guards payloads, the DUMP payload (one serialized value, the RDB
// version and a checksum) that DUMP writes and RESTORE reads, loading
// whole RDB files (Redis's dump.rdb, and the RDB preamble of an AOF) as
// the SELECT and SET records that recreate their keys, and writing RDB
// files of string keys (Writer, for SAVE and BGSAVE).
//
// Invariants:
//   - Encode writes what redis-server 7.0 writes for the same string,
//     except that it never LZF-compresses: long compressible values come
//     out uncompressed (valid for every RESTORE), short and incompressible
//     ones byte for byte as Redis writes them.
//   - Decode accepts every string encoding Redis writes (raw, the three
//     integer forms, LZF) from any RDB version up to Version, checks the
//     checksum, and never reads past the payload: malformed input is an
//     error, not a panic.
//   - Values of other types are recognised and refused with ErrType (or,
//     in a file, a LoadError naming the key), so the caller can say what
//     it cannot store; so are module data and function libraries.
//   - Load checks the file's checksum and version and reports the byte
//     offset of whatever stops it.
package rdb
