#include "engine/command/client_line.h"

#include <cstdint>

#include "engine/command/command.h"
#include "engine/engine.h"
#include "engine/util/ascii.h"

namespace cairn {
namespace {

// Redis's fixed per-client reply buffer; output beyond it is counted as list
// blocks of the same size.
constexpr uint64_t kReplyChunk = 16 * 1024;

void Field(std::string& out, std::string_view key, std::string_view value) {
  out += key;
  out += '=';
  out += value;
  out += ' ';
}

void IntField(std::string& out, std::string_view key, int64_t value) {
  Field(out, key, std::to_string(value));
}

}  // namespace

std::optional<ClientType> ParseClientType(std::string_view name) {
  if (AsciiEqualsIgnoreCase(name, "normal")) return ClientType::kNormal;
  if (AsciiEqualsIgnoreCase(name, "slave") || AsciiEqualsIgnoreCase(name, "replica")) {
    return ClientType::kReplica;
  }
  if (AsciiEqualsIgnoreCase(name, "pubsub")) return ClientType::kPubsub;
  if (AsciiEqualsIgnoreCase(name, "master")) return ClientType::kMaster;
  return std::nullopt;
}

ClientType TypeOf(const Session&) { return ClientType::kNormal; }

void AppendClientLine(Engine& engine, const Session& s, const Session* current, std::string& out) {
  const int64_t now = engine.now_ms();
  std::string flags;
  if (s.monitor) flags += 'O';
  if (s.close_after_reply) flags += 'c';
  if (s.close_asap) flags += 'A';
  if (s.info.unix_socket) flags += 'U';
  if (s.no_evict) flags += 'e';
  if (flags.empty()) flags = "N";

  uint64_t argv_mem = 0;
  if (&s == current) {
    for (std::string_view a : s.argv) argv_mem += a.size();
  }
  const uint64_t pending = s.output.size();
  const uint64_t obl = pending < kReplyChunk ? pending : kReplyChunk;
  const uint64_t omem = pending - obl;
  const uint64_t oll = (omem + kReplyChunk - 1) / kReplyChunk;
  const uint64_t tot_mem =
      sizeof(Session) + s.input.capacity() + s.output.capacity() + argv_mem + s.name.capacity();
  std::string events = "r";
  if (&s != current && !s.output.empty()) events += 'w';

  IntField(out, "id", static_cast<int64_t>(s.id));
  Field(out, "addr", s.info.peer);
  Field(out, "laddr", s.info.local);
  IntField(out, "fd", s.info.fd);
  Field(out, "name", s.name);
  IntField(out, "age", (now - s.created_ms) / 1000);
  IntField(out, "idle", (now - s.last_interaction_ms) / 1000);
  Field(out, "flags", flags);
  IntField(out, "db", s.db);
  IntField(out, "sub", 0);
  IntField(out, "psub", 0);
  IntField(out, "ssub", 0);
  IntField(out, "multi", -1);
  IntField(out, "qbuf", static_cast<int64_t>(s.input.size()));
  IntField(out, "qbuf-free", static_cast<int64_t>(s.input.capacity() - s.input.size()));
  IntField(out, "argv-mem", static_cast<int64_t>(argv_mem));
  IntField(out, "multi-mem", 0);
  IntField(out, "rbs", static_cast<int64_t>(s.output.capacity()));
  IntField(out, "rbp", static_cast<int64_t>(s.output_peak));
  IntField(out, "obl", static_cast<int64_t>(obl));
  IntField(out, "oll", static_cast<int64_t>(oll));
  IntField(out, "omem", static_cast<int64_t>(omem));
  IntField(out, "tot-mem", static_cast<int64_t>(tot_mem));
  Field(out, "events", events);
  Field(out, "cmd",
        s.last_command != nullptr ? std::string_view(s.last_command->fullname)
                                  : std::string_view("NULL"));
  Field(out, "user", "default");
  IntField(out, "redir", -1);
  IntField(out, "resp", s.resp);
  out.pop_back();  // the last field's space
}

}  // namespace cairn
