package rdb

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestCRC64Jones(t *testing.T) {
	// The check value of CRC-64/Jones as Redis computes it.
	if got := CRC64(0, []byte("123456789")); got != 0xe9c6d914c4b8d9ca {
		t.Fatalf("crc64 = %#x", got)
	}
}

// Payloads redis-server 7.0.15 returned for DUMP of these values.
var redisDumps = []struct {
	val, payload string
}{
	{"hello", "\x00\x05hello\n\x00cr\xdfve4 \n"},
	{"12345", "\x00\xc190\n\x00\x9d\x94\xea'\x93\xfc\b\xb9"},
	{"9999999999", "\x00\n9999999999\n\x00\xd2j\xc2\x99\xdfS\xef\xd2"},
	{"-5", "\x00\xc0\xfb\n\x00I\xc4\xc6\xf4\xd7&?h"},
	{"the quick brown fox jumps over it", "\x00!the quick brown fox jumps over it\n\x00\xb7\a\x8c\xf3?\x0f\x80\xef"},
}

func TestDumpStringMatchesRedis(t *testing.T) {
	for _, d := range redisDumps {
		if got := DumpString([]byte(d.val)); string(got) != d.payload {
			t.Errorf("DumpString(%q) = %q, redis-server gives %q", d.val, got, d.payload)
		}
		got, err := RestoreString([]byte(d.payload))
		if err != nil || string(got) != d.val {
			t.Errorf("RestoreString(redis's dump of %q) = %q, %v", d.val, got, err)
		}
	}
}

func TestRestoreRedisLZF(t *testing.T) {
	// redis-server 7.0.15's DUMP of 54 "a"s, LZF-compressed.
	payload := "\x00\xc3\t6\x01aa\xe0)\x00\x01aa\n\x00s~<Tm\xe6\xafC"
	got, err := RestoreString([]byte(payload))
	if err != nil || string(got) != strings.Repeat("a", 54) {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestRoundTrip(t *testing.T) {
	for _, v := range []string{"", "0", "-128", "127", "128", "-32768", "32767", "32768", "2147483647", "2147483648",
		"-2147483648", "-2147483649", "007", "+1", " 1", "1.5", strings.Repeat("x", 63), strings.Repeat("y", 64),
		strings.Repeat("z", 16383), strings.Repeat("w", 16384), strings.Repeat("\x00\xff", 40000)} {
		got, err := RestoreString(DumpString([]byte(v)))
		if err != nil || string(got) != v {
			t.Fatalf("round trip of %d bytes: %v", len(v), err)
		}
	}
}

func TestRestoreRefusals(t *testing.T) {
	good := DumpString([]byte("hello"))
	flip := bytes.Clone(good)
	flip[3] ^= 1
	newer := bytes.Clone(good)
	newer[len(newer)-10] = Version + 1
	for name, p := range map[string][]byte{"short": good[:9], "checksum": flip, "version": newer} {
		if _, err := RestoreString(p); !errors.Is(err, ErrChecksum) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A list payload (type 18, listpack quicklist) with a valid footer.
	list := seal([]byte{18, 0})
	var te *ErrType
	if _, err := RestoreString(list); !errors.As(err, &te) || te.Name != "list" {
		t.Errorf("list payload: %v", err)
	}
	// A length past the end, with a valid footer.
	if _, err := RestoreString(seal([]byte{0, 0x3f, 'a'})); !errors.Is(err, ErrFormat) {
		t.Errorf("overlong string: %v", err)
	}
	// A forged LZF length far beyond what the data can expand to.
	if _, err := RestoreString(seal([]byte{0, 0xc3, 2, len32bit, 0x7f, 0, 0, 0, 0, 'a'})); !errors.Is(err, ErrFormat) {
		t.Errorf("forged LZF length: %v", err)
	}
}

// seal adds a version and a valid checksum to a payload body.
func seal(body []byte) []byte {
	p := append(bytes.Clone(body), Version, 0)
	crc := CRC64(0, p)
	for i := 0; i < 8; i++ {
		p = append(p, byte(crc>>(8*i)))
	}
	return p
}

// FuzzRestoreString: no input panics, and whatever decodes dumps back to
// a payload that decodes to the same bytes.
func FuzzRestoreString(f *testing.F) {
	for _, d := range redisDumps {
		f.Add([]byte(d.payload)[:len(d.payload)-10])
	}
	f.Add([]byte("\x00\xc3\t6\x01aa\xe0)\x00\x01aa"))
	f.Fuzz(func(t *testing.T, body []byte) {
		v, err := RestoreString(seal(body))
		if err != nil {
			return
		}
		again, err := RestoreString(DumpString(v))
		if err != nil || !bytes.Equal(again, v) {
			t.Fatalf("round trip of %q: %q, %v", v, again, err)
		}
	})
}
