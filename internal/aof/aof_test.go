package aof

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func TestManifestRoundTrip(t *testing.T) {
	text := "file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type h\nfile appendonly.aof.2.incr.aof seq 2 type i\nfile appendonly.aof.3.incr.aof seq 3 type i\n"
	m, err := ParseManifest("m", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(m.Encode()); got != text {
		t.Errorf("encode:\n%s\nwant\n%s", got, text)
	}
	if m.NextIncrSeq() != 4 || m.NextBaseSeq() != 3 || len(m.Files()) != 3 {
		t.Errorf("next incr %d base %d files %d", m.NextIncrSeq(), m.NextBaseSeq(), len(m.Files()))
	}
	// Quoted names survive.
	q := &Manifest{Incrs: []FileInfo{{Name: "my file.aof", Seq: 1, Type: TypeIncr}}}
	m2, err := ParseManifest("m", q.Encode())
	if err != nil || m2.Incrs[0].Name != "my file.aof" {
		t.Errorf("quoted name: %v %+v", err, m2)
	}
}

func TestManifestFaults(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"file a seq 1 type b\nfile b seq 2 type b\n", "second base"},
		{"file a seq x type i\n", "invalid seq"},
		{"file a seq 1 type z\n", "unknown type"},
		{"file a seq 2 type i\nfile b seq 1 type i\n", "not after"},
		{"file ../x seq 1 type i\n", "plain name"},
		{"file a seq 1\n", "missing file, seq or type"},
		{"file a seq\n", "invalid line"},
		{"\n# only a comment\n", "no base and no incr"},
	} {
		_, err := ParseManifest("m", []byte(tc.text))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.text, err, tc.want)
		}
	}
}

func writeTestFile(t *testing.T, dir, name, data string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func rec(args ...string) string {
	var b []byte
	bs := make([][]byte, len(args))
	for i, a := range args {
		bs[i] = []byte(a)
	}
	b = AppendRecord(b, bs...)
	return string(b)
}

func TestCheckFile(t *testing.T) {
	dir := t.TempDir()
	good := rec("SET", "a", "1") + "#TS:5\r\n" + rec("MULTI") + rec("INCR", "a") + rec("EXEC")
	for _, tc := range []struct {
		name, data string
		ok         int
		torn, bad  bool
	}{
		{"good", good, len(good), false, false},
		{"torn", good + "*2\r\n$3\r\nDEL\r\n$1", len(good), true, true},
		{"torn multi", good + rec("MULTI") + rec("INCR", "a"), len(good), true, true},
		{"garbage", rec("SET", "a", "1") + "xx\r\n" + good, len(rec("SET", "a", "1")), false, true},
		{"bad bulk", "*1\r\n$3\r\nabcd\r\n", 0, false, true},
	} {
		writeTestFile(t, dir, tc.name, tc.data)
		fc := CheckFile(filepath.Join(dir, tc.name))
		if fc.OK != int64(tc.ok) || fc.Torn != tc.torn || (fc.Err != nil) != tc.bad {
			t.Errorf("%s: ok=%d torn=%v err=%v; want ok=%d torn=%v bad=%v", tc.name, fc.OK, fc.Torn, fc.Err, tc.ok, tc.torn, tc.bad)
		}
	}
}

// TestLoadOrderAndTornTail replays base then incrementals and cuts a torn
// tail off the last file only.
func TestLoadOrderAndTornTail(t *testing.T) {
	dir := t.TempDir()
	m := &Manifest{Base: &FileInfo{Name: BaseName("appendonly.aof", 1), Seq: 1, Type: TypeBase},
		Incrs: []FileInfo{{Name: IncrName("appendonly.aof", 1), Seq: 1, Type: TypeIncr}, {Name: IncrName("appendonly.aof", 2), Seq: 2, Type: TypeIncr}}}
	if err := WriteManifest(dir, "appendonly.aof", m); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, dir, m.Base.Name, rec("SET", "k", "base"))
	writeTestFile(t, dir, m.Incrs[0].Name, rec("SET", "k", "i1"))
	tail := rec("SET", "k", "i2")
	writeTestFile(t, dir, m.Incrs[1].Name, tail+"*3\r\n$3\r\nSET")
	var seen []string
	opts := LoadOptions{Dir: dir, Prefix: "appendonly.aof", Apply: func(a [][]byte) error {
		seen = append(seen, string(a[2]))
		return nil
	}}
	if _, err := Load(opts); err == nil {
		t.Fatal("torn tail loaded with AllowTruncated false")
	}
	seen = nil
	opts.AllowTruncated = true
	res, err := Load(opts)
	if err != nil || !res.Truncated {
		t.Fatalf("load: %v %+v", err, res)
	}
	if strings.Join(seen, ",") != "base,i1,i2" {
		t.Errorf("order %v", seen)
	}
	if st, _ := os.Stat(filepath.Join(dir, m.Incrs[1].Name)); st.Size() != int64(len(tail)) {
		t.Errorf("not truncated: %d", st.Size())
	}
	// An apply error names the file and the offset.
	opts.Apply = func(a [][]byte) error { return errors.New("unknown command") }
	_, err = Load(opts)
	var le *LoadError
	if !errors.As(err, &le) || le.Offset != 0 || !strings.HasSuffix(le.Path, m.Base.Name) {
		t.Errorf("apply error: %v", err)
	}
}

// TestGroupCommit: many goroutines committing under always all return
// with their records durable, with fewer fsync rounds than commits.
func TestGroupCommit(t *testing.T) {
	dir := t.TempDir()
	l := New(dir, "appendonly.aof", Always, nil)
	l.Fatal = func(msg string, err error) { t.Errorf("fatal: %s: %v", msg, err) }
	if err := l.Start(&LoadResult{}); err != nil {
		t.Fatal(err)
	}
	const writers, per = 16, 200
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < per; i++ {
				l.Append(w%3, []byte("SET"), []byte("k"+strconv.Itoa(w)), []byte(strconv.Itoa(i)))
				mine := l.seq.Load() // at least this goroutine's record
				l.Commit()
				if d := l.durable.Load(); d < mine {
					t.Errorf("commit returned with durable %d < %d", d, mine)
				}
			}
		}(w)
	}
	wg.Wait()
	if l.durable.Load() != writers*per {
		t.Errorf("durable %d, want %d", l.durable.Load(), writers*per)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	var n int
	_, err := Load(LoadOptions{Dir: dir, Prefix: "appendonly.aof", Apply: func(a [][]byte) error {
		if !strings.EqualFold(string(a[0]), "select") {
			n++
		}
		return nil
	}})
	if err != nil || n != writers*per {
		t.Fatalf("reloaded %d records (%v), want %d", n, err, writers*per)
	}
}
