package testutil

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// CompareMode says how two replies to the same step are compared.
type CompareMode int

const (
	// CompareExact requires identical bytes.
	CompareExact CompareMode = iota
	// CompareSorted sorts the elements of every aggregate (recursively;
	// maps by key/value pair) before comparing bytes.
	CompareSorted
	// CompareShape compares only reply types, null-ness and element counts.
	CompareShape
	// CompareMatch requires both replies to match a regexp and be of the
	// same type.
	CompareMatch
	// CompareApprox lets integer replies differ by up to Step.Tolerance.
	CompareApprox
)

// StepKind is what a script line does.
type StepKind int

const (
	// StepCommand sends Args as a multibulk command and reads Replies replies.
	StepCommand StepKind = iota
	// StepRaw sends Payload verbatim and reads Replies replies.
	StepRaw
	// StepClose sends Payload and reads until the server closes.
	StepClose
	// StepSend sends Payload and reads nothing.
	StepSend
	// StepSleep pauses for Sleep milliseconds.
	StepSleep
)

// Step is one line of a script.
type Step struct {
	Line      int
	Text      string // the line as written, for reports
	Kind      StepKind
	Payload   []byte // bytes to send (commands already encoded)
	Replies   int
	Mode      CompareMode
	Tolerance int64
	Pattern   *regexp.Regexp
	SleepMS   int
	OnlyProto int // 0: every run; 2 or 3: only the run started in that protocol
}

// Cases is the number of reply comparisons the step makes.
func (s *Step) Cases() int {
	switch s.Kind {
	case StepCommand, StepRaw:
		return s.Replies
	case StepClose:
		return 1
	}
	return 0
}

// Script is a parsed differential script.
type Script struct {
	Name       string // file name without directory
	Protos     []int  // 2 and/or 3
	ServerArgs []string
	Dedicated  bool   // needs its own pair of servers
	Password   string // for the harness's own (flush) connection
	Steps      []Step
}

// Cases counts reply comparisons in one protocol run.
func (s *Script) Cases() int {
	n := 0
	for i := range s.Steps {
		n += s.Steps[i].Cases()
	}
	return n
}

// LoadScripts parses every *.txt file in dir, sorted by name.
func LoadScripts(dir string) ([]*Script, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil, fmt.Errorf("testutil: %w", err)
	}
	var out []*Script
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("testutil: %w", err)
		}
		s, err := ParseScript(filepath.Base(f), src)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// ParseScript parses one script; see test/integration/testdata/diff/README.md.
func ParseScript(name string, src []byte) (*Script, error) {
	s := &Script{Name: name, Protos: []int{2, 3}}
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	lineNo := 0
	for sc.Scan() {
		lineNo++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fail := func(format string, args ...any) error {
			return fmt.Errorf("testutil: %s:%d: %s", name, lineNo, fmt.Sprintf(format, args...))
		}
		toks, err := splitLine(text)
		if err != nil {
			return nil, fail("%v", err)
		}
		if !toks[0].quoted && toks[0].text[0] == '@' {
			if len(s.Steps) > 0 {
				return nil, fail("header %s after the first case", toks[0].text)
			}
			if err := s.parseHeader(toks); err != nil {
				return nil, fail("%v", err)
			}
			continue
		}
		st, err := parseStep(toks)
		if err != nil {
			return nil, fail("%v", err)
		}
		st.Line, st.Text = lineNo, text
		s.Steps = append(s.Steps, st)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("testutil: %s: %w", name, err)
	}
	if len(s.Steps) == 0 {
		return nil, fmt.Errorf("testutil: %s: no cases", name)
	}
	return s, nil
}

func (s *Script) parseHeader(toks []token) error {
	args := toks[1:]
	switch string(toks[0].text) {
	case "@proto":
		if len(args) != 1 {
			return fmt.Errorf("@proto takes one of 2, 3, both")
		}
		switch string(args[0].text) {
		case "2":
			s.Protos = []int{2}
		case "3":
			s.Protos = []int{3}
		case "both":
			s.Protos = []int{2, 3}
		default:
			return fmt.Errorf("@proto takes one of 2, 3, both, not %q", args[0].text)
		}
	case "@server":
		if len(args) == 0 {
			return fmt.Errorf("@server needs arguments")
		}
		for _, a := range args {
			s.ServerArgs = append(s.ServerArgs, string(a.text))
		}
		s.Dedicated = true
	case "@dedicated":
		if len(args) != 0 {
			return fmt.Errorf("@dedicated takes no arguments")
		}
		s.Dedicated = true
	case "@auth":
		if len(args) != 1 {
			return fmt.Errorf("@auth takes the password")
		}
		s.Password = string(args[0].text)
	default:
		return fmt.Errorf("unknown header %s", toks[0].text)
	}
	return nil
}

// parseStep reads the modifiers at the front of a line, then its action.
func parseStep(toks []token) (Step, error) {
	st := Step{Kind: StepCommand, Replies: 1}
	modeSet := false
	setMode := func(m CompareMode) error {
		if modeSet {
			return fmt.Errorf("more than one compare modifier")
		}
		modeSet, st.Mode = true, m
		return nil
	}
	intArg := func(what string) (int64, error) {
		if len(toks) < 2 {
			return 0, fmt.Errorf("%s needs a number", what)
		}
		n, err := strconv.ParseInt(string(toks[1].text), 10, 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%s needs a non-negative number, not %q", what, toks[1].text)
		}
		toks = toks[2:]
		return n, nil
	}
	for len(toks) > 0 && !toks[0].quoted && toks[0].text[0] == '!' {
		word := string(toks[0].text)
		switch word {
		case "!sort":
			toks = toks[1:]
			if err := setMode(CompareSorted); err != nil {
				return st, err
			}
		case "!shape":
			toks = toks[1:]
			if err := setMode(CompareShape); err != nil {
				return st, err
			}
		case "!match":
			if len(toks) < 2 {
				return st, fmt.Errorf("!match needs a regexp")
			}
			re, err := regexp.Compile(string(toks[1].text))
			if err != nil {
				return st, fmt.Errorf("!match: %w", err)
			}
			st.Pattern = re
			toks = toks[2:]
			if err := setMode(CompareMatch); err != nil {
				return st, err
			}
		case "!approx":
			n, err := intArg(word)
			if err != nil {
				return st, err
			}
			st.Tolerance = n
			if err := setMode(CompareApprox); err != nil {
				return st, err
			}
		case "!resp2", "!resp3":
			st.OnlyProto = int(word[5] - '0')
			toks = toks[1:]
		case "!raw":
			n, err := intArg(word)
			if err != nil {
				return st, err
			}
			st.Kind, st.Replies = StepRaw, int(n)
			p, err := rawPayload(toks)
			st.Payload = p
			return st, err
		case "!rawclose":
			st.Kind = StepClose
			p, err := rawPayload(toks[1:])
			st.Payload = p
			return st, err
		case "!close", "!send":
			st.Kind = StepClose
			if word == "!send" {
				st.Kind, st.Replies = StepSend, 0
			}
			if len(toks) < 2 {
				return st, fmt.Errorf("%s needs a command", word)
			}
			st.Payload = encodeCommand(toks[1:])
			return st, nil
		case "!sleep":
			n, err := intArg(word)
			if err != nil {
				return st, err
			}
			if len(toks) != 0 || modeSet {
				return st, fmt.Errorf("!sleep stands alone")
			}
			st.Kind, st.SleepMS, st.Replies = StepSleep, int(n), 0
			return st, nil
		default:
			return st, fmt.Errorf("unknown directive %s (quote it to send it as an argument)", word)
		}
	}
	if len(toks) == 0 {
		return st, fmt.Errorf("modifiers without a command")
	}
	st.Payload = encodeCommand(toks)
	return st, nil
}

func encodeCommand(toks []token) []byte {
	args := make([][]byte, len(toks))
	for i, t := range toks {
		args[i] = t.text
	}
	return AppendCommand(nil, args...)
}

// rawPayload concatenates the parts of a !raw or !rawclose line. An
// unquoted {N} repeats the part after it N times.
func rawPayload(toks []token) ([]byte, error) {
	if len(toks) == 0 {
		return nil, fmt.Errorf("raw payload is empty")
	}
	var out []byte
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !t.quoted && len(t.text) > 2 && t.text[0] == '{' && t.text[len(t.text)-1] == '}' {
			n, err := strconv.Atoi(string(t.text[1 : len(t.text)-1]))
			if err != nil || n < 0 || n > 64<<20 {
				return nil, fmt.Errorf("bad repeat count %s", t.text)
			}
			if i+1 >= len(toks) {
				return nil, fmt.Errorf("%s must be followed by the part to repeat", t.text)
			}
			i++
			out = append(out, bytes.Repeat(toks[i].text, n)...)
			continue
		}
		out = append(out, t.text...)
	}
	return out, nil
}
