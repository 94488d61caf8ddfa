// Session: the engine's view of one client connection.
//
// The engine owns sessions; a world (net/ or sim/) holds a Session* from
// Engine::OpenSession until it calls Engine::CloseSession, and only moves
// bytes: it reads into InputSpace, tells the engine how many bytes arrived,
// and writes what the engine releases. Everything a client's state means --
// protocol version, database, name, reply mode, closing -- is decided here and
// in the command layer, so the simulator runs the same logic production runs.
//
// Invariants:
//   - input holds unparsed bytes only; a request is executed as soon as it is
//     complete, and its bytes are consumed after it ran.
//   - output holds replies in execution order; the world writes a prefix and
//     calls ConsumeOutput.
//   - After close_asap the session executes nothing more and its output is
//     dropped; after close_after_reply it executes nothing more and closes once
//     its output is written.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/resp/request_parser.h"
#include "engine/util/byte_buffer.h"

namespace cairn {

struct Command;

struct SessionInfo {
  std::string peer;   // "127.0.0.1:53012" or "/tmp/kv.sock:0"
  std::string local;  // "127.0.0.1:6379"
  int fd = -1;        // shown by CLIENT LIST
  bool unix_socket = false;
};

enum class ReplyMode : uint8_t { kOn, kOff, kSkipThis, kSkipNext };

struct Session {
  uint64_t id = 0;
  SessionInfo info;
  ByteBuffer input;
  ByteBuffer output;
  RequestParser parser;
  std::vector<std::string_view> argv;

  int resp = 2;
  int db = 0;
  std::string name;
  bool authenticated = false;
  ReplyMode reply_mode = ReplyMode::kOn;
  bool monitor = false;
  bool no_evict = false;
  bool close_after_reply = false;
  bool close_asap = false;
  bool in_ready_list = false;  // queued for the world's attention
  bool executing = false;      // inside Engine::OnInput

  int64_t created_ms = 0;           // wall clock
  int64_t last_interaction_ms = 0;  // wall clock, for CLIENT LIST idle and timeout
  const Command* last_command = nullptr;
  uint64_t commands_processed = 0;
  uint64_t net_input_bytes = 0;
  uint64_t net_output_bytes = 0;
  size_t output_peak = 0;            // most output bytes held at once (CLIENT LIST rbp)
  int64_t output_soft_since_ms = 0;  // over the soft output limit since (0: not over)

  // Replies held until the log is durable (appendfsync always; durability.h).
  // Offsets count output bytes from the session's first: net_output_bytes
  // are gone, output.size() are buffered. Output below release_end may
  // leave; each hold is (output end, log position it waits for).
  uint64_t release_end = 0;
  std::deque<std::pair<uint64_t, uint64_t>> holds;
  uint64_t output_total() const { return net_output_bytes + output.size(); }

  bool closing() const { return close_asap || close_after_reply; }
};

}  // namespace cairn
