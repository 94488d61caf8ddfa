// Package resp owns Cairn's wire format: the server-side request parser,
// the append-style reply encoders, the strict number parsers that commands
// share, and a reply reader for the CLI, the benchmark and tests. It uses
// only the standard library and, in steady state, allocates nothing per
// command.
//
// # Why the parser copies Redis's quirks
//
// Clients, proxies and test suites written against Redis 7.0 observe more
// than the happy path: which malformed input is an error, which one merely
// waits for more bytes, and the exact "-ERR Protocol error: ..." text sent
// before the connection closes. So Parser reproduces Redis's networking
// code byte for byte, including behaviour that looks accidental. Each rule
// below was checked against a real redis-server 7.0 (see redis_diff_test.go).
//
// # State machine
//
// A request is inline unless its first byte is '*'.
//
// Inline: the request is the line up to the first '\n' (one '\r' before it
// is dropped). Arguments are split with Redis's quoting rules (see
// splitInline) and unescaped in place inside the caller's buffer. A blank
// line is an empty request.
//
// Multibulk: states are "count line", then per argument "bulk header" and
// "bulk data".
//   - A header line ends at the first '\r'; the byte after it must be
//     present but is not checked, so "*1\rX$4\r\nPING\r\n" is a PING.
//   - Numbers use Redis's string2ll (ParseInt): no '+', no blanks, no
//     leading zeros, no "-0".
//   - The count must be <= 2^31-1 (C's INT_MAX); a count <= 0 is an empty
//     request.
//   - A bulk header must start with '$' and carry 0 <= len <= MaxBulkLen.
//   - Bulk data is followed by two bytes that are skipped unchecked.
//
// Between calls the parser stores only offsets from the request start (the
// count still to read, the finished arguments as offset/length pairs, the
// position in the current line), so a caller may move the request to a
// larger buffer, and a request that arrives one byte at a time costs linear
// time in total. Need tells the caller how large the buffer must become;
// for a big bulk that is its whole length, known as soon as its header is.
//
// # Limits
//
//   - 64 KiB (strictly: more than 65536 buffered bytes) without the end of
//     an inline line, count line or bulk header is an error ("too big inline
//     request", "too big mbulk count string", "too big bulk count string");
//     this bounds what a client can make the server hold before a request
//     is even known.
//   - Unauthenticated clients may send at most 10 arguments of at most
//     16384 bytes each (Redis 7's defence against pre-AUTH memory abuse).
//   - Redis searches lines with C string functions, which stop at a NUL
//     byte. A NUL before the end of an inline line or header line therefore
//     makes Redis wait forever (until the 64 KiB limit). The parser does the
//     same rather than inventing an error Redis never sends.
//
// # Numbers
//
// ParseInt is string2ll; ParseFloat is Redis's double parsing (strtod plus
// its refusals); ParseLongDouble and LongDouble reproduce the 80-bit x87
// arithmetic and "%.17Lf" printing behind INCRBYFLOAT, whose replies differ
// from float64 results in visible digits. AppendDouble and AppendBulkDouble
// print "%.17g" as Redis 7.0 does for scores.
//
// # Replies
//
// Append* functions write one reply or aggregate header at the end of a
// byte slice. ReplyLen finds the end of one reply without allocating and
// without recursion, so a Reader can resume where it stopped after each
// read.
package resp
