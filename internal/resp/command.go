package resp

// AppendCommand appends a request as a RESP multibulk array of bulk strings.
func AppendCommand(b []byte, args ...[]byte) []byte {
	b = appendHeader(b, '*', int64(len(args)))
	for _, a := range args {
		b = AppendBulk(b, a)
	}
	return b
}

// AppendCommandStrings is AppendCommand for string arguments.
func AppendCommandStrings(b []byte, args ...string) []byte {
	b = appendHeader(b, '*', int64(len(args)))
	for _, a := range args {
		b = AppendBulkString(b, a)
	}
	return b
}
