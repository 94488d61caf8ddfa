package rdb

import "errors"

var errLZF = errors.New("rdb: corrupt LZF data")

// lzfDecompress expands LZF data into exactly n bytes. The format is a
// sequence of runs, each starting with a control byte: below 32 it is a
// literal run of control+1 bytes that follow; otherwise the top three
// bits are a length (7 meaning "7 plus the next byte") and the rest,
// with the next byte, a distance back into the output, from which
// length+2 bytes are copied (the copy may overlap what it writes).
func lzfDecompress(in []byte, n int) ([]byte, error) {
	// Grown as the data really expands, not reserved from n: a forged n
	// fails at the end having cost only what the input encodes.
	out := make([]byte, 0, min(n, 4*len(in)+64))
	for i := 0; i < len(in); {
		ctrl := int(in[i])
		i++
		if ctrl < 32 {
			run := ctrl + 1
			if i+run > len(in) || len(out)+run > n {
				return nil, errLZF
			}
			out = append(out, in[i:i+run]...)
			i += run
			continue
		}
		length := ctrl >> 5
		if length == 7 {
			if i >= len(in) {
				return nil, errLZF
			}
			length += int(in[i])
			i++
		}
		if i >= len(in) {
			return nil, errLZF
		}
		back := (ctrl&0x1f)<<8 + int(in[i]) + 1
		i++
		length += 2
		from := len(out) - back
		if from < 0 || len(out)+length > n {
			return nil, errLZF
		}
		for k := 0; k < length; k++ { // byte by byte: source and copy overlap
			out = append(out, out[from+k])
		}
	}
	if len(out) != n {
		return nil, errLZF
	}
	return out, nil
}
