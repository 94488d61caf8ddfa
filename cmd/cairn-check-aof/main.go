// Command cairn-check-aof verifies an append-only file, or every file a
// manifest lists, and reports the first bad byte offset. With --fix it
// truncates the last file to its last complete record after asking; with
// --truncate-to-timestamp T it cuts the last file at the first #TS
// annotation later than T (a point-in-time restore).
//
//	cairn-check-aof [--fix] [--truncate-to-timestamp T] <manifest|file>
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"cairn/internal/aof"
)

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout)) }

const usage = "Usage: cairn-check-aof [--fix|--truncate-to-timestamp T] <file.manifest|file.aof>\n"

func run(args []string, in io.Reader, out io.Writer) int {
	var fix bool
	ts := int64(-1)
	var path string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; a {
		case "--fix":
			fix = true
		case "--truncate-to-timestamp":
			if i+1 >= len(args) {
				fmt.Fprint(out, usage)
				return 1
			}
			v, err := strconv.ParseInt(args[i+1], 10, 64)
			if err != nil || v < 0 {
				fmt.Fprintf(out, "Invalid timestamp %q\n", args[i+1])
				return 1
			}
			ts = v
			i++
		default:
			if path != "" || strings.HasPrefix(a, "--") {
				fmt.Fprint(out, usage)
				return 1
			}
			path = a
		}
	}
	if path == "" || (fix && ts >= 0) {
		fmt.Fprint(out, usage)
		return 1
	}
	t, err := aof.OpenTarget(path)
	if err != nil {
		fmt.Fprintf(out, "Cannot read %s: %v\n", path, err)
		return 1
	}
	if t.Manifest != nil {
		fmt.Fprintf(out, "Start checking Multi Part AOF (%d files)\n", len(t.Files))
	}
	last := len(t.Files) - 1
	if ts >= 0 {
		return truncateToTimestamp(t.Files, ts, in, out)
	}
	for i, f := range t.Files {
		fc := aof.CheckFile(f)
		fmt.Fprintf(out, "AOF analyzed: filename=%s, size=%d, ok_up_to=%d, ok_up_to_line=%d, diff=%d\n",
			f, fc.Size, fc.OK, fc.Line, fc.Size-fc.OK)
		if fc.Err == nil {
			fmt.Fprintf(out, "AOF %s is valid\n", f)
			continue
		}
		fmt.Fprintf(out, "AOF %s is not valid at byte %d: %v\n", f, fc.OK, fc.Err)
		if fc.RDBBase && fc.OK == 0 {
			fmt.Fprintln(out, "The damage is in the file's RDB preamble, which truncation cannot repair.")
			return 1
		}
		if i != last {
			fmt.Fprintln(out, "Only the last file of an AOF can be repaired by truncation; this one cannot be fixed automatically.")
			return 1
		}
		if !fix {
			fmt.Fprintln(out, "Run with --fix to truncate the file to its last good record.")
			return 1
		}
		if !fc.Torn {
			fmt.Fprintln(out, "The damage is not at the end of the file: truncating loses every record after it.")
		}
		if !confirm(in, out, fmt.Sprintf("This will shrink the AOF %s from %d bytes, with %d bytes, to %d bytes\n", f, fc.Size, fc.Size-fc.OK, fc.OK)) {
			fmt.Fprintln(out, "Aborted.")
			return 1
		}
		if err := os.Truncate(f, fc.OK); err != nil {
			fmt.Fprintf(out, "Failed to truncate AOF %s: %v\n", f, err)
			return 1
		}
		fmt.Fprintf(out, "Successfully truncated AOF %s\n", f)
	}
	if t.Manifest != nil {
		fmt.Fprintln(out, "All AOF files and manifest are valid")
	}
	return 0
}

func confirm(in io.Reader, out io.Writer, msg string) bool {
	fmt.Fprint(out, msg)
	fmt.Fprint(out, "Continue? [y/N]: ")
	line, _ := bufio.NewReader(in).ReadString('\n')
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(line)), "y")
}

func truncateToTimestamp(files []string, ts int64, in io.Reader, out io.Writer) int {
	f := files[len(files)-1]
	off, found, err := aof.TimestampCut(f, ts)
	if err != nil {
		fmt.Fprintf(out, "%v\n", err)
		return 1
	}
	if !found {
		fmt.Fprintf(out, "No #TS annotation later than %d in %s: nothing to truncate\n", ts, f)
		return 0
	}
	st, err := os.Stat(f)
	if err != nil {
		fmt.Fprintf(out, "%v\n", err)
		return 1
	}
	if !confirm(in, out, fmt.Sprintf("This will shrink the AOF %s from %d bytes, with %d bytes, to %d bytes\n", f, st.Size(), st.Size()-off, off)) {
		fmt.Fprintln(out, "Aborted.")
		return 1
	}
	if err := os.Truncate(f, off); err != nil {
		fmt.Fprintf(out, "Failed to truncate AOF %s: %v\n", f, err)
		return 1
	}
	fmt.Fprintf(out, "Successfully truncated AOF %s to timestamp %d\n", f, ts)
	return 0
}
