package integration

// Differential tests: the scripts in testdata/diff/*.txt are played against
// cairn-server and redis-server 7.0 at the same time and every reply must
// be the same, byte for byte, in RESP2 and in RESP3.
//
// Script format (full description in testdata/diff/README.md):
//
//	# comment                  blank lines and lines starting with # are skipped
//	@proto 2|3|both            header: protocols to run in (default both; the
//	                           RESP3 run starts with HELLO 3 on the connection)
//	@server ARG...             header: run on a dedicated pair of servers started
//	                           with these extra arguments (e.g. --requirepass secret)
//	@dedicated                 header: dedicated pair without extra arguments (for
//	                           scripts that CONFIG SET without restoring)
//	@auth PASSWORD             header: password for the harness's FLUSHALL connection
//	SET k "a b" '\x'           a command, quoted as in redis-cli ("..." knows \n \r
//	                           \t \b \a \" \\ \xHH; '...' knows only \'), sent as a
//	                           multibulk; its reply is compared byte for byte
//	!sort CMD...               compare after sorting every aggregate's elements
//	!shape CMD...              compare only types, null-ness and element counts
//	!match 'RE' CMD...         both replies must match the Go regexp RE
//	!approx N CMD...           integer replies may differ by up to N
//	!resp2 CMD... / !resp3     run the line only in the RESP2 / RESP3 run
//	!raw N PART...             send the parts verbatim (concatenated), compare N replies
//	!rawclose PART...          send the parts, read until the server closes; both must
//	                           close and send the same bytes before closing
//	!close CMD...              the same for a command (e.g. QUIT)
//	!send CMD...               send a command and read no reply (CLIENT REPLY OFF)
//	!sleep MS                  pause MS milliseconds (expiry edges)
//
// In PART lists an unquoted {N} repeats the following part N times:
// `!rawclose {70000} "a"` sends 70000 bytes of 'a'. Modifiers go before the
// action: `!sort !raw 1 "KEYS *\r\n"`.
//
// Each script runs on fresh connections against servers emptied with
// FLUSHALL; a new connection also resets SELECT, client name, protocol and
// reply mode. Scripts that change the configuration must restore it or be
// @dedicated. A script stops at the first reply that does not arrive in 3s.
//
// TestDiffSelfCheck plays every script against two redis-servers to prove
// the scripts are deterministic; it runs in CI (CI=true) and with
// CAIRN_DIFF_SELFCHECK=1.
// CAIRN_DIFF_VERBOSE=1 logs every reply. Run one script with
// `go test ./test/integration -run 'TestDifferential/strings_set/resp3'`.

import (
	"os"
	"strings"
	"testing"

	"cairn/internal/testutil"
)

const diffDir = "testdata/diff"

// minDiffCases guards against scripts being lost or emptied by accident.
const minDiffCases = 450

// startFunc starts one server for the differential run.
type startFunc func(tb testing.TB, args ...string) *testutil.Proc

func loadDiffScripts(t *testing.T) []*testutil.Script {
	t.Helper()
	scripts, err := testutil.LoadScripts(diffDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(scripts) == 0 {
		t.Fatalf("no scripts in %s", diffDir)
	}
	return scripts
}

// TestDiffScriptsParse needs no server: it proves every script parses and
// that the suite still holds enough cases.
func TestDiffScriptsParse(t *testing.T) {
	total := 0
	for _, s := range loadDiffScripts(t) {
		total += s.Cases() * len(s.Protos)
	}
	t.Logf("%d cases over both protocols", total)
	perProto := 0
	for _, s := range loadDiffScripts(t) {
		perProto += s.Cases()
	}
	if perProto < minDiffCases {
		t.Fatalf("only %d cases per protocol run, want at least %d", perProto, minDiffCases)
	}
}

func TestDifferential(t *testing.T) {
	runDiffSuite(t, "cairn", testutil.StartCairn, "redis", testutil.StartRedis)
}

func TestDiffSelfCheck(t *testing.T) {
	if os.Getenv("CAIRN_DIFF_SELFCHECK") != "1" && os.Getenv("CI") != "true" {
		t.Skip("set CAIRN_DIFF_SELFCHECK=1 to play the diff scripts against two redis-servers")
	}
	runDiffSuite(t, "redisA", testutil.StartRedis, "redisB", testutil.StartRedis)
}

func runDiffSuite(t *testing.T, nameA string, startA startFunc, nameB string, startB startFunc) {
	scripts := loadDiffScripts(t)
	// Scripts without server arguments share one pair of servers; it is
	// started here, on the parent test, so it outlives the subtests.
	var shared [2]*testutil.Proc
	for _, s := range scripts {
		if !s.Dedicated {
			shared = [2]*testutil.Proc{startA(t), startB(t)}
			break
		}
	}
	total := 0
	for _, s := range scripts {
		t.Run(strings.TrimSuffix(s.Name, ".txt"), func(t *testing.T) {
			var procs [2]*testutil.Proc
			if s.Dedicated {
				procs = [2]*testutil.Proc{startA(t, s.ServerArgs...), startB(t, s.ServerArgs...)}
			} else {
				// A crashed server would fail every later script too;
				// report it once and start it again.
				for i, p := range shared {
					if !p.Running() {
						t.Errorf("%s had exited before this script; restarting it. Output:\n%s", []string{nameA, nameB}[i], p.Output())
						p.Restart()
					}
				}
				procs = shared
			}
			a := testutil.DiffTarget{Name: nameA, Addr: procs[0].Addr(), Password: s.Password}
			b := testutil.DiffTarget{Name: nameB, Addr: procs[1].Addr(), Password: s.Password}
			for _, proto := range s.Protos {
				t.Run("resp"+string(rune('0'+proto)), func(t *testing.T) {
					total += testutil.RunScript(t, s, proto, a, b)
				})
			}
		})
	}
	t.Logf("%d cases compared", total)
}
