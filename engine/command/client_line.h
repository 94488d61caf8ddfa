// One CLIENT LIST / CLIENT INFO line, with every field of Redis 7.0's line in
// its order, and the client types CLIENT LIST TYPE and CLIENT KILL TYPE
// filter on.
//
// Fields Cairn has no equivalent for (pub/sub, MULTI, redirection) show what
// an idle Redis client shows. Buffer figures map Cairn's two byte buffers onto
// Redis's terms: qbuf/qbuf-free are the input buffer; rbs/rbp are the output
// buffer's allocation and its peak use; obl is what sits in the first 16 KiB
// of pending output (Redis's fixed reply buffer) and oll/omem the rest, in
// 16 KiB blocks as Redis's reply list counts them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cairn {

class Engine;
struct Session;

enum class ClientType : uint8_t { kNormal, kReplica, kPubsub, kMaster };

// "normal", "replica"/"slave", "pubsub", "master" in any case.
std::optional<ClientType> ParseClientType(std::string_view name);
// Until replication and pub/sub exist every session (monitors included, as
// in Redis) is a normal client.
ClientType TypeOf(const Session& s);

// Appends s's line (no trailing newline). current is the session running the
// command: its argv counts as argv-mem.
void AppendClientLine(Engine& engine, const Session& s, const Session* current, std::string& out);

}  // namespace cairn
