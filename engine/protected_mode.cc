#include "engine/protected_mode.h"

namespace cairn {

// Redis 7.0.15's bytes, typo ("Setup a an") included: clients compare them.
const std::string_view kProtectedModeDenied =
    "-DENIED Redis is running in protected mode because protected mode is enabled"
    " and no password is set for the default user. In this mode connections are o"
    "nly accepted from the loopback interface. If you want to connect from extern"
    "al computers to Redis you may adopt one of the following solutions: 1) Just "
    "disable protected mode sending the command 'CONFIG SET protected-mode no' fr"
    "om the loopback interface by connecting to Redis from the same host the serv"
    "er is running, however MAKE SURE Redis is not publicly accessible from inter"
    "net if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alter"
    "natively you can just disable the protected mode by editing the Redis config"
    "uration file, and setting the protected mode option to 'no', and then restar"
    "ting the server. 3) If you started the server manually just for testing, res"
    "tart it with the '--protected-mode no' option. 4) Setup a an authentication "
    "password for the default user. NOTE: You only need to do one of the above th"
    "ings in order for the server to start accepting connections from the outside"
    "."
    "\r\n";

bool IsLoopbackPeer(const SessionInfo& info) {
  // No peer at all is a session opened in-process (tests, tools).
  if (info.unix_socket || info.peer.empty()) return true;
  std::string_view peer = info.peer;
  // The address part of "addr:port" (IPv6 peers have colons of their own).
  size_t colon = peer.rfind(':');
  std::string_view addr = colon == std::string_view::npos ? peer : peer.substr(0, colon);
  if (addr.size() >= 2 && addr.front() == '[' && addr.back() == ']') {
    addr = addr.substr(1, addr.size() - 2);
  }
  constexpr std::string_view kMapped = "::ffff:";
  if (addr.substr(0, kMapped.size()) == kMapped) addr.remove_prefix(kMapped.size());
  return addr == "::1" || addr.substr(0, 4) == "127.";
}

bool DeniedByProtectedMode(const Settings& settings, const SessionInfo& info) {
  return settings.protected_mode && settings.requirepass.empty() && !IsLoopbackPeer(info);
}

}  // namespace cairn
