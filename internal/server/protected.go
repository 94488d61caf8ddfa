package server

import "net"

// deniedReply is what Redis 7.0 sends a client that protected mode turns
// away, right after accepting (after the handshake on tls-port), before
// closing the connection. Byte for byte Redis's text, typo included.
const deniedReply = "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n"

// protectedModeDenies reports whether protected mode turns away a client
// connecting from remote: protected mode is on, the default user needs no
// password (nopass), and the client is not local.
func protectedModeDenies(protectedMode, passwordSet bool, remote net.Addr) bool {
	return protectedMode && !passwordSet && !isLocalClient(remote)
}

// defaultUserHasPassword reports whether the default user must
// authenticate (it lacks nopass: requirepass or ACL SETUSER default >pw),
// which lifts protected mode.
func (s *Server) defaultUserHasPassword() bool { return !s.engine.DefaultUserNoPass() }

// isLocalClient reports whether a client at addr counts as local for
// protected mode. Redis 7.0 compares the peer's address text with
// "127.0.0.1" and "::1" only: a client from 127.0.0.2 is refused (checked
// against redis-server 7.0.15), so the rest of 127.0.0.0/8 is not local
// here either. An IPv4 client seen through a dual-stack socket
// (::ffff:127.0.0.1) is the same peer as 127.0.0.1. Unix-socket clients are
// always local.
func isLocalClient(addr net.Addr) bool {
	var ip net.IP
	switch a := addr.(type) {
	case *net.UnixAddr:
		return true
	case *net.TCPAddr:
		ip = a.IP
	default:
		return false
	}
	if ip4 := ip.To4(); ip4 != nil {
		return ip4.Equal(net.IPv4(127, 0, 0, 1))
	}
	return ip.Equal(net.IPv6loopback)
}
