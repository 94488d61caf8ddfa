package config

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Special results of Load: main prints its usage or version and exits 0.
var (
	ErrHelp    = errors.New("config: help requested")
	ErrVersion = errors.New("config: version requested")
)

// maxIncludeDepth bounds include nesting, which also stops include cycles.
const maxIncludeDepth = 16

// LineError is a startup error in one config line, from a file, stdin or
// the command line. Its text names the source, the line and the option:
//
//	config: /etc/cairn.conf line 3 ("port abc"): port: argument couldn't be parsed into an integer
//	config: command line ("--port abc"): port: argument couldn't be parsed into an integer
type LineError struct {
	Source string // file path, "stdin" or "command line"
	Line   int    // 1-based; 0 for the command line
	Text   string // the line as written (options as given on the command line)
	Name   string // the directive, as written; "" if the line did not parse
	Err    error
}

func (e *LineError) Error() string {
	where := e.Source
	if e.Line > 0 {
		where += " line " + strconv.Itoa(e.Line)
	}
	msg := e.Err.Error()
	if e.Name != "" {
		msg = e.Name + ": " + msg
	}
	return fmt.Sprintf("config: %s (%q): %s", where, e.Text, msg)
}

func (e *LineError) Unwrap() error { return e.Err }

// Startup reasons wrapped in a LineError.
var (
	ErrUnknownOption = errors.New("unknown option")
	ErrArgCount      = errors.New("wrong number of arguments")
)

// Load builds the Config for `cairn-server [config-file] [--name value ...]`
// (args is os.Args[1:]), taking arguments the way redis-server 7.0 does;
// see the package documentation. It returns ErrHelp or ErrVersion for
// -h/--help and -v/--version, and a *LineError for a bad line or option.
func Load(args []string) (*Config, error) { return load(args, os.Stdin) }

func load(args []string, stdin io.Reader) (*Config, error) {
	if len(args) > 0 {
		switch args[0] {
		case "-v", "--version":
			return nil, ErrVersion
		case "-h", "--help":
			return nil, ErrHelp
		case "--test-memory", "--check-system", "--sentinel":
			return nil, fmt.Errorf("config: %s is not supported by cairn-server", args[0])
		}
	}
	c := Default()
	l := loader{c: c}
	rest := args
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		abs, err := filepath.Abs(args[0])
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		c.file = abs
		rest = args[1:]
	}
	opts, fromStdin := splitOptions(args, len(args)-len(rest))

	if c.file != "" {
		if err := l.loadFile(c.file, 0); err != nil {
			var le *LineError
			if errors.As(err, &le) {
				return nil, err
			}
			return nil, fmt.Errorf("config: reading config file: %w", err)
		}
	}
	if fromStdin {
		data, err := io.ReadAll(stdin)
		if err != nil {
			return nil, fmt.Errorf("config: reading stdin: %w", err)
		}
		if err := l.loadText("stdin", string(data), 0); err != nil {
			return nil, err
		}
	}
	for _, o := range opts {
		if err := l.directive(o, 0); err != nil {
			return nil, &LineError{Source: "command line", Text: optionText(o), Name: nameOf(o), Err: err}
		}
	}
	return c, nil
}

// splitOptions groups the arguments after the config file into directives
// as redis-server does: "--name" starts a directive once the previous one
// has at least one value (so "--requirepass --x" sets the password to
// "--x"); "--save" directly followed by another option or the end means
// save ""; "-" as the very first or last argument means "also read config
// from stdin"; arguments before any "--name" form a directive of their own.
func splitOptions(args []string, start int) (opts [][]string, stdin bool) {
	handled := true
	for pos := start; pos < len(args); pos++ {
		a := args[pos]
		switch {
		case a == "-" && (pos == 0 || pos == len(args)-1):
			stdin = true
		case handled && strings.HasPrefix(a, "--"):
			opts = append(opts, []string{a[2:]})
			handled = false
			if strings.EqualFold(a[2:], "save") && (pos+1 == len(args) || strings.HasPrefix(args[pos+1], "--")) {
				opts[len(opts)-1] = append(opts[len(opts)-1], "")
				handled = true
			}
		default:
			if len(opts) == 0 {
				opts = append(opts, nil)
			}
			opts[len(opts)-1] = append(opts[len(opts)-1], a)
			handled = true
		}
	}
	return opts, stdin
}

func optionText(o []string) string {
	parts := make([]string, len(o))
	for i, a := range o {
		if i > 0 && (a == "" || strings.ContainsAny(a, " \t\r\n\"'\\")) {
			a = quoteArg(a)
		}
		parts[i] = a
	}
	if len(parts) > 0 {
		parts[0] = "--" + parts[0]
	}
	return strings.Join(parts, " ")
}

func nameOf(o []string) string {
	if len(o) == 0 {
		return ""
	}
	return o[0]
}

// loader applies directives to a fresh Config at startup: no immutability
// checks and no hooks.
type loader struct {
	c        *Config
	saveSeen bool // later save lines add save points instead of replacing
}

func (l *loader) loadFile(path string, depth int) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return l.loadText(path, string(data), depth)
}

// loadText applies redis.conf text: one directive per line, blank lines and
// lines starting with '#' (after leading blanks) ignored.
func (l *loader) loadText(source, text string, depth int) error {
	for n, raw := range strings.Split(text, "\n") {
		line := strings.Trim(raw, " \t\r\n")
		if line == "" || line[0] == '#' {
			continue
		}
		args, err := splitArgs(line)
		if err != nil {
			return &LineError{Source: source, Line: n + 1, Text: line, Err: err}
		}
		if err := l.directive(args, depth); err != nil {
			var le *LineError
			if errors.As(err, &le) {
				return err // from an included file: already located
			}
			return &LineError{Source: source, Line: n + 1, Text: line, Name: args[0], Err: err}
		}
	}
	return nil
}

// directive applies one config line given as arguments.
func (l *loader) directive(args []string, depth int) error {
	name := strings.ToLower(args[0])
	switch name {
	case "include":
		if len(args) != 2 {
			return ErrArgCount
		}
		if depth >= maxIncludeDepth {
			return fmt.Errorf("includes nested deeper than %d", maxIncludeDepth)
		}
		// Relative paths are relative to the working directory, as in
		// Redis; a glob pattern includes every match in sorted order.
		paths, err := filepath.Glob(args[1])
		if err != nil || len(paths) == 0 {
			paths = []string{args[1]}
		}
		for _, p := range paths {
			if err := l.loadFile(p, depth+1); err != nil {
				return err
			}
		}
		return nil
	case "rename-command":
		if len(args) != 3 {
			return ErrArgCount
		}
		l.c.renames = append(l.c.renames, [2]string{args[1], args[2]})
		return nil
	case "user":
		if len(args) < 2 {
			return ErrArgCount
		}
		l.c.users = append(l.c.users, append([]string(nil), args[1:]...))
		return nil
	}
	i, ok := byName[name]
	if !ok {
		return ErrUnknownOption
	}
	p := &table[i]
	var raw string
	if p.flags&multiArg != 0 {
		if len(args) < 2 {
			return ErrArgCount
		}
		raw = strings.Join(args[1:], " ")
	} else {
		if len(args) != 2 {
			return ErrArgCount
		}
		raw = args[1]
	}
	v, err := p.normalize(l.c.str(i), raw)
	if err != nil {
		return err
	}
	if i == idxSave {
		prev := l.c.str(i)
		if l.saveSeen && prev != "" && v != "" {
			v = prev + " " + v
		}
		l.saveSeen = true
	}
	l.c.store(i, v)
	return nil
}
