package server

import (
	"fmt"
	"time"

	"cairn/internal/config"
)

// defaultNormalHardLimit applies when client-output-buffer-limit gives
// normal clients no hard limit (Redis's default "normal 0 0 0"). Redis
// then lets one client's pending replies grow without bound; Cairn
// instead closes a client with more than 256 MiB of replies pending, far
// above any sane pipeline, so one greedy or stuck client cannot exhaust
// the server's memory.
const defaultNormalHardLimit = 256 << 20

// unauthOutputLimit caps the pending replies of a client that has not
// authenticated yet (Authed is false only while a password is required):
// as Redis 7 does, a stranger's pipeline whose replies pass 16 KiB closes
// the connection, so NOAUTH errors cannot be used to make the server
// buffer output.
const unauthOutputLimit = 16 << 10

// Pending output of a connection is the current batch's replies: the loop
// writes them with one blocking write before it reads again, so the
// limits are checked while a batch grows (hard) and around that write
// (soft). Only normal clients exist so far; pub/sub and replica classes
// will need their own class lookup here.

// outputHardLimit is the byte count above which a batch's replies close
// the connection.
func (c *conn) outputHardLimit() int64 {
	if h := c.srv.cfg.OutputBufferLimit(config.ClassNormal).Hard; h > 0 {
		return h
	}
	return defaultNormalHardLimit
}

// overSoftLimit reports whether n pending bytes exceed the soft limit,
// starting or clearing the soft-limit clock.
func (c *conn) overSoftLimit(n int) bool {
	soft := c.srv.cfg.OutputBufferLimit(config.ClassNormal).Soft
	if soft <= 0 || int64(n) <= soft {
		c.softSince = time.Time{}
		return false
	}
	if c.softSince.IsZero() {
		c.softSince = time.Now()
	}
	return true
}

// softGrace is how long output may stay above the soft limit. Redis
// counts whole seconds, so even "0" lets the excess live until the clock
// second turns; Cairn rounds that up to one second.
func (c *conn) softGrace() time.Duration {
	if s := c.srv.cfg.OutputBufferLimit(config.ClassNormal).SoftSeconds; s > 0 {
		return time.Duration(s) * time.Second
	}
	return time.Second
}

// softExpired reports whether output has been above the soft limit for
// longer than its grace period.
func (c *conn) softExpired() bool {
	return !c.softSince.IsZero() && time.Since(c.softSince) > c.softGrace()
}

// dropForOutputLimit discards the pending replies (the AOF batch is still
// committed by flush) and logs the close in Redis's words.
func (c *conn) dropForOutputLimit(which string) {
	omem := len(c.ctx.Out)
	c.ctx.Out = c.ctx.Out[:0]
	c.srv.log.Warn(fmt.Sprintf("Client id=%d addr=%s omem=%d scheduled to be closed ASAP for overcoming of output buffer limits.",
		c.sess.ID, c.sess.Addr, omem), "limit", which)
}
