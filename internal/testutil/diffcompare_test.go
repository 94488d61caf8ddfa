package testutil

import (
	"regexp"
	"testing"
)

func mustFrame(t *testing.T, s string) Frame {
	t.Helper()
	f, _, err := ParseFrame([]byte(s))
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return f
}

func TestSameReply(t *testing.T) {
	re := regexp.MustCompile(`^:\d+\r\n$`)
	cases := []struct {
		name string
		st   Step
		a, b string
		want bool
	}{
		{"exact equal", Step{}, "+OK\r\n", "+OK\r\n", true},
		{"exact differ", Step{}, "+OK\r\n", "+Ok\r\n", false},
		{"sorted array", Step{Mode: CompareSorted}, "*2\r\n$1\r\nb\r\n$1\r\na\r\n", "*2\r\n$1\r\na\r\n$1\r\nb\r\n", true},
		{"sorted nested", Step{Mode: CompareSorted}, "*2\r\n$1\r\n0\r\n*2\r\n$1\r\nb\r\n$1\r\na\r\n", "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n", true},
		{"sorted differ", Step{Mode: CompareSorted}, "*2\r\n$1\r\nb\r\n$1\r\na\r\n", "*2\r\n$1\r\na\r\n$1\r\nc\r\n", false},
		{"sorted map pairs", Step{Mode: CompareSorted}, "%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n", "%2\r\n+b\r\n:2\r\n+a\r\n:1\r\n", true},
		{"sorted map pairs kept", Step{Mode: CompareSorted}, "%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n", "%2\r\n+a\r\n:2\r\n+b\r\n:1\r\n", false},
		{"shape same", Step{Mode: CompareShape}, "*2\r\n$1\r\na\r\n:1\r\n", "*2\r\n$3\r\nabc\r\n:99\r\n", true},
		{"shape count", Step{Mode: CompareShape}, "*2\r\n$1\r\na\r\n:1\r\n", "*1\r\n$1\r\na\r\n", false},
		{"shape null", Step{Mode: CompareShape}, "$-1\r\n", "$1\r\na\r\n", false},
		{"shape type", Step{Mode: CompareShape}, ":1\r\n", "$1\r\n1\r\n", false},
		{"match both", Step{Mode: CompareMatch, Pattern: re}, ":1\r\n", ":22\r\n", true},
		{"match one", Step{Mode: CompareMatch, Pattern: re}, ":1\r\n", "-ERR\r\n", false},
		{"approx within", Step{Mode: CompareApprox, Tolerance: 1}, ":100\r\n", ":99\r\n", true},
		{"approx outside", Step{Mode: CompareApprox, Tolerance: 1}, ":100\r\n", ":98\r\n", false},
		{"approx non-int exact", Step{Mode: CompareApprox, Tolerance: 1}, "$1\r\na\r\n", "$1\r\na\r\n", true},
		{"approx non-int differ", Step{Mode: CompareApprox, Tolerance: 1}, ":1\r\n", "$1\r\n1\r\n", false},
	}
	for _, c := range cases {
		got, _ := sameReply(&c.st, mustFrame(t, c.a), mustFrame(t, c.b))
		if got != c.want {
			t.Errorf("%s: got %v want %v", c.name, got, c.want)
		}
	}
}
