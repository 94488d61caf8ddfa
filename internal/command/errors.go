package command

// Reply texts shared by many commands. They are Redis's exact texts: the
// protocol's clients match on them.
const (
	errSyntax       = "ERR syntax error"
	errNotInt       = "ERR value is not an integer or out of range"
	errNotFloat     = "ERR value is not a valid float"
	errOverflow     = "ERR increment or decrement would overflow"
	errWrongType    = "WRONGTYPE Operation against a key holding the wrong kind of value"
	errNoSuchKey    = "ERR no such key"
	errDBRange      = "ERR DB index is out of range"
	errNoAuth       = "NOAUTH Authentication required."
	errWrongPass    = "WRONGPASS invalid username-password pair or user is disabled."
	errOutOfRange   = "ERR offset is out of range"
	errStringTooBig = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
)

// errInvalidExpire is the reply for a bad expiry argument of command name.
func errInvalidExpire(name string) string {
	return "ERR invalid expire time in '" + name + "' command"
}

// ReplyError is an error whose text is a complete Redis error reply
// ("ERR ...", "NOAUTH ..."), for code outside this package that answers a
// command (Host.Shutdown).
type ReplyError string

func (e ReplyError) Error() string { return string(e) }
