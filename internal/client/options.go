package client

import (
	"crypto/tls"
	"time"

	"cairn/internal/resp"
)

// Options describe where to connect and the session to set up there.
type Options struct {
	Addr         string        // host:port; default 127.0.0.1:6379
	Network      string        // "tcp" (default) or "unix"
	User         string        // ACL user; empty means "default"
	Password     string        // sent with AUTH (or HELLO ... AUTH) when set
	DB           int           // SELECTed after connecting when non-zero
	Protocol     int           // 3 sends HELLO 3; 2 or 0 stays on RESP2
	ClientName   string        // CLIENT SETNAME after connecting when set
	DialTimeout  time.Duration // default 5s
	ReadTimeout  time.Duration // 0: wait forever (blocking commands)
	WriteTimeout time.Duration // 0: no deadline
	TLS          *tls.Config   // non-nil: wrap the connection in TLS
	// OnSetupError decides what an error reply to a set-up command (AUTH,
	// HELLO, SELECT, CLIENT SETNAME) means: returning nil carries on with
	// the session as it is (redis-cli warns and goes on); nil OnSetupError
	// or a non-nil result makes the connection attempt fail.
	OnSetupError func(err *SetupError) error
	// OnPush receives RESP3 push messages read while waiting for a reply.
	// Nil drops them.
	OnPush func(v resp.Value, raw []byte)
}

func (o Options) withDefaults() Options {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:6379"
	}
	if o.Network == "" {
		o.Network = "tcp"
	}
	if o.DialTimeout == 0 {
		o.DialTimeout = 5 * time.Second
	}
	return o
}
