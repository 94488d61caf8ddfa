package main

import "cairn/internal/resp"

// errUnbalanced is reported for a line whose quotes do not close (or a
// closing quote not followed by a space); nothing is sent for it.
var errUnbalanced error = userMessage("Invalid argument(s)")

// splitArgs splits a typed line into arguments with redis-cli's rules,
// which are Redis's own (see resp.SplitArgs). A line of blanks gives no
// arguments.
func splitArgs(line string) ([]string, error) {
	args, ok := resp.SplitArgs(line)
	if !ok {
		return nil, errUnbalanced
	}
	return args, nil
}

// isSpace is C's isspace in the C locale.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}
