package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"cairn/internal/client"
)

// authEnv is our counterpart of REDISCLI_AUTH: a password that does not
// show up in the process list.
const authEnv = "CAIRNCLI_AUTH"

// config is the parsed command line.
type config struct {
	host, socket      string
	port              int
	user, password    string
	db                int
	proto             int // 0: not asked (RESP2), 2 or 3
	repeat            int64
	interval          time.Duration
	stdinLast         bool // -x
	exitOnError       bool // -e: error replies to stderr, like redis-cli -e
	mode              outputMode
	modeForced        bool
	showPushes        int // -1 default, 0 no, 1 yes
	mbDelim, cmdDel   string
	stat              bool
	latency           bool
	latencyHistory    bool
	scan              bool
	bigkeys           bool
	pattern           string
	noAuthWarning     bool
	passFromArgs      bool
	tls               bool
	sni               string
	cacert, cacertdir string
	cert, key         string
	insecure          bool
	args              []string // command and its arguments, if any
	showHelp          bool
	showVersion       bool
}

// userMessage is an error whose text is printed to the user verbatim, in
// redis-cli's wording (hence capitalised).
type userMessage string

func (m userMessage) Error() string { return string(m) }

// parseArgs reads options the way redis-cli does: options first, the
// first word that is not an option starts the command.
func parseArgs(argv []string) (*config, error) {
	c := &config{host: "127.0.0.1", port: 6379, repeat: 1, showPushes: -1, mbDelim: "\n", cmdDel: "\n", pattern: "*"}
	if pw := os.Getenv(authEnv); pw != "" {
		c.password = pw
	}
	intervalSet := false
	i := 0
	next := func() (string, bool) {
		if i+1 >= len(argv) {
			return "", false
		}
		i++
		return argv[i], true
	}
	for ; i < len(argv); i++ {
		a := argv[i]
		bad := func() error {
			return userMessage(fmt.Sprintf("Unrecognized option or bad number of args for: '%s'", a))
		}
		num := func() (int, error) {
			v, ok := next()
			if !ok {
				return 0, bad()
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				return 0, userMessage(fmt.Sprintf("Invalid value for %s: '%s'", a, v))
			}
			return n, nil
		}
		str := func(dst *string) error {
			v, ok := next()
			if !ok {
				return bad()
			}
			*dst = v
			return nil
		}
		var err error
		switch a {
		case "-h":
			err = str(&c.host)
		case "-p":
			c.port, err = num()
		case "-s":
			err = str(&c.socket)
		case "-a", "--pass":
			err = str(&c.password)
			c.passFromArgs = true
		case "--user":
			err = str(&c.user)
		case "-u":
			var u string
			if err = str(&u); err == nil {
				err = c.applyURI(u)
				c.passFromArgs = c.passFromArgs || c.password != ""
			}
		case "-n":
			c.db, err = num()
		case "-r":
			var v string
			if err = str(&v); err == nil {
				c.repeat, err = strconv.ParseInt(v, 10, 64)
			}
		case "-i":
			var v string
			if err = str(&v); err == nil {
				var f float64
				f, err = strconv.ParseFloat(v, 64)
				c.interval = time.Duration(f * float64(time.Second))
				intervalSet = true
			}
		case "-2":
			c.proto = 2
		case "-3", "--resp3":
			c.proto = 3
		case "-x":
			c.stdinLast = true
		case "-e":
			c.exitOnError = true
		case "-d":
			err = str(&c.mbDelim)
		case "-D":
			err = str(&c.cmdDel)
		case "--raw":
			c.mode, c.modeForced = outputRaw, true
		case "--no-raw":
			c.mode, c.modeForced = outputTTY, true
		case "--csv":
			c.mode, c.modeForced = outputCSV, true
		case "--json":
			c.mode, c.modeForced = outputJSON, true
		case "--quoted-json":
			c.mode, c.modeForced = outputQuotedJSON, true
		case "--show-pushes":
			var v string
			if err = str(&v); err == nil {
				c.showPushes = 0
				if strings.EqualFold(v, "yes") || v == "1" || strings.EqualFold(v, "y") {
					c.showPushes = 1
				}
			}
		case "--stat":
			c.stat = true
		case "--latency":
			c.latency = true
		case "--latency-history":
			c.latency, c.latencyHistory = true, true
		case "--scan":
			c.scan = true
		case "--bigkeys":
			c.bigkeys = true
		case "--pattern":
			err = str(&c.pattern)
		case "--no-auth-warning":
			c.noAuthWarning = true
		case "--tls":
			c.tls = true
		case "--sni":
			err = str(&c.sni)
		case "--cacert":
			err = str(&c.cacert)
		case "--cacertdir":
			err = str(&c.cacertdir)
		case "--cert":
			err = str(&c.cert)
		case "--key":
			err = str(&c.key)
		case "--insecure":
			c.insecure = true
		case "--help", "-?":
			c.showHelp = true
		case "-v", "--version":
			c.showVersion = true
		default:
			if strings.HasPrefix(a, "-") && len(a) > 1 {
				return nil, bad()
			}
			c.args = argv[i:]
			i = len(argv)
		}
		if err != nil {
			return nil, err
		}
	}
	if !intervalSet && c.latencyHistory {
		c.interval = 15 * time.Second
	}
	if (c.mode == outputJSON || c.mode == outputQuotedJSON) && c.proto == 0 {
		// As redis-cli: JSON output talks RESP3 unless -2 says otherwise.
		c.proto = 3
	}
	return c, nil
}

// applyURI reads redis://[user[:password]@]host[:port][/db] (rediss://
// for TLS).
func (c *config) applyURI(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
		return userMessage(fmt.Sprintf("Invalid URI scheme: %s", s))
	}
	if u.Scheme == "rediss" {
		c.tls = true
	}
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			c.user, c.password = u.User.Username(), pw
		} else {
			c.password = u.User.Username()
		}
	}
	if h := u.Hostname(); h != "" {
		c.host = h
	}
	if p := u.Port(); p != "" {
		if c.port, err = strconv.Atoi(p); err != nil {
			return userMessage(fmt.Sprintf("Invalid URI port: %s", s))
		}
	}
	if path := strings.Trim(u.Path, "/"); path != "" {
		if c.db, err = strconv.Atoi(path); err != nil {
			return userMessage(fmt.Sprintf("Invalid URI db: %s", s))
		}
	}
	return nil
}

func (c *config) addr() string {
	if c.socket != "" {
		return c.socket
	}
	return net.JoinHostPort(c.host, strconv.Itoa(c.port))
}

// displayAddr is the address as the prompt shows it.
func (c *config) displayAddr() string {
	if c.socket != "" {
		return c.socket
	}
	return c.host + ":" + strconv.Itoa(c.port)
}

func (c *config) clientOptions() (client.Options, error) {
	o := client.Options{
		Addr:     c.addr(),
		User:     c.user,
		Password: c.password,
		DB:       c.db,
		Protocol: c.proto,
	}
	if c.socket != "" {
		o.Network = "unix"
	}
	if c.tls {
		tc := &tls.Config{ServerName: c.host, InsecureSkipVerify: c.insecure}
		if c.sni != "" {
			tc.ServerName = c.sni
		}
		if c.cacert != "" || c.cacertdir != "" {
			pool := x509.NewCertPool()
			files := []string{c.cacert}
			if c.cacertdir != "" {
				entries, _ := os.ReadDir(c.cacertdir)
				for _, e := range entries {
					files = append(files, c.cacertdir+"/"+e.Name())
				}
			}
			for _, f := range files {
				if f == "" {
					continue
				}
				pem, err := os.ReadFile(f)
				if err != nil {
					return o, fmt.Errorf("cairn-cli: CA certificate: %w", err)
				}
				pool.AppendCertsFromPEM(pem)
			}
			tc.RootCAs = pool
		}
		if c.cert != "" || c.key != "" {
			pair, err := tls.LoadX509KeyPair(c.cert, c.key)
			if err != nil {
				return o, fmt.Errorf("cairn-cli: client certificate: %w", err)
			}
			tc.Certificates = []tls.Certificate{pair}
		}
		o.TLS = tc
	}
	return o, nil
}

const usageText = `cairn-cli — an interactive client for Cairn and Redis

Usage: cairn-cli [OPTIONS] [cmd [arg [arg ...]]]
  -h <hostname>      Server hostname (default: 127.0.0.1).
  -p <port>          Server port (default: 6379).
  -s <socket>        Server socket (overrides hostname and port).
  -a <password>      Password; the CAIRNCLI_AUTH environment variable is safer.
  --user <username>  ACL user for 'AUTH username pass'.
  --pass <password>  Same as -a.
  -u <uri>           redis://[user[:password]@]host[:port][/db] (rediss:// for TLS).
  -n <db>            Database number.
  -2 / -3, --resp3   Speak RESP2 / RESP3.
  -r <repeat>        Run the command N times (-1: forever).
  -i <interval>      Seconds to wait between repeats (sub-second allowed),
                     between --stat lines and --latency-history windows.
  -x                 Read the last argument from standard input.
  -e                 Print error replies to stderr (exit code is 1 either way).
  -d / -D <delim>    Raw-mode separators between bulks / between replies.
  --raw              Raw replies (default when stdout is not a terminal).
  --no-raw           Terminal formatting even when stdout is not a terminal.
  --csv              CSV output.
  --json             JSON output (talks RESP3 unless -2 is given).
  --quoted-json      JSON with strings quoted as on a terminal.
  --show-pushes <yn> Print RESP3 push messages (default: yes on a terminal).
  --stat             Rolling line of keys, memory, clients, requests per second.
  --latency          Sample PING latency continuously (once for 1s when not on a terminal).
  --latency-history  Like --latency, one line per 15s window (change with -i).
  --scan             List keys with SCAN; --pattern <pat> filters them.
  --bigkeys          Find the biggest key of each type.
  --tls, --sni, --cacert, --cacertdir, --cert, --key, --insecure
                     TLS connection settings.
  --no-auth-warning  Do not warn about passwords on the command line.
  --help             This help.  --version: version.

Without a command, cairn-cli reads commands from a terminal (with history
in ~/.cairncli_history or $CAIRNCLI_HISTFILE, Tab completion and hints) or
one per line from piped standard input.
`
