package client

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"

	"cairn/internal/resp"
)

// Conn is one client connection. It is not safe for concurrent use.
type Conn struct {
	opts  Options
	nc    net.Conn
	rd    *resp.Reader
	out   []byte
	db    int
	proto int
}

// DialError reports a failed connection attempt. Error() reads like
// redis-cli's "Could not connect to Redis at host:port: reason" minus the
// product name, since the server may be Cairn or Redis.
type DialError struct {
	Addr   string
	Reason string // e.g. "Connection refused"
	Err    error
}

func (e *DialError) Error() string {
	return "Could not connect to " + e.Addr + ": " + e.Reason
}

func (e *DialError) Unwrap() error { return e.Err }

// SetupError reports an error reply to a set-up command (AUTH, HELLO,
// SELECT) sent while connecting.
type SetupError struct {
	Command string
	Reply   resp.Value
}

func (e *SetupError) Error() string {
	return "client: " + e.Command + ": " + string(e.Reply.Str)
}

// ErrClosed is returned by Do on a Conn whose Close was called.
var ErrClosed = errors.New("client: connection closed")

// Dial connects and sets up the session described by opts.
func Dial(opts Options) (*Conn, error) {
	c := &Conn{opts: opts.withDefaults()}
	c.db = c.opts.DB
	c.proto = 2
	if err := c.connect(); err != nil {
		return nil, err
	}
	return c, nil
}

// New returns a Conn that dials lazily on its first Do, so a caller such as
// an interactive shell can start without a server.
func New(opts Options) *Conn {
	c := &Conn{opts: opts.withDefaults()}
	c.db = c.opts.DB
	c.proto = 2
	return c
}

// Addr is the address this Conn dials.
func (c *Conn) Addr() string { return c.opts.Addr }

// DB is the database the session is using.
func (c *Conn) DB() int { return c.db }

// Protocol is the RESP version negotiated (2 or 3).
func (c *Conn) Protocol() int { return c.proto }

// Connected reports whether a socket is currently open.
func (c *Conn) Connected() bool { return c.nc != nil }

// Options returns a copy of the options this Conn was made with.
func (c *Conn) Options() Options { return c.opts }

// Close closes the socket; a later Do dials again.
func (c *Conn) Close() error {
	if c.nc == nil {
		return nil
	}
	err := c.nc.Close()
	c.nc, c.rd = nil, nil
	return err
}

// Reconnect closes any open socket and dials again, restoring the
// protocol and database the session had.
func (c *Conn) Reconnect() error {
	c.Close()
	return c.connect()
}

func (c *Conn) connect() error {
	nc, err := net.DialTimeout(c.opts.Network, c.opts.Addr, c.opts.DialTimeout)
	if err != nil {
		return &DialError{Addr: c.opts.Addr, Reason: dialReason(err), Err: err}
	}
	if c.opts.TLS != nil {
		tc := tls.Client(nc, c.opts.TLS)
		tc.SetDeadline(time.Now().Add(c.opts.DialTimeout))
		if err := tc.Handshake(); err != nil {
			nc.Close()
			return &DialError{Addr: c.opts.Addr, Reason: err.Error(), Err: err}
		}
		tc.SetDeadline(time.Time{})
		nc = tc
	}
	c.nc = nc
	c.rd = resp.NewReader(nc)
	if err := c.setup(); err != nil {
		c.Close()
		return err
	}
	return nil
}

// setup replays the session state: credentials, protocol, database and
// client name, in the order redis-cli sends them.
func (c *Conn) setup() error {
	var steps [][]string
	if c.opts.Password != "" {
		if c.opts.User != "" {
			steps = append(steps, []string{"AUTH", c.opts.User, c.opts.Password})
		} else {
			steps = append(steps, []string{"AUTH", c.opts.Password})
		}
	}
	if c.opts.Protocol == 3 || c.proto == 3 {
		steps = append(steps, []string{"HELLO", "3"})
	}
	if c.db != 0 {
		steps = append(steps, []string{"SELECT", strconv.Itoa(c.db)})
	}
	if c.opts.ClientName != "" {
		steps = append(steps, []string{"CLIENT", "SETNAME", c.opts.ClientName})
	}
	for _, args := range steps {
		v, _, err := c.roundTrip(args)
		if err != nil {
			return err
		}
		if v.IsError() {
			if args[0] == "SELECT" {
				c.db = 0
			}
			name := args[0]
			if name != "AUTH" {
				name = strings.Join(args, " ")
			}
			if err := c.setupFailed(&SetupError{Command: name, Reply: v}); err != nil {
				return err
			}
			continue
		}
		if args[0] == "HELLO" {
			c.proto = 3
		}
	}
	return nil
}

func (c *Conn) setupFailed(e *SetupError) error {
	if c.opts.OnSetupError == nil {
		return e
	}
	return c.opts.OnSetupError(e)
}

// dialReason turns a dial error into the short text redis-cli prints
// (the C library's strerror wording).
func dialReason(err error) string {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "Connection refused"
	case errors.Is(err, syscall.EHOSTUNREACH):
		return "No route to host"
	case errors.Is(err, syscall.ENETUNREACH):
		return "Network is unreachable"
	case errors.Is(err, syscall.ENOENT):
		return "No such file or directory"
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "Connection timed out"
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return "Name or service not known"
	}
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	return s
}

// Do sends one command and returns its reply, dialling first if the
// connection is not open. On a network error the socket is closed and the
// error returned; the next Do dials again.
func (c *Conn) Do(args ...string) (resp.Value, []byte, error) {
	if c.nc == nil {
		if err := c.connect(); err != nil {
			return resp.Value{}, nil, err
		}
	}
	v, raw, err := c.roundTrip(args)
	if err != nil {
		c.Close()
		return v, raw, err
	}
	c.track(args, v)
	return v, raw, nil
}

// DoBytes is Do for binary arguments.
func (c *Conn) DoBytes(args ...[]byte) (resp.Value, []byte, error) {
	s := make([]string, len(args))
	for i, a := range args {
		s[i] = string(a)
	}
	return c.Do(s...)
}

// Send writes one command without reading its reply (pipelining, or
// commands such as SUBSCRIBE and MONITOR whose replies stream in).
func (c *Conn) Send(args ...string) error {
	if c.nc == nil {
		if err := c.connect(); err != nil {
			return err
		}
	}
	if err := c.write(args); err != nil {
		c.Close()
		return err
	}
	return nil
}

// Receive reads the next reply, push messages included (they are not
// diverted to OnPush here, since a subscriber wants them as replies).
func (c *Conn) Receive() (resp.Value, []byte, error) {
	if c.nc == nil {
		return resp.Value{}, nil, ErrClosed
	}
	if c.opts.ReadTimeout > 0 {
		c.nc.SetReadDeadline(time.Now().Add(c.opts.ReadTimeout))
	}
	raw, err := c.rd.ReadRaw()
	if err != nil {
		c.Close()
		return resp.Value{}, nil, fmt.Errorf("client: read: %w", err)
	}
	own := append([]byte(nil), raw...)
	v, _, err := resp.ParseValue(own)
	if err != nil {
		c.Close()
		return resp.Value{}, nil, fmt.Errorf("client: %w", err)
	}
	return v, own, nil
}

func (c *Conn) write(args []string) error {
	c.out = resp.AppendCommandStrings(c.out[:0], args...)
	if c.opts.WriteTimeout > 0 {
		c.nc.SetWriteDeadline(time.Now().Add(c.opts.WriteTimeout))
	}
	if _, err := c.nc.Write(c.out); err != nil {
		return fmt.Errorf("client: write: %w", err)
	}
	return nil
}

func (c *Conn) roundTrip(args []string) (resp.Value, []byte, error) {
	if err := c.write(args); err != nil {
		return resp.Value{}, nil, err
	}
	for {
		v, raw, err := c.Receive()
		if err != nil {
			return v, raw, err
		}
		if v.Type == '>' {
			if c.opts.OnPush != nil {
				c.opts.OnPush(v, raw)
			}
			continue
		}
		return v, raw, nil
	}
}

// track updates the session state after a successful command so a
// reconnect restores it.
func (c *Conn) track(args []string, v resp.Value) {
	if len(args) == 0 || v.IsError() {
		return
	}
	switch strings.ToUpper(args[0]) {
	case "SELECT":
		if len(args) == 2 {
			if n, err := strconv.Atoi(args[1]); err == nil {
				c.db = n
			}
		}
	case "HELLO":
		if len(args) >= 2 {
			if n, err := strconv.Atoi(args[1]); err == nil {
				c.proto = n
			}
		}
	case "RESET":
		c.db, c.proto = 0, 2
	case "AUTH":
		// Remember credentials that worked, so a reconnect logs in again.
		if len(args) == 2 {
			c.opts.User, c.opts.Password = "", args[1]
		} else if len(args) == 3 {
			c.opts.User, c.opts.Password = args[1], args[2]
		}
	}
}
