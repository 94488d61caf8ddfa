// Protected mode: with protected-mode yes and no password for the default
// user (requirepass empty), only loopback and unix-socket clients may talk
// to the server. Any other client gets Redis 7.0's -DENIED error as soon as
// it connects and is closed, whatever the bind address -- the reply bytes
// are the protocol (clients and scripts match on them), so they are Redis's.
//
// Loopback means what the peer address says: 127.0.0.0/8, ::1, an IPv4
// address mapped into IPv6 (::ffff:127.x.y.z), a unix socket, or no peer at
// all (a session opened in-process by a test or tool). The engine
// decides from SessionInfo alone, so the simulator and tests see the same
// rule the real server applies.
#pragma once

#include <string_view>

#include "engine/config/config.h"
#include "engine/session.h"

namespace cairn {

// The error line (CRLF included) a refused client receives.
extern const std::string_view kProtectedModeDenied;

// True for a unix socket or a loopback peer address.
bool IsLoopbackPeer(const SessionInfo& info);

// True when settings forbid this client (protected mode, no password,
// non-loopback peer).
bool DeniedByProtectedMode(const Settings& settings, const SessionInfo& info);

}  // namespace cairn
