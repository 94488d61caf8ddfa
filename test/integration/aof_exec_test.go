package integration

import (
	"errors"
	"os/exec"
)

func execCommand(bin string, args ...string) *exec.Cmd { return exec.Command(bin, args...) }

func exitCodeOf(err error) int {
	if err == nil {
		return 0
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return -1
}
