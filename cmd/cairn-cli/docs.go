package main

import (
	"sort"
	"strings"

	"cairn/internal/client"
	"cairn/internal/resp"
)

// commandDoc is what the shell knows about one command (or subcommand)
// from COMMAND DOCS.
type commandDoc struct {
	name     string // upper case; "CONFIG GET" for a subcommand
	summary  string
	since    string
	group    string
	params   []string // top-level argument syntax, e.g. "key", "[NX|XX]"
	children []string // subcommand names (upper case), e.g. "GET"
}

// commandDocs indexes COMMAND DOCS by lower-case name ("config get").
type commandDocs struct {
	byName map[string]*commandDoc
	names  []string // sorted top-level command names, upper case
}

// loadDocs asks the server for COMMAND DOCS; on any failure it returns an
// empty index so the shell still works, only without hints.
func loadDocs(conn *client.Conn) *commandDocs {
	d := &commandDocs{byName: map[string]*commandDoc{}}
	v, _, err := conn.Do("COMMAND", "DOCS")
	if err != nil || v.IsError() {
		return d
	}
	d.add("", v)
	for name, doc := range d.byName {
		if !strings.Contains(name, " ") {
			d.names = append(d.names, doc.name)
		}
	}
	sort.Strings(d.names)
	return d
}

// add reads a name/docs list (flat array in RESP2, map in RESP3).
func (d *commandDocs) add(parent string, list resp.Value) {
	for i := 0; i+1 < len(list.Elems); i += 2 {
		name := strings.ToLower(string(list.Elems[i].Str))
		if parent != "" {
			// Subcommands are named "config|get".
			if j := strings.IndexByte(name, '|'); j >= 0 {
				name = name[j+1:]
			}
			name = parent + " " + name
		}
		doc := &commandDoc{name: strings.ToUpper(name)}
		fields := list.Elems[i+1]
		for j := 0; j+1 < len(fields.Elems); j += 2 {
			val := fields.Elems[j+1]
			switch string(fields.Elems[j].Str) {
			case "summary":
				doc.summary = string(val.Str)
			case "since":
				doc.since = string(val.Str)
			case "group":
				doc.group = string(val.Str)
			case "arguments":
				for _, a := range val.Elems {
					doc.params = append(doc.params, argSyntax(a))
				}
			case "subcommands":
				d.add(name, val)
				for k := 0; k < len(val.Elems); k += 2 {
					sub := string(val.Elems[k].Str)
					if j := strings.IndexByte(sub, '|'); j >= 0 {
						sub = sub[j+1:]
					}
					doc.children = append(doc.children, strings.ToUpper(sub))
				}
				sort.Strings(doc.children)
			}
		}
		d.byName[name] = doc
	}
}

// argSyntax renders one argument description the way command help reads:
// TOKEN name, a|b for one-of, [optional], name [name ...] for repeats.
func argSyntax(a resp.Value) string {
	var name, typ, token, display string
	var optional, multiple, multipleToken bool
	var children []resp.Value
	for i := 0; i+1 < len(a.Elems); i += 2 {
		val := a.Elems[i+1]
		switch string(a.Elems[i].Str) {
		case "name":
			name = string(val.Str)
		case "type":
			typ = string(val.Str)
		case "token":
			token = string(val.Str)
		case "display_text":
			display = string(val.Str)
		case "flags":
			for _, f := range val.Elems {
				switch string(f.Str) {
				case "optional":
					optional = true
				case "multiple":
					multiple = true
				case "multiple_token":
					multipleToken = true
				}
			}
		case "arguments":
			children = val.Elems
		}
	}
	if display != "" {
		name = display
	}
	var s string
	switch typ {
	case "pure-token":
		s = token
	case "oneof", "block":
		parts := make([]string, len(children))
		for i, ch := range children {
			parts[i] = argSyntax(ch)
		}
		sep := " "
		if typ == "oneof" {
			sep = "|"
		}
		s = strings.Join(parts, sep)
		if token != "" {
			s = token + " " + s
		}
	default:
		s = name
		if token != "" {
			s = token + " " + name
		}
	}
	if multiple {
		rep := s
		if token != "" && !multipleToken && typ != "pure-token" {
			rep = strings.TrimPrefix(s, token+" ")
		}
		s = s + " [" + rep + " ...]"
	}
	if optional {
		s = "[" + s + "]"
	}
	return s
}

// lookup finds the most specific doc for the typed words: the subcommand
// when the command has one, and how many words named it.
func (d *commandDocs) lookup(words []string) (*commandDoc, int) {
	if d == nil || len(words) == 0 {
		return nil, 0
	}
	doc := d.byName[strings.ToLower(words[0])]
	if doc == nil {
		return nil, 0
	}
	if len(words) > 1 && len(doc.children) > 0 {
		if sub := d.byName[strings.ToLower(words[0]+" "+words[1])]; sub != nil {
			return sub, 2
		}
	}
	return doc, 1
}

// hint is the argument syntax still to type after line, or "" when there
// is nothing useful to show. Typed arguments consume hint words from the
// left, as redis-cli does.
func (d *commandDocs) hint(line string) string {
	words, err := splitArgs(line)
	if err != nil || len(words) == 0 {
		return ""
	}
	trailingSpace := len(line) > 0 && isSpace(line[len(line)-1])
	doc, used := d.lookup(words)
	if doc == nil {
		return ""
	}
	var parts []string
	if used == 1 && len(doc.children) > 0 {
		if len(words) > 1 {
			return ""
		}
		parts = []string{strings.Join(doc.children, "|")}
	} else {
		parts = strings.Fields(strings.Join(doc.params, " "))
	}
	if !trailingSpace {
		// Mid-word: the hint would jump around while the word grows.
		return ""
	}
	typed := len(words) - used
	if typed >= len(parts) {
		return ""
	}
	return strings.Join(parts[typed:], " ")
}

// complete returns candidates for the word being typed at the end of line.
func (d *commandDocs) complete(line string) []string {
	words, err := splitArgs(line)
	if err != nil {
		return nil
	}
	trailingSpace := len(line) > 0 && isSpace(line[len(line)-1])
	if trailingSpace {
		words = append(words, "")
	}
	var pool []string
	switch len(words) {
	case 0, 1:
		pool = append(append(pool, d.names...), "HELP", "QUIT", "EXIT", "CLEAR")
	case 2:
		if doc := d.byName[strings.ToLower(words[0])]; doc != nil {
			pool = doc.children
		} else if strings.EqualFold(words[0], "help") {
			pool = d.names
		}
	}
	prefix := ""
	if len(words) > 0 {
		prefix = words[len(words)-1]
	}
	lower := prefix != "" && prefix == strings.ToLower(prefix)
	var out []string
	seen := map[string]bool{}
	for _, p := range pool {
		if !strings.HasPrefix(p, strings.ToUpper(prefix)) || seen[p] {
			continue
		}
		seen[p] = true
		if lower {
			p = strings.ToLower(p)
		}
		out = append(out, p)
	}
	return out
}

// help renders `help <command>` or `help @<group>`.
func (d *commandDocs) help(topic []string) string {
	if len(topic) == 0 {
		return "cairn-cli " + strings.TrimPrefix(version, "cairn-cli ") + "\n" +
			"To get help about a command, type \"help <command>\"; about a group, \"help @<group>\"\n" +
			"(groups: @generic @string @connection @server @keyspace ...).\n" +
			"Tab completes command names; \"quit\" or \"exit\" leaves, \"clear\" clears the screen.\n"
	}
	var b strings.Builder
	entry := func(doc *commandDoc) {
		b.WriteString("\n  " + doc.name)
		if p := strings.Join(doc.params, " "); p != "" {
			b.WriteString(" " + p)
		}
		b.WriteString("\n  summary: " + doc.summary + "\n")
		b.WriteString("  since: " + doc.since + "\n")
		b.WriteString("  group: " + doc.group + "\n")
	}
	if strings.HasPrefix(topic[0], "@") {
		group := strings.ToLower(topic[0][1:])
		var docs []*commandDoc
		for _, doc := range d.byName {
			if doc.group == group || (group == "keyspace" && doc.group == "generic") {
				docs = append(docs, doc)
			}
		}
		sort.Slice(docs, func(i, j int) bool { return docs[i].name < docs[j].name })
		for _, doc := range docs {
			entry(doc)
		}
		if len(docs) == 0 {
			return "No commands in group " + topic[0] + "\n"
		}
		return b.String() + "\n"
	}
	doc, _ := d.lookup(topic)
	if doc == nil {
		return "No help for " + strings.Join(topic, " ") + "\n"
	}
	entry(doc)
	if len(doc.children) > 0 && !strings.Contains(doc.name, " ") {
		for _, ch := range doc.children {
			if sub := d.byName[strings.ToLower(doc.name+" "+ch)]; sub != nil {
				entry(sub)
			}
		}
	}
	return b.String() + "\n"
}
