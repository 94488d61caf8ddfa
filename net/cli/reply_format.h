// Reply formatting: how kv-cli prints a decoded reply in each output mode,
// byte for byte as redis-cli 7.0 prints the same reply.
//
//   kTty         a terminal: (integer) 1, "quoted strings", numbered
//                aggregates, 1# key => value for maps, 1~ for sets
//   kRaw         values as they are (--raw, the default off a terminal)
//   kCsv         one line, comma separated, strings quoted (--csv)
//   kJson        JSON (--json); kQuotedJson quotes strings as kTty does
//
// Pure functions over cairn::Reply: no I/O, so every shape is unit-tested.
#pragma once

#include <string>
#include <string_view>

#include "engine/resp/reply_reader.h"

namespace cairn::cli {

enum class OutputMode { kTty, kRaw, kCsv, kJson, kQuotedJson };

// The string as redis-cli quotes it on a terminal: "..." with \\ \" \n \r
// \t \a \b escaped and other unprintable bytes as \xhh.
void AppendQuoted(std::string* out, std::string_view s);

// One top-level reply in `mode`. raw_delim separates aggregate elements in
// kRaw (-d), reply_delim ends a kRaw reply (-D). report: the command is one
// whose reply is a text report (INFO, CLIENT LIST ...) that redis-cli prints
// raw, with nothing added, in every mode.
std::string FormatReply(const Reply& r, OutputMode mode, bool report = false,
                        std::string_view raw_delim = "\n", std::string_view reply_delim = "\n");

// Commands whose replies redis-cli prints raw on a terminal.
bool IsReportCommand(std::string_view cmd, std::string_view sub);

}  // namespace cairn::cli
