package aof

import "strconv"

// AppendRecord appends one command as a RESP multibulk request, the unit
// every AOF file is made of.
func AppendRecord(b []byte, args ...[]byte) []byte {
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(len(args)), 10)
	b = append(b, '\r', '\n')
	for _, a := range args {
		b = appendBulk(b, a)
	}
	return b
}

func appendBulk(b, a []byte) []byte {
	b = append(b, '$')
	b = strconv.AppendInt(b, int64(len(a)), 10)
	b = append(b, '\r', '\n')
	b = append(b, a...)
	return append(b, '\r', '\n')
}

// AppendSelect appends SELECT db.
func AppendSelect(b []byte, db int) []byte {
	var num [20]byte
	b = append(b, "*2\r\n$6\r\nSELECT\r\n"...)
	return appendBulk(b, strconv.AppendInt(num[:0], int64(db), 10))
}

// appendSet appends the records that recreate one string key in a base
// file: SET, then PEXPIREAT when the key has an expiry (the form
// redis-server's own rewrite uses).
func appendSet(b []byte, key, val []byte, expire int64) []byte {
	b = append(b, "*3\r\n$3\r\nSET\r\n"...)
	b = appendBulk(b, key)
	b = appendBulk(b, val)
	if expire != 0 {
		var num [20]byte
		b = append(b, "*3\r\n$9\r\nPEXPIREAT\r\n"...)
		b = appendBulk(b, key)
		b = appendBulk(b, strconv.AppendInt(num[:0], expire, 10))
	}
	return b
}

// appendTimestamp appends the "#TS:<unix seconds>" annotation that
// aof-timestamp-enabled adds and --truncate-to-timestamp uses.
func appendTimestamp(b []byte, unix int64) []byte {
	b = append(b, "#TS:"...)
	b = strconv.AppendInt(b, unix, 10)
	return append(b, '\r', '\n')
}
