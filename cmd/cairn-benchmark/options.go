package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// options are the parsed command line.
type options struct {
	host       string
	port       int
	password   string
	user       string
	dbnum      int
	clients    int
	requests   int64
	dataSize   string
	dataMin    int
	dataMax    int
	keyspace   uint64
	pipeline   int
	tests      string
	quiet      bool
	loop       bool
	csv        bool
	json       bool
	threads    int
	precision  int
	duration   time.Duration
	ratio      string
	dist       string
	seed       uint64
	keepAlive  int
	command    []string // a request given after the options, as in redis-benchmark
	progress   bool
	cpuProfile string // write a pprof CPU profile of the whole run here
}

func parseOptions(args []string, out io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("cairn-benchmark", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.host, "h", "127.0.0.1", "server hostname")
	fs.IntVar(&o.port, "p", 6379, "server port")
	fs.StringVar(&o.password, "a", "", "password for AUTH")
	fs.StringVar(&o.user, "user", "", "user for AUTH user pass (needs -a)")
	fs.IntVar(&o.dbnum, "dbnum", 0, "SELECT this database first")
	fs.IntVar(&o.clients, "c", 50, "parallel connections")
	fs.Int64Var(&o.requests, "n", 100000, "total requests per test")
	fs.StringVar(&o.dataSize, "d", "3", "value size in bytes, or a range MIN-MAX drawn uniformly per request")
	fs.Uint64Var(&o.keyspace, "r", 0, "use random keys in [0, keyspacelen): __rand_int__ becomes a 12-digit number")
	fs.IntVar(&o.pipeline, "P", 1, "requests per pipeline batch")
	fs.StringVar(&o.tests, "t", "", "comma separated tests (ping, ping_inline, ping_mbulk, set, get, incr, mset, mixed, ...)")
	fs.BoolVar(&o.quiet, "q", false, "quiet: one line per test")
	fs.BoolVar(&o.loop, "l", false, "loop: run the tests forever")
	fs.BoolVar(&o.csv, "csv", false, "CSV output (redis-benchmark's columns)")
	fs.BoolVar(&o.json, "json", false, "JSON output with latency percentiles")
	fs.IntVar(&o.threads, "threads", 1, "OS threads for the client loops (GOMAXPROCS)")
	fs.IntVar(&o.precision, "precision", 0, "decimal places of latencies (0 means 3)")
	fs.DurationVar(&o.duration, "duration", 0, "run each test this long instead of -n requests (e.g. 10s)")
	fs.StringVar(&o.ratio, "ratio", "", "mixed load of R GETs per W SETs, e.g. 10:1 (test \"mixed\")")
	fs.StringVar(&o.dist, "dist", distUniform, "key distribution with -r: uniform, zipfian or sequential")
	fs.Uint64Var(&o.seed, "seed", 0, "random seed (0 = from the clock)")
	fs.IntVar(&o.keepAlive, "k", 1, "keep alive (only 1 is supported)")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a pprof CPU profile of the run to this file")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	o.command = fs.Args()
	return o, o.check()
}

func (o *options) check() error {
	switch {
	case o.clients < 1:
		return errors.New("-c must be at least 1")
	case o.pipeline < 1:
		return errors.New("-P must be at least 1")
	case o.requests < 1 && o.duration <= 0:
		return errors.New("-n must be at least 1")
	case o.threads < 1:
		return errors.New("--threads must be at least 1")
	case o.keepAlive != 1:
		return errors.New("-k 0 (reconnect per request) is not supported")
	case o.user != "" && o.password == "":
		return errors.New("--user needs -a")
	case o.dist != distUniform && o.keyspace == 0:
		return fmt.Errorf("--dist %s needs -r keyspacelen", o.dist)
	}
	lo, hi, err := parseSize(o.dataSize)
	if err != nil {
		return err
	}
	o.dataMin, o.dataMax = lo, hi
	return nil
}

// parseSize reads -d: "N" or "MIN-MAX".
func parseSize(s string) (int, int, error) {
	loS, hiS, isRange := strings.Cut(s, "-")
	lo, err1 := strconv.Atoi(loS)
	hi, err2 := lo, error(nil)
	if isRange {
		hi, err2 = strconv.Atoi(hiS)
	}
	if err1 != nil || err2 != nil || lo < 0 || hi < lo || hi > len(payload) {
		return 0, 0, fmt.Errorf("bad -d %q (want N or MIN-MAX, at most %d)", s, len(payload))
	}
	return lo, hi, nil
}

func (o *options) addr() string { return net.JoinHostPort(o.host, strconv.Itoa(o.port)) }

// setup is sent on every new connection before the load starts.
func (o *options) setup() [][]string {
	var s [][]string
	switch {
	case o.user != "":
		s = append(s, []string{"AUTH", o.user, o.password})
	case o.password != "":
		s = append(s, []string{"AUTH", o.password})
	}
	if o.dbnum != 0 {
		s = append(s, []string{"SELECT", strconv.Itoa(o.dbnum)})
	}
	return s
}

// dataLabel describes the payload in output.
func (o *options) dataLabel() string {
	if o.dataMax > o.dataMin {
		return fmt.Sprintf("%d-%d bytes payload", o.dataMin, o.dataMax)
	}
	return fmt.Sprintf("%d bytes payload", o.dataMin)
}
