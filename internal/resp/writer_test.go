package resp

import (
	"math"
	"math/big"
	"testing"
)

func TestWriters(t *testing.T) {
	pointOne, pointTwo := 0.1, 0.2 // variables: constant folding would make 0.3 exact
	cases := []struct {
		got  []byte
		want string
	}{
		{AppendSimple(nil, "OK"), "+OK\r\n"},
		{AppendError(nil, "ERR bad\r\nthing\n"), "-ERR bad  thing \r\n"},
		{AppendInt(nil, -42), ":-42\r\n"},
		{AppendInt(nil, 7), ":7\r\n"},
		{AppendInt(nil, math.MinInt64), ":-9223372036854775808\r\n"},
		{AppendUint(nil, 0), "0"},
		{AppendUint(nil, math.MaxUint64), "18446744073709551615"},
		{AppendBulk(nil, []byte("a\r\nb")), "$4\r\na\r\nb\r\n"},
		{AppendBulk(nil, nil), "$0\r\n\r\n"},
		{AppendBulkString(nil, "hello world"), "$11\r\nhello world\r\n"},
		{AppendBulkInt(nil, -123), "$4\r\n-123\r\n"},
		{AppendNullBulk(nil), "$-1\r\n"},
		{AppendNullArray(nil), "*-1\r\n"},
		{AppendNull(nil), "_\r\n"},
		{AppendArrayLen(nil, 3), "*3\r\n"},
		{AppendArrayLen(nil, 12), "*12\r\n"},
		{AppendMapLen(nil, 2), "%2\r\n"},
		{AppendSetLen(nil, 0), "~0\r\n"},
		{AppendPushLen(nil, 3), ">3\r\n"},
		{AppendBool(nil, true), "#t\r\n"},
		{AppendBool(nil, false), "#f\r\n"},
		{AppendVerbatim(nil, "txt", "Some string"), "=15\r\ntxt:Some string\r\n"},
		{AppendCommandStrings(nil, "SET", "k", "v"), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"},
		{AppendCommand(nil, []byte("GET"), []byte("k")), "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"},
		// Doubles as Redis 7.0 prints them ("%.17g"), checked with ZSCORE.
		{AppendDouble(nil, 1.5), ",1.5\r\n"},
		{AppendDouble(nil, 10), ",10\r\n"},
		{AppendDouble(nil, 1e20), ",1e+20\r\n"},
		{AppendDouble(nil, 1e16), ",10000000000000000\r\n"},
		{AppendDouble(nil, 1e17), ",1e+17\r\n"},
		{AppendDouble(nil, 1.1), ",1.1000000000000001\r\n"},
		{AppendDouble(nil, pointOne+pointTwo), ",0.30000000000000004\r\n"},
		{AppendDouble(nil, 3.0000000000000004), ",3.0000000000000004\r\n"},
		{AppendDouble(nil, 1e-5), ",1.0000000000000001e-05\r\n"},
		{AppendDouble(nil, 0.0001), ",0.0001\r\n"},
		{AppendDouble(nil, 123456789012345678), ",1.2345678901234568e+17\r\n"},
		{AppendDouble(nil, 2.5e-300), ",2.5e-300\r\n"},
		{AppendDouble(nil, math.Inf(1)), ",inf\r\n"},
		{AppendDouble(nil, math.Inf(-1)), ",-inf\r\n"},
		{AppendDouble(nil, math.NaN()), ",nan\r\n"},
		{AppendDouble(nil, math.Copysign(0, -1)), ",-0\r\n"},
		{AppendBulkDouble(nil, 1.1), "$18\r\n1.1000000000000001\r\n"},
		{AppendBulkDouble(nil, math.Inf(-1)), "$4\r\n-inf\r\n"},
		// INCRBYFLOAT's human form of float64 values.
		{AppendBulkFloat(nil, 5200), "$4\r\n5200\r\n"},
		{AppendBulkFloat(nil, 10.5), "$4\r\n10.5\r\n"},
		{AppendBulkFloat(nil, pointOne+pointTwo), "$19\r\n0.30000000000000004\r\n"},
		{AppendBulkFloat(nil, math.Copysign(0, -1)), "$1\r\n0\r\n"},
		{AppendBulkFloat(nil, -1e-20), "$1\r\n0\r\n"},
		{AppendBulkFloat(nil, 1e20), "$21\r\n100000000000000000000\r\n"},
		{AppendBulkFloat(nil, 0.5), "$3\r\n0.5\r\n"},
		{AppendBulkFloat(nil, -2.25), "$5\r\n-2.25\r\n"},
		// 2^-18 = 0.000003814697265625: a tie at the 17th decimal rounds to even.
		{AppendBulkFloat(nil, 0x1p-18), "$19\r\n0.00000381469726562\r\n"},
		{AppendBulkFloat(nil, math.Inf(1)), "$3\r\ninf\r\n"},
	}
	for i, c := range cases {
		if string(c.got) != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
	// Large values print all their exact digits.
	for _, f := range []float64{1e300, -math.MaxFloat64, 0x1p63, 0x1p64 + 0x1p12, 9.999999999999999e22} {
		exact, _ := new(big.Float).SetFloat64(f).Int(nil)
		want := string(AppendBulkString(nil, exact.String()))
		if got := string(AppendBulkFloat(nil, f)); got != want {
			t.Errorf("%g: got %q want %q", f, got, want)
		}
	}
}

func TestParseInt(t *testing.T) {
	good := map[string]int64{
		"0": 0, "1": 1, "-1": -1, "123": 123,
		"9223372036854775807":  math.MaxInt64,
		"-9223372036854775808": math.MinInt64,
	}
	for s, want := range good {
		if v, ok := ParseInt([]byte(s)); !ok || v != want {
			t.Errorf("ParseInt(%q) = %d, %v", s, v, ok)
		}
	}
	for _, s := range []string{"", "-", "+1", " 1", "1 ", "01", "-0", "00", "1a", "9223372036854775808",
		"-9223372036854775809", "18446744073709551616", "99999999999999999999", "123456789012345678901", "1.0", "0x1"} {
		if v, ok := ParseInt([]byte(s)); ok {
			t.Errorf("ParseInt(%q) accepted: %d", s, v)
		}
	}
}

func TestParseFloat(t *testing.T) {
	good := map[string]float64{
		"1": 1, "-1.5": -1.5, "+.5": 0.5, "5.": 5, "1E5": 1e5, "1e-310": 1e-310, "0x10": 16, "0x1.8": 1.5,
		"0x1p3": 8, "0x.8p1": 1, "00012": 12, "inf": math.Inf(1), "-Infinity": math.Inf(-1), "INF": math.Inf(1),
		"2.4703282292062328e-324": 5e-324, "0e-99999": 0, "1.": 1, "1." + string(make([]byte, 0)): 1,
	}
	for s, want := range good {
		if v, ok := ParseFloat([]byte(s)); !ok || v != want {
			t.Errorf("ParseFloat(%q) = %v, %v", s, v, ok)
		}
	}
	for _, s := range []string{"", " 1", "\v1", "1 ", "1.5\n", "nan", "-nan", "nan(1)", "1e", "1e+", ".", "-", ".e1",
		"0x", "0xp1", "1e309", "-1e309", "1e-330", "2.4703282292062327e-324", "1\x00", "\x00", "1_0", "infinit", "infx", "0x1p"} {
		if v, ok := ParseFloat([]byte(s)); ok {
			t.Errorf("ParseFloat(%q) accepted: %v", s, v)
		}
	}
}

// TestLongDouble pins INCRBYFLOAT results observed on redis-server 7.0.15
// (x86-64, 80-bit long double): the stored value, then the increment.
func TestLongDouble(t *testing.T) {
	cases := []struct{ cur, incr, want string }{
		{"0", "1e300", "1000000000000000000008997324079559193870523944273290747938260082321265646596180935755849152083750497190350372508614274835903592556184672983913096260520748646287327135641843653294084255107606016789726652932370030551382947620994540294772781889620606179267611627097410650567187386105690089424915104006144"},
		{"5.0e3", "2.0e2", "5200"},
		{"0.1", "0.2", "0.3"},
		{"10.50", "0.1", "10.6"},
		{"1000.1", "0", "1000.09999999999999998"},
		{"0", "-0", "0"},
		{"0", "-0.0", "0"},
		{"0", "1.1", "1.1"},
		{"0", "3.0000000000000004", "3.0000000000000004"},
		{"1", "-1", "0"},
		{"0", "1e-20", "0"},
		{"0", "123456789.123456789", "123456789.12345678899873747"},
		{"0", "1e20", "100000000000000000000"},
		{"0", "9007199254740993", "9007199254740993"},
		{"0", "1e-310", "0"},
		{"0", "1e-4940", "0"},
		{"0", "+5", "5"},
		{"0", ".5", "0.5"},
		{"0", "5.", "5"},
		{"0", "0x10", "16"},
		{"0", "0x.8p1", "1"},
		{"0", "00012", "12"},
	}
	for _, c := range cases {
		x, ok1 := ParseLongDouble([]byte(c.cur))
		y, ok2 := ParseLongDouble([]byte(c.incr))
		if !ok1 || !ok2 {
			t.Errorf("%s + %s: parse failed", c.cur, c.incr)
			continue
		}
		if got := string(x.Add(y).AppendHuman(nil)); got != c.want {
			t.Errorf("%s + %s = %s, want %s", c.cur, c.incr, got, c.want)
		}
	}
	max, ok := ParseLongDouble([]byte("1.18973149535723176502e+4932"))
	if h := max.AppendHuman(nil); !ok || len(h) != 4933 || string(h[:30]) != "118973149535723176502126385303" {
		t.Errorf("LDBL_MAX: ok=%v %q...", ok, h[:min(40, len(h))])
	}
	for _, s := range []string{"", " 1", "1 ", "nan", "-nan", "1e5000", "1e-5000", "1e-4960", "1\x00x", "\x00", "1e",
		"0x", "1_0", "1." + string(make([]byte, 0)) + repeat('0', 5118)} {
		if _, ok := ParseLongDouble([]byte(s)); ok {
			t.Errorf("ParseLongDouble(%.20q) accepted", s)
		}
	}
	if _, ok := ParseLongDouble([]byte("1." + repeat('0', 5117))); !ok {
		t.Error("5119-byte number refused")
	}
	inf, ok := ParseLongDouble([]byte("inf"))
	if !ok || !inf.IsInf() {
		t.Fatal("inf")
	}
	ninf, _ := ParseLongDouble([]byte("-Infinity"))
	if !inf.Add(ninf).IsNaN() || !inf.Add(LongDoubleFromInt(1)).IsInf() {
		t.Error("inf arithmetic")
	}
	if f := LongDoubleFromFloat64(0.1).Float64(); f != 0.1 {
		t.Errorf("round trip %v", f)
	}
	if f := LongDoubleFromInt(-12345).Float64(); f != -12345 {
		t.Errorf("int %v", f)
	}
}

func repeat(c byte, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = c
	}
	return string(b)
}

func TestWritersDoNotAllocate(t *testing.T) {
	buf := make([]byte, 0, 4096)
	val := []byte("0123456789abcdef")
	allocs := testing.AllocsPerRun(100, func() {
		b := buf[:0]
		b = AppendSimple(b, "OK")
		b = AppendError(b, "ERR x")
		b = AppendInt(b, 123456)
		b = AppendBulk(b, val)
		b = AppendBulkInt(b, -5)
		b = AppendArrayLen(b, 100)
		b = AppendDouble(b, 3.25)
		b = AppendBulkDouble(b, 1.1)
		b = AppendBulkFloat(b, 1000.1)
		b = AppendBulkFloat(b, 1e300)
		_ = b
	})
	if allocs != 0 {
		t.Fatalf("%v allocs", allocs)
	}
}
