package rdb

// Redis checks payloads with CRC-64/Jones: the reflected polynomial
// 0x95ac9329ac4bc9b5, initial value 0 and no final inversion. Go's
// hash/crc64 inverts before and after, so it cannot produce the same
// value; the table-driven loop is short enough to keep here.

const jonesPoly = 0x95ac9329ac4bc9b5

var jonesTable = func() (t [256]uint64) {
	for i := range t {
		c := uint64(i)
		for range 8 {
			if c&1 == 1 {
				c = c>>1 ^ jonesPoly
			} else {
				c >>= 1
			}
		}
		t[i] = c
	}
	return t
}()

// CRC64 continues crc over b.
func CRC64(crc uint64, b []byte) uint64 {
	for _, x := range b {
		crc = jonesTable[byte(crc)^x] ^ crc>>8
	}
	return crc
}
