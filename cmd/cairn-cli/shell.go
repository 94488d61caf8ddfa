package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/reeflective/readline"

	"cairn/internal/client"
)

// runShell is the interactive mode: read a line, run it, print the reply.
func (c *cli) runShell() int {
	if err := c.conn.Reconnect(); err != nil {
		c.printConnError(err)
	}
	c.docs = &commandDocs{byName: map[string]*commandDoc{}}
	if c.conn.Connected() {
		c.docs = loadDocs(c.conn)
	}

	rl := readline.NewShell()
	// A pty or a minimal terminal may never answer the cursor-position
	// query; the prompt width is enough to place the line.
	rl.Config.Set("cursor-position-probe", false)
	rl.Config.Set("history-autosuggest", false)
	rl.Prompt.Primary(c.prompt)
	rl.History.Delete()
	rl.History.Add("cairn-cli", openHistory(historyPath()))
	rl.Completer = func(line []rune, cursor int) readline.Completions {
		return readline.CompleteValues(c.docs.complete(string(line[:cursor]))...)
	}
	// Hints: readline shows an inline suggestion that extends the line;
	// the highlighter runs on every redraw, so it refreshes the hint.
	rl.SyntaxHighlighter = func(line []rune) string {
		s := string(line)
		if h := c.docs.hint(s); h != "" {
			rl.SetInlineSuggestion(s + h)
		} else {
			rl.ClearInlineSuggestion()
		}
		return s
	}

	for {
		line, err := rl.Readline()
		if errors.Is(err, readline.ErrInterrupt) {
			continue
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				fmt.Fprintln(c.errOut, err)
			}
			return 0
		}
		if c.shellLine(line, rl) {
			return 0
		}
	}
}

// shellLine runs one typed line; it reports whether the shell should end.
func (c *cli) shellLine(line string, rl *readline.Shell) (quit bool) {
	args, err := splitArgs(line)
	if err != nil {
		fmt.Fprintln(c.out, err)
		return false
	}
	if len(args) == 0 {
		return false
	}
	// "3 INCR x" repeats a command, as in redis-cli.
	repeat := 1
	if n, err := strconv.Atoi(args[0]); err == nil && len(args) > 1 && n > 0 {
		repeat, args = n, args[1:]
	}
	switch strings.ToLower(args[0]) {
	case "quit", "exit":
		return true
	case "clear":
		fmt.Fprint(c.out, "\x1b[H\x1b[2J")
		return false
	case "help", "?":
		fmt.Fprint(c.out, c.docs.help(args[1:]))
		return false
	case "connect":
		if len(args) >= 2 {
			c.cfg.host = args[1]
			if len(args) >= 3 {
				c.cfg.port, _ = strconv.Atoi(args[2])
			}
			opts := c.conn.Options()
			opts.Addr = c.cfg.addr()
			c.conn.Close()
			c.conn = client.New(opts)
			if err := c.conn.Reconnect(); err != nil {
				c.printConnError(err)
			} else {
				c.docs = loadDocs(c.conn)
			}
			return false
		}
	}
	for i := 0; i < repeat; i++ {
		if !c.shellIssue(args) {
			break
		}
	}
	return false
}

// shellIssue sends one command. A connection that died since the last
// command (server restarted) is dialled again and the command retried
// once, as redis-cli does; if the server is still away, the shell says so
// and shows "not connected>" until a later command reaches it.
func (c *cli) shellIssue(args []string) bool {
	wasConnected := c.conn.Connected()
	_, err := c.issue(args)
	if err != nil && wasConnected {
		var de *client.DialError
		if !errors.As(err, &de) {
			_, err = c.issue(args)
		}
	}
	if err != nil {
		c.printConnError(err)
		return false
	}
	if len(c.docs.byName) == 0 && c.conn.Connected() {
		c.docs = loadDocs(c.conn)
	}
	return true
}
