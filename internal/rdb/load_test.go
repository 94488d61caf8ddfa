package rdb

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
)

// loadAll replays an RDB file into a map "db/key" -> "value@pxat".
func loadAll(t *testing.T, data []byte) (map[string]string, int64, error) {
	t.Helper()
	out := map[string]string{}
	db := "0"
	n, err := Load(bytes.NewReader(data), func(args [][]byte) error {
		switch string(args[0]) {
		case "SELECT":
			db = string(args[1])
		case "SET":
			at := "-1"
			if len(args) == 5 {
				at = string(args[4])
			}
			out[db+"/"+string(args[1])] = string(args[2]) + "@" + at
		}
		return nil
	})
	return out, n, err
}

// testdata/strings.rdb was written by redis-server 7.0.15 (SAVE): plain,
// integer-encoded and LZF-compressed strings, a key with an expiry, a
// second database.
func TestLoadRedisRDB(t *testing.T) {
	data, err := os.ReadFile("testdata/strings.rdb")
	if err != nil {
		t.Fatal(err)
	}
	got, n, err := loadAll(t, data)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"0/s": "hello@-1", "0/i": "12345@-1", "0/big": "9999999999@-1", "0/neg": "-70000@-1",
		"0/long": strings.Repeat("abc", 500) + "@-1", "3/other": "x@-1",
	}
	if n != 7 || len(got) != 7 {
		t.Fatalf("%d keys: %v", n, got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %.40q, want %.40q", k, got[k], v)
		}
	}
	if ttl := got["0/ttl"]; !strings.HasPrefix(ttl, "v@17") {
		t.Errorf("ttl key: %q (want an absolute ms expiry)", ttl)
	}
}

func TestLoadRefusals(t *testing.T) {
	good, err := os.ReadFile("testdata/strings.rdb")
	if err != nil {
		t.Fatal(err)
	}
	list, err := os.ReadFile("testdata/with-list.rdb")
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(good)
	flipped[len(flipped)-20] ^= 0x01 // inside the last value: the checksum no longer matches
	var le *LoadError
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"list":      {list, `key "list" holds a list`},
		"truncated": {good[:len(good)-30], "truncated"},
		"checksum":  {flipped, "checksum mismatch"},
		"not rdb":   {[]byte("*1\r\n$4\r\nPING\r\n"), "not an RDB file"},
		"version":   {[]byte("REDIS0099\xff"), "version"},
	} {
		_, _, err := loadAll(t, c.data)
		if !errors.As(err, &le) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// FuzzLoad: whatever the bytes, Load returns (keys or an error) without
// panicking or allocating beyond what the input encodes.
func FuzzLoad(f *testing.F) {
	if data, err := os.ReadFile("testdata/strings.rdb"); err == nil {
		f.Add(data)
	}
	f.Add([]byte("REDIS0010\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		Load(bytes.NewReader(data), func([][]byte) error { return nil })
	})
}

func TestWriterRoundTrip(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b, 1700000000, 12345)
	keys := []struct {
		db          int
		key, val    string
		expire      int64
		wantPXATArg string
	}{
		{0, "s", "hello", 0, "-1"}, {0, "i", "12345", 0, "-1"}, {0, "long", strings.Repeat("ab", 10000), 4102444800000, "4102444800000"},
		{3, "other", "", 0, "-1"}, {0, "back", "-70000", 0, "-1"},
	}
	for _, k := range keys {
		if err := w.Key(k.db, []byte(k.key), []byte(k.val), k.expire); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, n, err := loadAll(t, b.Bytes())
	if err != nil || n != int64(len(keys)) {
		t.Fatalf("load: %d keys, %v", n, err)
	}
	for _, k := range keys {
		if v := got[strconv.Itoa(k.db)+"/"+k.key]; v != k.val+"@"+k.wantPXATArg {
			t.Errorf("%d/%s = %.30q", k.db, k.key, v)
		}
	}
}
