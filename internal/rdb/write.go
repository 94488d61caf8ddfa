package rdb

import (
	"bufio"
	"encoding/binary"
	"io"
	"strconv"
)

// Writer writes an RDB file of string keys, as Redis 7.0 lays one out:
// the header, auxiliary fields, a database selector before each run of
// keys of one database, each key with its expiry, then the end marker and
// the CRC-64 of everything before it. Strings are encoded as in DUMP (no
// LZF compression).
type Writer struct {
	w   *bufio.Writer
	crc uint64
	db  int
	buf []byte
	err error
}

// NewWriter starts an RDB file on w: the header and the auxiliary fields
// Redis writes (the version string is the Redis version Cairn speaks for,
// as INFO reports it).
func NewWriter(w io.Writer, ctime, usedMem int64) *Writer {
	wr := &Writer{w: bufio.NewWriterSize(w, 1<<16), db: -1}
	wr.put([]byte("REDIS00" + strconv.Itoa(Version)))
	for _, kv := range [][2]string{
		{"redis-ver", "7.0.15"}, {"redis-bits", "64"}, {"ctime", strconv.FormatInt(ctime, 10)},
		{"used-mem", strconv.FormatInt(usedMem, 10)}, {"aof-base", "0"},
	} {
		b := append(wr.buf[:0], opAux)
		b = appendString(b, []byte(kv[0]))
		b = appendString(b, []byte(kv[1]))
		wr.buf = b
		wr.put(b)
	}
	return wr
}

func (wr *Writer) put(b []byte) {
	if wr.err != nil {
		return
	}
	wr.crc = CRC64(wr.crc, b)
	_, wr.err = wr.w.Write(b)
}

// Key adds a string key of database db with its absolute expiry in Unix
// ms (0 for none).
func (wr *Writer) Key(db int, key, val []byte, expire int64) error {
	b := wr.buf[:0]
	if db != wr.db {
		b = appendLength(append(b, opSelectDB), uint64(db))
		wr.db = db
	}
	if expire != 0 {
		b = binary.LittleEndian.AppendUint64(append(b, opExpireMS), uint64(expire))
	}
	b = append(b, typeString)
	b = appendString(b, key)
	wr.buf = b
	wr.put(b)
	wr.put(appendString(wr.buf[len(b):len(b)], val))
	return wr.err
}

// Close writes the end marker and the checksum and flushes.
func (wr *Writer) Close() error {
	wr.put([]byte{opEOF})
	sum := binary.LittleEndian.AppendUint64(nil, wr.crc)
	if wr.err == nil {
		_, wr.err = wr.w.Write(sum)
	}
	if wr.err == nil {
		wr.err = wr.w.Flush()
	}
	return wr.err
}
