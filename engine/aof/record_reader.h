// RecordReader: splits the bytes of an AOF file (AOF part, after any RDB
// preamble) into records and annotations, with the byte offset of each.
//
// It reads as Redis 7.0's loader does: a '#' at a record's start begins an
// annotation line; a record is "*<argc>" then argc "$<len>" bulk strings, each
// line ended by "\n" (a "\r" before it is optional in headers). It never
// allocates per argument: views point into the caller's buffer.
//
// Outcomes at a position: a record, an annotation, the end of the data, a
// record cut short by the end of the data (kTruncated: a torn tail), or bytes
// that cannot start or continue a record (kBad, with the reason).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::aof {

class RecordReader {
 public:
  enum class Kind { kRecord, kAnnotation, kEnd, kTruncated, kBad };
  struct Item {
    Kind kind = Kind::kEnd;
    size_t start = 0;                    // offset of the item's first byte
    size_t end = 0;                      // offset just past it
    std::vector<std::string_view> args;  // kRecord
    std::string_view line;               // kAnnotation, without the line end
    std::string error;                   // kBad
  };

  explicit RecordReader(std::string_view data, size_t start = 0) : data_(data), pos_(start) {}

  // Reads the next item; kEnd, kTruncated and kBad leave the position
  // where the item started.
  const Item& Next();
  size_t position() const { return pos_; }

 private:
  // Reads a "\n"-terminated line from p; false when the data ends first.
  bool Line(size_t p, std::string_view* line, size_t* next) const;

  std::string_view data_;
  size_t pos_;
  Item item_;
};

}  // namespace cairn::aof
