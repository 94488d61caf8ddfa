package acl

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"
)

// ParseFile reads ACL file text the way Redis 7.0 does: one "user <name>
// <rule>..." per line, words separated by single spaces, blank lines
// skipped. name is the file name used in error texts. It returns the
// users' rules, or the error text Redis replies to ACL LOAD with (all
// problems found, then a warning that nothing was changed).
func (r *Registry) ParseFile(text, name string) (map[string]*Rules, string) {
	var errs strings.Builder
	users := make(map[string]*Rules)
	all := r.allChannels()
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		line = strings.Trim(line, " \t\r\n")
		if line == "" {
			continue
		}
		argv := strings.Split(line, " ")
		if argv[0] != "user" || len(argv) < 2 {
			fmt.Fprintf(&errs, "%s:%d should start with user keyword followed by the username. ", name, n)
			continue
		}
		if hasSpace(argv[1]) {
			fmt.Fprintf(&errs, "'%s:%d: username '%s' contains invalid characters. ", name, n, argv[1])
			continue
		}
		if _, dup := users[argv[1]]; dup {
			fmt.Fprintf(&errs, "WARNING: Duplicate user '%s' found on line %d. ", argv[1], n)
			continue
		}
		rules := newRules(all)
		users[argv[1]] = rules
		ops, _, ok := MergeSelectors(argv[2:])
		if !ok {
			fmt.Fprintf(&errs, "%s:%d: Unmatched parenthesis in selector definition.", name, n)
			continue
		}
		for _, op := range ops {
			if err := rules.apply(r.cat, all, strings.Trim(op, "\t\r\n")); err != nil {
				fmt.Fprintf(&errs, "%s:%d: %s. ", name, n, err)
			}
		}
	}
	if errs.Len() > 0 {
		errs.WriteString("WARNING: ACL errors detected, no change to the previously active ACL rules was performed")
		return nil, errs.String()
	}
	return users, ""
}

// LoadFile replaces the users with the ones in the ACL file at path. On
// failure nothing changes and the error's text is what ACL LOAD replies
// (after "ERR "). It returns the users removed, whose clients the caller
// disconnects.
func (r *Registry) LoadFile(path string) ([]*User, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, errors.New("Error loading ACLs, opening file '" + path + "': " + strerror(err))
	}
	users, msg := r.ParseFile(string(data), path)
	if msg != "" {
		return nil, errors.New(msg)
	}
	return r.replace(users), nil
}

// FileText renders every user as an ACL file, in name order.
func (r *Registry) FileText() string {
	var b strings.Builder
	for _, u := range r.Users() {
		b.WriteString(r.Line(u))
		b.WriteByte('\n')
	}
	return b.String()
}

// SaveFile writes every user to the ACL file at path: to a temporary file
// beside it, synced, then renamed over it, so a crash leaves the old or
// the new file, never a mix.
func (r *Registry) SaveFile(path string) error {
	tmp := fmt.Sprintf("%s.tmp-%d-%d", path, os.Getpid(), time.Now().UnixMilli())
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("acl: save: %w", err)
	}
	_, err = f.WriteString(r.FileText())
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("acl: save: %w", err)
	}
	return nil
}

// strerror returns the C library's text for err's errno ("No such file or
// directory"), which Redis's messages carry.
func strerror(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		return strings.ToUpper(s[:1]) + s[1:]
	}
	return err.Error()
}
