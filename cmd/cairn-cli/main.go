package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"cairn/internal/client"
	"cairn/internal/resp"
)

const version = "cairn-cli 0.1.0 (redis-cli 7.0 compatible)"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// cli is one run of the program: its configuration, its connection and
// where it prints.
type cli struct {
	cfg    *config
	conn   *client.Conn
	in     io.Reader
	out    io.Writer
	errOut io.Writer
	mode   outputMode
	docs   *commandDocs // loaded lazily for the shell
}

func run(argv []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := parseArgs(argv)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if cfg.showHelp {
		fmt.Fprint(stdout, usageText)
		return 0
	}
	if cfg.showVersion {
		fmt.Fprintln(stdout, version)
		return 0
	}
	if cfg.passFromArgs && !cfg.noAuthWarning {
		fmt.Fprintln(stderr, "Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe.")
	}
	c := &cli{cfg: cfg, in: stdin, out: stdout, errOut: stderr}
	c.mode = cfg.mode
	if !cfg.modeForced {
		if isTerminal(stdout) {
			c.mode = outputTTY
		} else {
			c.mode = outputRaw
		}
	}
	opts, err := cfg.clientOptions()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	showPushes := cfg.showPushes == 1 || (cfg.showPushes == -1 && isTerminal(stdout))
	opts.OnPush = func(v resp.Value, _ []byte) {
		if showPushes {
			c.out.Write(formatReply(v, c.mode, false))
		}
	}
	opts.OnSetupError = func(e *client.SetupError) error {
		// Like redis-cli: warn and carry on, so the command shows the
		// server's own verdict (e.g. NOAUTH).
		fmt.Fprintf(c.errOut, "%s failed: %s\n", e.Command, e.Reply.Str)
		return nil
	}
	c.conn = client.New(opts)

	interactive := len(cfg.args) == 0 && isTerminal(stdin)
	switch {
	case cfg.stat:
		return c.runStat()
	case cfg.latency:
		return c.runLatency()
	case cfg.scan:
		return c.runScan()
	case cfg.bigkeys:
		return c.runBigKeys()
	case len(cfg.args) > 0:
		return c.runOneShot()
	case interactive:
		return c.runShell()
	default:
		return c.runPiped()
	}
}

func isTerminal(x any) bool {
	f, ok := x.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// connect opens the connection up front (one-shot and tool modes),
// printing redis-cli's message when the server cannot be reached.
func (c *cli) connect() bool {
	if c.conn.Connected() {
		return true
	}
	if err := c.conn.Reconnect(); err != nil {
		c.printConnError(err)
		return false
	}
	return true
}

func (c *cli) printConnError(err error) {
	var de *client.DialError
	var se *client.SetupError
	switch {
	case errors.As(err, &de):
		fmt.Fprintln(c.errOut, de.Error())
	case errors.As(err, &se):
		if se.Command == "SELECT" {
			fmt.Fprintf(c.errOut, "Warning: %s\n", se.Reply.Str)
		} else {
			fmt.Fprintf(c.errOut, "%s failed: %s\n", se.Command, se.Reply.Str)
		}
	default:
		fmt.Fprintln(c.errOut, "Error: Server closed the connection")
	}
}

func (c *cli) runOneShot() int {
	args := append([]string(nil), c.cfg.args...)
	if c.cfg.stdinLast {
		data, err := io.ReadAll(c.in)
		if err != nil {
			fmt.Fprintf(c.errOut, "cairn-cli: reading standard input: %v\n", err)
			return 1
		}
		args = append(args, string(data))
	}
	if !c.connect() {
		return 1
	}
	code := 0
	for n := int64(0); c.cfg.repeat < 0 || n < c.cfg.repeat; n++ {
		isErr, err := c.issue(args)
		if err != nil {
			c.printConnError(err)
			return 1
		}
		if isErr {
			code = 1
		}
		if c.cfg.interval > 0 {
			time.Sleep(c.cfg.interval)
		}
	}
	return code
}

// runPiped reads one command per line, as redis-cli does when standard
// input is not a terminal.
func (c *cli) runPiped() int {
	sc := bufio.NewScanner(c.in)
	sc.Buffer(make([]byte, 64<<10), 512<<20)
	code := 0
	for sc.Scan() {
		args, err := splitArgs(sc.Text())
		if err != nil {
			fmt.Fprintln(c.out, err)
			continue
		}
		if len(args) == 0 {
			continue
		}
		if q := strings.ToLower(args[0]); q == "quit" || q == "exit" {
			break
		}
		if _, err := c.issue(args); err != nil {
			c.printConnError(err)
			code = 1
		}
	}
	return code
}

// issue sends one command and prints its reply; isErr reports an error
// reply. A Go error means the server could not be reached.
func (c *cli) issue(args []string) (isErr bool, err error) {
	v, _, err := c.conn.Do(args...)
	if err != nil {
		return false, err
	}
	c.printReply(args, v)
	if v.IsError() {
		return true, nil
	}
	if isSubscribe(args) || strings.EqualFold(args[0], "MONITOR") {
		return false, c.streamReplies(args)
	}
	return false, nil
}

func (c *cli) printReply(args []string, v resp.Value) {
	if v.IsError() && c.cfg.exitOnError && len(c.cfg.args) > 0 {
		fmt.Fprintf(c.errOut, "%s\n", v.Str)
		return
	}
	verbatim := c.mode == outputTTY && rawReport(args) && !v.IsError()
	out := formatReply(v, c.mode, verbatim)
	if c.mode == outputRaw && !verbatim && (c.cfg.mbDelim != "\n" || c.cfg.cmdDel != "\n") {
		out = append(appendRaw(nil, v, c.cfg.mbDelim), c.cfg.cmdDel...)
	}
	c.out.Write(out)
}

// rawReport reports commands whose reply is a text report that redis-cli
// prints as is even on a terminal.
func rawReport(args []string) bool {
	cmd := strings.ToLower(args[0])
	sub := ""
	if len(args) > 1 {
		sub = strings.ToLower(args[1])
	}
	switch cmd {
	case "info", "lolwut":
		return true
	case "client":
		return sub == "list" || sub == "info"
	case "cluster":
		return sub == "nodes" || sub == "info" || sub == "replicas" || sub == "slaves"
	case "memory":
		return sub == "doctor" || sub == "malloc-stats"
	case "latency":
		return sub == "doctor" || sub == "graph"
	case "debug":
		return sub == "htstats" || sub == "htstats-key"
	}
	return false
}

func isSubscribe(args []string) bool {
	switch strings.ToLower(args[0]) {
	case "subscribe", "psubscribe", "ssubscribe":
		return true
	}
	return false
}

// streamReplies prints what a subscriber or monitor receives until the
// connection ends (Ctrl-C ends the program).
func (c *cli) streamReplies(args []string) error {
	if c.mode == outputTTY && isSubscribe(args) {
		fmt.Fprintln(c.out, "Reading messages... (press Ctrl-C to quit)")
	}
	for {
		v, _, err := c.conn.Receive()
		if err != nil {
			return err
		}
		c.out.Write(formatReply(v, c.mode, false))
	}
}

// prompt is the shell prompt: address, [db] when not 0, or "not connected".
func (c *cli) prompt() string {
	if !c.conn.Connected() {
		return "not connected> "
	}
	p := c.cfg.displayAddr()
	if db := c.conn.DB(); db != 0 {
		p += "[" + strconv.Itoa(db) + "]"
	}
	return p + "> "
}
