package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// Parsers and rewriters for the parameters whose values are lists or
// structured (kindSpecial), plus extra checks on a few plain kinds.

func parseSave(_, v string) (string, error) {
	if v == "" {
		return "", nil
	}
	errInvalid := replyError("Invalid save parameters")
	f := strings.Split(v, " ")
	if len(f)%2 != 0 {
		return "", errInvalid
	}
	out := make([]string, len(f))
	for i, s := range f {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 || (i%2 == 0 && n < 1) {
			return "", errInvalid
		}
		out[i] = strconv.FormatInt(n, 10)
	}
	return strings.Join(out, " "), nil
}

func rewriteSave(_ *param, v string) []string {
	if v == "" {
		return []string{`save ""`}
	}
	f := strings.Fields(v)
	var lines []string
	for i := 0; i+1 < len(f); i += 2 {
		lines = append(lines, "save "+f[i]+" "+f[i+1])
	}
	return lines
}

// maxBindAddrs is how many addresses bind accepts, as in Redis.
const maxBindAddrs = 16

func parseBind(_, v string) (string, error) {
	f := strings.Fields(v)
	if len(f) > maxBindAddrs {
		return "", replyError("Too many bind addresses specified.")
	}
	return strings.Join(f, " "), nil
}

func rewriteList(p *param, v string) []string {
	if v == "" {
		return []string{p.name + ` ""`}
	}
	return []string{p.name + " " + v}
}

// OutputBufferLimit is one client class's client-output-buffer-limit: the
// connection is closed when its pending output exceeds Hard bytes, or stays
// above Soft bytes for SoftSeconds. Zero disables a limit.
type OutputBufferLimit struct {
	Hard, Soft  int64
	SoftSeconds int64
}

// Client classes of client-output-buffer-limit, in CONFIG GET order.
const (
	ClassNormal  = 0
	ClassReplica = 1
	ClassPubSub  = 2
)

var outputClassNames = [3]string{"normal", "slave", "pubsub"}

func outputClass(name string) int {
	switch strings.ToLower(name) {
	case "normal":
		return ClassNormal
	case "slave", "replica":
		return ClassReplica
	case "pubsub":
		return ClassPubSub
	}
	return -1
}

// parseOutputLimits reads the canonical client-output-buffer-limit value.
func parseOutputLimits(v string) [3]OutputBufferLimit {
	var l [3]OutputBufferLimit
	f := strings.Fields(v)
	for i := 0; i+3 < len(f); i += 4 {
		c := outputClass(f[i])
		if c < 0 {
			continue
		}
		l[c].Hard, _ = strconv.ParseInt(f[i+1], 10, 64)
		l[c].Soft, _ = strconv.ParseInt(f[i+2], 10, 64)
		l[c].SoftSeconds, _ = strconv.ParseInt(f[i+3], 10, 64)
	}
	return l
}

func formatOutputLimits(l [3]OutputBufferLimit) string {
	parts := make([]string, 0, 12)
	for c, x := range l {
		parts = append(parts, outputClassNames[c], strconv.FormatInt(x.Hard, 10),
			strconv.FormatInt(x.Soft, 10), strconv.FormatInt(x.SoftSeconds, 10))
	}
	return strings.Join(parts, " ")
}

// parseOutputBufferLimit merges "class hard soft seconds ..." into cur:
// classes not named keep their limits, as in Redis.
func parseOutputBufferLimit(cur, v string) (string, error) {
	f := strings.Fields(v)
	if len(f)%4 != 0 {
		return "", replyError("Wrong number of arguments in buffer limit configuration.")
	}
	l := parseOutputLimits(cur)
	for i := 0; i < len(f); i += 4 {
		c := outputClass(f[i])
		if c < 0 {
			return "", replyError("Invalid client class specified in buffer limit configuration.")
		}
		hard, ok1 := parseMemory(f[i+1])
		soft, ok2 := parseMemory(f[i+2])
		secs, err := strconv.ParseInt(f[i+3], 10, 64)
		if !ok1 || !ok2 || err != nil || secs < 0 {
			return "", replyError("Error in hard, soft or soft_seconds setting in buffer limit configuration.")
		}
		l[c] = OutputBufferLimit{Hard: hard, Soft: soft, SoftSeconds: secs}
	}
	return formatOutputLimits(l), nil
}

func rewriteOutputBufferLimit(p *param, v string) []string {
	l := parseOutputLimits(v)
	names := [3]string{"normal", "replica", "pubsub"}
	lines := make([]string, 3)
	for c, x := range l {
		lines[c] = fmt.Sprintf("%s %s %s %s %d", p.name, names[c],
			formatMemoryUnit(x.Hard), formatMemoryUnit(x.Soft), x.SoftSeconds)
	}
	return lines
}

func parseOOMScoreAdjValues(_, v string) (string, error) {
	f := strings.Fields(v)
	if len(f) != 3 {
		return "", errors.New("wrong number of arguments")
	}
	for i, s := range f {
		n, err := strconv.Atoi(s)
		if err != nil || n < -2000 || n > 2000 {
			return "", replyError("Invalid oom-score-adj-values, elements must be between -2000 and 2000.")
		}
		f[i] = strconv.Itoa(n)
	}
	return strings.Join(f, " "), nil
}

func parsePercentiles(_, v string) (string, error) {
	f := strings.Fields(v)
	for i, s := range f {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return "", replyError("Invalid latency-tracking-info-percentiles parameters")
		}
		if x < 0 || x > 100 {
			return "", errors.New("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]")
		}
		// Six decimals with trailing zeros dropped, as Redis prints them.
		s = strconv.FormatFloat(x, 'f', 6, 64)
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		f[i] = s
	}
	return strings.Join(f, " "), nil
}

// Keyspace notification classes. The "A" alias covers allEvents; K, E, m
// and n are outside it.
const (
	nkeGeneric = 1 << iota
	nkeString
	nkeList
	nkeSet
	nkeHash
	nkeZset
	nkeExpired
	nkeEvicted
	nkeStream
	nkeKeyMiss
	nkeModule
	nkeNew
	nkeKeyspace
	nkeKeyevent
	nkeAll = nkeGeneric | nkeString | nkeList | nkeSet | nkeHash | nkeZset |
		nkeExpired | nkeEvicted | nkeStream | nkeModule
)

// nkeLetters lists the class letters in the order CONFIG GET prints them.
var nkeLetters = []struct {
	c    byte
	flag int
}{
	{'g', nkeGeneric}, {'$', nkeString}, {'l', nkeList}, {'s', nkeSet},
	{'h', nkeHash}, {'z', nkeZset}, {'x', nkeExpired}, {'e', nkeEvicted},
	{'t', nkeStream}, {'d', nkeModule}, {'n', nkeNew},
}

func parseNotifyKeyspaceEvents(_, v string) (string, error) {
	flags := 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case 'A':
			flags |= nkeAll
		case 'K':
			flags |= nkeKeyspace
		case 'E':
			flags |= nkeKeyevent
		case 'm':
			flags |= nkeKeyMiss
		default:
			found := false
			for _, l := range nkeLetters {
				if l.c == c {
					flags |= l.flag
					found = true
				}
			}
			if !found {
				return "", replyError("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")
			}
		}
	}
	// Redis 7.0 prints "A" when every class in it is set, and then omits
	// 'n' even when it is set; we print the same bytes.
	var b []byte
	if flags&nkeAll == nkeAll {
		b = append(b, 'A')
	} else {
		for _, l := range nkeLetters {
			if flags&l.flag != 0 {
				b = append(b, l.c)
			}
		}
	}
	if flags&nkeKeyspace != 0 {
		b = append(b, 'K')
	}
	if flags&nkeKeyevent != 0 {
		b = append(b, 'E')
	}
	if flags&nkeKeyMiss != 0 {
		b = append(b, 'm')
	}
	return string(b), nil
}

func parseReplicaOf(_, v string) (string, error) {
	if v == "" {
		return "", nil
	}
	f := strings.Fields(v)
	if len(f) != 2 {
		return "", errors.New("wrong number of arguments")
	}
	if strings.EqualFold(f[0], "no") && strings.EqualFold(f[1], "one") {
		return "", nil
	}
	if _, err := strconv.ParseUint(f[1], 10, 16); err != nil {
		return "", replyError("Invalid master port")
	}
	return f[0] + " " + f[1], nil
}

func rewriteReplicaOf(p *param, v string) []string {
	if v == "" {
		return nil
	}
	return []string{p.name + " " + v}
}

func parseOctal(_, v string) (string, error) {
	n, err := strconv.ParseUint(v, 8, 32)
	if err != nil || n > 0o777 {
		return "", errors.New("argument couldn't be parsed as an octal number")
	}
	return strconv.FormatUint(n, 8), nil
}

// parseDir stores dir as an absolute path, the form Redis reports (it
// chdirs and answers getcwd). Cairn does not chdir: the server creates and
// uses the directory itself.
func parseDir(_, v string) (string, error) {
	if v == "" {
		return "", replyError("No such file or directory")
	}
	abs, err := filepath.Abs(v)
	if err != nil {
		return "", err
	}
	return abs, nil
}

func rewriteQuoted(p *param, v string) []string { return []string{p.name + " " + quoteArg(v)} }

// ErrDaemonize is the reason "daemonize yes" is refused: Cairn runs in the
// foreground under a supervisor (systemd, a container runtime) instead.
var ErrDaemonize = errors.New("daemonize yes is not supported by cairn-server; run it in the foreground under a supervisor")

func parseDaemonize(_, v string) (string, error) {
	if v == "yes" {
		return "", ErrDaemonize
	}
	return v, nil
}
