package main

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// historyEnv overrides the history file location ("" or /dev/null: keep
// history in memory only).
const historyEnv = "CAIRNCLI_HISTFILE"

const historyMax = 1000

// historyPath is $CAIRNCLI_HISTFILE, else ~/.cairncli_history.
func historyPath() string {
	if p, ok := os.LookupEnv(historyEnv); ok {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".cairncli_history")
}

// lineHistory is the shell's history: one command per line in a plain file
// (like redis-cli's), appended as lines are accepted. It implements
// readline's History source. Lines that carry passwords are kept out of it.
type lineHistory struct {
	path  string
	lines []string
}

func openHistory(path string) *lineHistory {
	h := &lineHistory{path: path}
	if path == "" || path == os.DevNull {
		h.path = ""
		return h
	}
	f, err := os.Open(path)
	if err != nil {
		return h
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		if sc.Text() != "" {
			h.lines = append(h.lines, sc.Text())
		}
	}
	if len(h.lines) > historyMax {
		h.lines = h.lines[len(h.lines)-historyMax:]
	}
	return h
}

// secretLine reports lines that must not be remembered: AUTH, and HELLO
// or MIGRATE with an AUTH/AUTH2 option.
func secretLine(line string) bool {
	args, err := splitArgs(line)
	if err != nil || len(args) == 0 {
		return false
	}
	switch strings.ToLower(args[0]) {
	case "auth":
		return true
	case "hello", "migrate":
		for _, a := range args[1:] {
			if u := strings.ToLower(a); u == "auth" || u == "auth2" {
				return true
			}
		}
	case "acl":
		return len(args) > 1 && strings.EqualFold(args[1], "setuser")
	case "config":
		return len(args) > 2 && strings.EqualFold(args[1], "set") &&
			(strings.EqualFold(args[2], "requirepass") || strings.EqualFold(args[2], "masterauth"))
	}
	return false
}

// Write records an accepted line (readline's History interface).
func (h *lineHistory) Write(line string) (int, error) {
	line = strings.TrimRight(line, "\r\n")
	if strings.TrimSpace(line) == "" || strings.ContainsAny(line, "\n") || secretLine(line) {
		return len(h.lines), nil
	}
	h.lines = append(h.lines, line)
	if h.path != "" {
		f, err := os.OpenFile(h.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return len(h.lines), err
		}
		_, err = f.WriteString(line + "\n")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return len(h.lines), err
		}
	}
	return len(h.lines), nil
}

// GetLine returns line i (0 is the oldest).
func (h *lineHistory) GetLine(i int) (string, error) {
	if i < 0 || i >= len(h.lines) {
		return "", errors.New("cairn-cli: history index out of range")
	}
	return h.lines[i], nil
}

// Len is the number of lines.
func (h *lineHistory) Len() int { return len(h.lines) }

// Dump returns all lines.
func (h *lineHistory) Dump() interface{} { return h.lines }
