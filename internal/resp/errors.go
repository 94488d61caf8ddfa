package resp

// ProtocolError is a request the parser cannot accept. Msg is the text Redis
// sends after "-ERR " before it closes the connection; it never contains
// '\r' or '\n'.
type ProtocolError struct{ Msg string }

func (e *ProtocolError) Error() string { return "resp: " + e.Msg }

// The fixed errors are shared values so the error path of a hostile client
// costs no allocation either. Only "expected '$', got 'X'" varies.
var (
	errTooBigInline       = &ProtocolError{"Protocol error: too big inline request"}
	errUnbalancedQuotes   = &ProtocolError{"Protocol error: unbalanced quotes in request"}
	errTooBigMbulkCount   = &ProtocolError{"Protocol error: too big mbulk count string"}
	errInvalidMbulkLen    = &ProtocolError{"Protocol error: invalid multibulk length"}
	errUnauthMbulkLen     = &ProtocolError{"Protocol error: unauthenticated multibulk length"}
	errTooBigBulkCount    = &ProtocolError{"Protocol error: too big bulk count string"}
	errInvalidBulkLen     = &ProtocolError{"Protocol error: invalid bulk length"}
	errUnauthBulkLen      = &ProtocolError{"Protocol error: unauthenticated bulk length"}
	errExpectedDollarBase = "Protocol error: expected '$', got '"
)

// expectedDollar builds the error for a bulk header that does not start
// with '$'. Redis prints the byte as is (even non-ASCII), except that line
// breaks become spaces as in every error reply.
func expectedDollar(c byte) *ProtocolError {
	if c == '\r' || c == '\n' {
		c = ' '
	}
	return &ProtocolError{errExpectedDollarBase + string([]byte{c}) + "'"}
}
