package command

import (
	"sort"
	"testing"
)

// TestTableComplete checks that the command table and the handlers agree:
// every spec (and subcommand) has a handler, every handler a spec, and
// the table's own invariants hold.
func TestTableComplete(t *testing.T) {
	named := map[string]bool{}
	var missing []string
	var check func(sp *Spec, full string)
	check = func(sp *Spec, full string) {
		if named[full] {
			t.Errorf("spec %s appears twice", full)
		}
		named[full] = true
		// A container runs its subcommands' handlers, but it needs its
		// own too when it can be called bare (arity -1, like COMMAND).
		container := len(sp.Subcommands) > 0
		if _, ok := handlers[full]; !ok && (!container || sp.Arity == -1) {
			missing = append(missing, full)
		}
		for i := range sp.Subcommands {
			check(&sp.Subcommands[i], full+"|"+sp.Subcommands[i].Name)
		}
	}
	for i := range specs {
		check(&specs[i], specs[i].Name)
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("spec %s has no handler", m)
	}
	var orphans []string
	for name := range handlers {
		if !named[name] {
			orphans = append(orphans, name)
		}
	}
	sort.Strings(orphans)
	for _, o := range orphans {
		t.Errorf("handler %s has no spec", o)
	}
}

// TestSpecsWellFormed checks what the dispatcher and COMMAND rely on.
func TestSpecsWellFormed(t *testing.T) {
	var walk func(sp *Spec, full string, sub bool)
	walk = func(sp *Spec, full string, sub bool) {
		if sp.Arity == 0 {
			t.Errorf("%s: arity 0", full)
		}
		if sp.Doc.Group == "" || sp.Doc.Since == "" || sp.Doc.Summary == "" {
			t.Errorf("%s: doc lacks group, since or summary", full)
		}
		if len(sp.Name) > maxNameLen {
			t.Errorf("%s: name longer than %d bytes", full, maxNameLen)
		}
		for i, ks := range sp.KeySpecs {
			if len(ks.Flags) == 0 {
				t.Errorf("%s: key spec %d has no flags", full, i)
			}
		}
		for _, a := range docArgsFlat(sp.Doc.Args) {
			if a.Type == "key" && (a.KeySpecIndex < 0 || a.KeySpecIndex >= len(sp.KeySpecs)) {
				t.Errorf("%s: argument %s points at key spec %d of %d", full, a.Name, a.KeySpecIndex, len(sp.KeySpecs))
			}
		}
		if sub && len(sp.Subcommands) > 0 {
			t.Errorf("%s: subcommands nest only one level", full)
		}
		for i := range sp.Subcommands {
			walk(&sp.Subcommands[i], full+"|"+sp.Subcommands[i].Name, true)
		}
	}
	for i := range specs {
		walk(&specs[i], specs[i].Name, false)
	}
}

func docArgsFlat(args []Arg) []Arg {
	var out []Arg
	for _, a := range args {
		out = append(out, a)
		out = append(out, docArgsFlat(a.Args)...)
	}
	return out
}
