package integration

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"cairn/internal/testutil"
)

const aofTwoFiles = "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"

var (
	aofBase = aofResp([]string{"SELECT", "0"}, []string{"SET", "a", "1"})
	aofIncr = aofResp([]string{"SELECT", "0"}, []string{"INCR", "a"}, []string{"SET", "b", "2"})
)

// aofSetup writes a two-file AOF into a fresh directory.
func aofSetup(t *testing.T, manifest, base, incr string) string {
	dir := t.TempDir()
	aofWriteFile(t, dir, "appendonly.aof.manifest", manifest)
	aofWriteFile(t, dir, "appendonly.aof.1.base.aof", base)
	aofWriteFile(t, dir, "appendonly.aof.1.incr.aof", incr)
	return dir
}

// TestAOFTornTail: a torn last record of the last file is cut off with a
// warning (aof-load-truncated yes) or refused (no).
func TestAOFTornTail(t *testing.T) {
	torn := aofIncr + "*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$5\r\nab"
	dir := aofSetup(t, aofTwoFiles, aofBase, torn)
	code, out := aofRunCairn(t, dir, "--aof-load-truncated", "no")
	if code == 0 || !strings.Contains(out, "appendonly.aof.1.incr.aof at byte "+itoa(len(aofIncr))) {
		t.Errorf("aof-load-truncated no: exit %d, output:\n%s", code, out)
	}
	p := testutil.StartCairn(t, "--appendonly", "yes", "--dir", dir, "--loglevel", "notice")
	c := aofClient(t, p.Addr(), 0)
	if v, _ := c.Get(context.Background(), "a").Result(); v != "2" {
		t.Errorf("a = %q", v)
	}
	if n, _ := c.Exists(context.Background(), "c").Result(); n != 0 {
		t.Error("torn record was applied")
	}
	if !strings.Contains(p.Output(), "truncating") {
		t.Errorf("no warning about the torn tail:\n%s", p.Output())
	}
	if st, _ := os.Stat(filepath.Join(dir, "appendonlydir", "appendonly.aof.1.incr.aof")); st.Size() != int64(len(aofIncr)) {
		t.Errorf("incr file is %d bytes after truncation, want %d", st.Size(), len(aofIncr))
	}
	// New writes go after the cut point and load again.
	must(t, c.Set(context.Background(), "d", "4", 0).Err())
	p.Restart()
	if v, _ := c.Get(context.Background(), "d").Result(); v != "4" {
		t.Errorf("d = %q after restart", v)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestAOFRefusals: every other kind of damage stops the server with a
// message naming the file (and the byte offset for bad records) and
// pointing to cairn-check-aof.
func TestAOFRefusals(t *testing.T) {
	cases := []struct {
		name, manifest, base, incr string
		want                       []string
	}{
		{"garbage mid-file", aofTwoFiles, aofBase, aofIncr[:20] + "GARBAGE\r\n" + aofIncr,
			[]string{"appendonly.aof.1.incr.aof at byte", "cairn-check-aof"}},
		{"unknown command", aofTwoFiles, aofBase, aofIncr + aofResp([]string{"NOSUCHCMD", "x"}) + aofResp([]string{"SET", "z", "1"}),
			[]string{"appendonly.aof.1.incr.aof at byte " + itoa(len(aofIncr)), "unknown command", "cairn-check-aof"}},
		{"truncated base", aofTwoFiles, aofBase[:len(aofBase)-3], aofIncr,
			[]string{"appendonly.aof.1.base.aof at byte", "not the last"}},
		{"missing file", aofTwoFiles + "file appendonly.aof.2.incr.aof seq 2 type i\n", aofBase, aofIncr,
			[]string{"appendonly.aof.2.incr.aof"}},
		{"two bases", "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.2.base.aof seq 2 type b\n", aofBase, aofIncr,
			[]string{"second base", "cairn-check-aof"}},
		{"bad manifest line", aofTwoFiles + "file x seq one type i\n", aofBase, aofIncr,
			[]string{"line 3", "cairn-check-aof"}},
		{"unknown type", aofTwoFiles + "file x seq 3 type q\n", aofBase, aofIncr,
			[]string{"unknown type"}},
		{"empty manifest", "", aofBase, aofIncr,
			[]string{"no base and no incr"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := aofSetup(t, tc.manifest, tc.base, tc.incr)
			code, out := aofRunCairn(t, dir)
			if code == 0 {
				t.Fatalf("server started; output:\n%s", out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	t.Run("files without manifest", func(t *testing.T) {
		dir := t.TempDir()
		aofWriteFile(t, dir, "appendonly.aof.1.incr.aof", aofIncr)
		code, out := aofRunCairn(t, dir)
		if code == 0 || !strings.Contains(out, "no manifest") {
			t.Errorf("exit %d, output:\n%s", code, out)
		}
	})
}

// TestCheckAOF runs cairn-check-aof on a good directory, a torn one (and
// --fix), and a timestamped one (--truncate-to-timestamp).
func TestCheckAOF(t *testing.T) {
	bin := testutil.BuildBinary(t, "cairn-check-aof")
	run := func(stdin string, args ...string) (int, string) {
		t.Helper()
		cmd := execCommand(bin, args...)
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		return exitCodeOf(err), string(out)
	}
	dir := aofSetup(t, aofTwoFiles, aofBase, aofIncr+"*2\r\n$3\r\nDEL")
	man := filepath.Join(dir, "appendonlydir", "appendonly.aof.manifest")
	code, out := run("", man)
	if code == 0 || !strings.Contains(out, "ok_up_to="+itoa(len(aofIncr))) {
		t.Errorf("torn: exit %d\n%s", code, out)
	}
	code, out = run("n\n", "--fix", man)
	if code == 0 {
		t.Errorf("--fix answered no: exit 0\n%s", out)
	}
	code, out = run("y\n", "--fix", man)
	if code != 0 || !strings.Contains(out, "Successfully truncated") {
		t.Errorf("--fix: exit %d\n%s", code, out)
	}
	code, out = run("", man)
	if code != 0 || !strings.Contains(out, "valid") {
		t.Errorf("after fix: exit %d\n%s", code, out)
	}
	// Timestamps: cut at the first annotation after T.
	ts := aofResp([]string{"SELECT", "0"}) + "#TS:100\r\n" + aofResp([]string{"SET", "x", "1"}) + "#TS:200\r\n" + aofResp([]string{"SET", "y", "2"})
	dir2 := aofSetup(t, aofTwoFiles, aofBase, ts)
	code, out = run("y\n", "--truncate-to-timestamp", "150", filepath.Join(dir2, "appendonlydir", "appendonly.aof.manifest"))
	if code != 0 {
		t.Fatalf("truncate-to-timestamp: exit %d\n%s", code, out)
	}
	b, _ := os.ReadFile(filepath.Join(dir2, "appendonlydir", "appendonly.aof.1.incr.aof"))
	if string(b) != ts[:strings.Index(ts, "#TS:200")] {
		t.Errorf("after --truncate-to-timestamp the file is %q", b)
	}
	// Garbage in a file that is not the last cannot be fixed.
	dir3 := aofSetup(t, aofTwoFiles, "junk\r\n", aofIncr)
	code, out = run("y\n", "--fix", filepath.Join(dir3, "appendonlydir", "appendonly.aof.manifest"))
	if code == 0 || !strings.Contains(out, "cannot be fixed") {
		t.Errorf("bad base: exit %d\n%s", code, out)
	}
}
