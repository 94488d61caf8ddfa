package aof

import (
	"errors"
	"os"
	"strings"
	"syscall"
)

// Failpoints let crash tests stop the real process at one exact step of a
// rewrite or make the disk "fill up". They are read from the environment
// once, by this package only:
//
//	CAIRN_AOF_FAILPOINT=<name>       SIGKILL ourselves when step <name> is reached
//	CAIRN_AOF_FAILPOINT=<name>:error make step <name> fail with an error instead
//	CAIRN_AOF_DISKFULL=<path>        while <path> exists, AOF writes fail with
//	                                 ENOSPC after writing half their bytes
//
// In production neither variable is set and each check is one string
// comparison on a rare path (rewrite steps) or one atomic-free field test
// (disk full) on the write path.
var (
	failpointName, failpointMode = parseFailpoint(os.Getenv("CAIRN_AOF_FAILPOINT"))
	diskFullFlag                 = os.Getenv("CAIRN_AOF_DISKFULL")
)

func parseFailpoint(v string) (string, string) {
	name, mode, _ := strings.Cut(v, ":")
	return name, mode
}

// errFailpoint is returned by a failpoint in error mode.
var errFailpoint = errors.New("aof: injected failure")

// failpoint crashes the process (or returns an error) when name is the
// configured failpoint.
func failpoint(name string) error {
	if failpointName == "" || failpointName != name {
		return nil
	}
	if failpointMode == "error" {
		return errFailpoint
	}
	// A crash, not an exit: no deferred code, no buffered output flushed.
	syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {}
}

// diskFull reports whether the disk-full fault is switched on.
func diskFull() bool {
	if diskFullFlag == "" {
		return false
	}
	_, err := os.Stat(diskFullFlag)
	return err == nil
}

// writeFile writes b to f, through the disk-full fault when it is on: the
// fault writes half the bytes and then fails with ENOSPC, the worst case
// a real full disk produces (a torn record at the end of the file).
func writeFile(f *os.File, b []byte) (int, error) {
	if diskFull() {
		n, _ := f.Write(b[:len(b)/2])
		return n, syscall.ENOSPC
	}
	return f.Write(b)
}
