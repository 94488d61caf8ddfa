package main

import (
	"fmt"
	"strings"
)

// spec mirrors command.Spec; the generator does not import the package it
// writes, so that it still runs while that package does not compile.
type spec struct {
	Name                      string
	Arity                     int
	Flags, ACL, Tips          []string
	FirstKey, LastKey, Step   int
	KeySpecs                  []keySpec
	Doc                       doc
	Subcommands               []spec
	redisNotes                []bool // which key specs carry notes in Redis
	redisHistory              int    // number of history entries
	redisArgSummaries         []string
	redisSummary, redisComplx string // shown by -todo only
	redisHistoryText          []string
}

type keySpec struct {
	Notes                              string
	Flags                              []string
	BeginSearch                        string
	Index                              int
	Keyword                            string
	StartFrom                          int
	FindKeys                           string
	LastKey, KeyStep, Limit, KeyNumIdx int
	FirstKey                           int
}

type doc struct {
	Summary, Since, Group, Complexity string
	DocFlags                          []string
	DeprecatedSince, ReplacedBy       string
	History                           [][2]string
	Args                              []arg
}

type arg struct {
	Name, Type      string
	KeySpecIndex    int
	Token           string
	Summary         string
	Since           string
	Flags           []string
	DeprecatedSince string
	Args            []arg
}

// fromInfo fills the COMMAND INFO half of a spec from one entry of the
// reply: [name arity flags first last step acl tips keyspecs subcommands].
func fromInfo(v value) (spec, error) {
	if v.kind != 'a' || len(v.elems) != 10 {
		return spec{}, fmt.Errorf("specgen: COMMAND INFO entry has %d fields", len(v.elems))
	}
	e := v.elems
	name := e[0].str
	if i := strings.IndexByte(name, '|'); i >= 0 {
		name = name[i+1:]
	}
	s := spec{
		Name: name, Arity: int(e[1].num), Flags: e[2].strs(),
		FirstKey: int(e[3].num), LastKey: int(e[4].num), Step: int(e[5].num),
		ACL: e[6].strs(), Tips: e[7].strs(),
	}
	for _, ksv := range e[8].elems {
		ks, hasNotes, err := keySpecFrom(ksv)
		if err != nil {
			return spec{}, fmt.Errorf("specgen: %s: %w", name, err)
		}
		s.KeySpecs = append(s.KeySpecs, ks)
		s.redisNotes = append(s.redisNotes, hasNotes)
	}
	for _, sub := range e[9].elems {
		ss, err := fromInfo(sub)
		if err != nil {
			return spec{}, err
		}
		s.Subcommands = append(s.Subcommands, ss)
	}
	return s, nil
}

func keySpecFrom(v value) (keySpec, bool, error) {
	var ks keySpec
	_, hasNotes := v.get("notes")
	fl, _ := v.get("flags")
	ks.Flags = fl.strs()
	bs, _ := v.get("begin_search")
	bt, _ := bs.get("type")
	bspec, _ := bs.get("spec")
	ks.BeginSearch = bt.str
	switch bt.str {
	case "index":
		x, _ := bspec.get("index")
		ks.Index = int(x.num)
	case "keyword":
		kw, _ := bspec.get("keyword")
		sf, _ := bspec.get("startfrom")
		ks.Keyword, ks.StartFrom = kw.str, int(sf.num)
	case "unknown":
	default:
		return ks, false, fmt.Errorf("begin_search type %q", bt.str)
	}
	fk, _ := v.get("find_keys")
	ft, _ := fk.get("type")
	fspec, _ := fk.get("spec")
	ks.FindKeys = ft.str
	num := func(k string) int { x, _ := fspec.get(k); return int(x.num) }
	switch ft.str {
	case "range":
		ks.LastKey, ks.KeyStep, ks.Limit = num("lastkey"), num("keystep"), num("limit")
	case "keynum":
		ks.KeyNumIdx, ks.FirstKey, ks.KeyStep = num("keynumidx"), num("firstkey"), num("keystep")
	case "unknown":
	default:
		return ks, false, fmt.Errorf("find_keys type %q", ft.str)
	}
	return ks, hasNotes, nil
}

// addDocs fills the COMMAND DOCS half of s from its doc map (prose left
// empty) and recurses into subcommands.
func addDocs(s *spec, v value) error {
	str := func(k string) string { x, _ := v.get(k); return x.str }
	s.Doc.Since, s.Doc.Group = str("since"), str("group")
	s.redisSummary, s.redisComplx = str("summary"), str("complexity")
	s.Doc.DeprecatedSince, s.Doc.ReplacedBy = str("deprecated_since"), str("replaced_by")
	if df, ok := v.get("doc_flags"); ok {
		s.Doc.DocFlags = df.strs()
	}
	if h, ok := v.get("history"); ok {
		for _, e := range h.elems {
			s.Doc.History = append(s.Doc.History, [2]string{e.elems[0].str, ""})
			s.redisHistoryText = append(s.redisHistoryText, e.elems[1].str)
		}
		s.redisHistory = len(h.elems)
	}
	if a, ok := v.get("arguments"); ok {
		args, err := argsFrom(a, s, "")
		if err != nil {
			return fmt.Errorf("specgen: %s: %w", s.Name, err)
		}
		s.Doc.Args = args
	}
	for k := range v.elems {
		if k%2 == 0 {
			switch v.elems[k].str {
			case "summary", "since", "group", "complexity", "deprecated_since", "replaced_by",
				"doc_flags", "history", "arguments", "subcommands":
			default:
				return fmt.Errorf("specgen: %s: unhandled doc field %q", s.Name, v.elems[k].str)
			}
		}
	}
	if subs, ok := v.get("subcommands"); ok {
		for i := range s.Subcommands {
			sub := &s.Subcommands[i]
			d, ok := subs.get(s.Name + "|" + sub.Name)
			if !ok {
				return fmt.Errorf("specgen: no docs for %s|%s", s.Name, sub.Name)
			}
			if err := addDocs(sub, d); err != nil {
				return err
			}
		}
	}
	return nil
}

func argsFrom(v value, s *spec, path string) ([]arg, error) {
	var out []arg
	for _, av := range v.elems {
		var a arg
		for k := 0; k+1 < len(av.elems); k += 2 {
			key, val := av.elems[k].str, av.elems[k+1]
			switch key {
			case "name":
				a.Name = val.str
			case "type":
				a.Type = val.str
			case "key_spec_index":
				a.KeySpecIndex = int(val.num)
			case "token":
				a.Token = val.str
			case "summary":
				s.redisArgSummaries = append(s.redisArgSummaries, path+a.Name)
			case "since":
				a.Since = val.str
			case "flags":
				a.Flags = val.strs()
			case "deprecated_since":
				a.DeprecatedSince = val.str
			case "arguments":
				sub, err := argsFrom(val, s, path+a.Name+"/")
				if err != nil {
					return nil, err
				}
				a.Args = sub
			default:
				return nil, fmt.Errorf("unhandled argument field %q", key)
			}
		}
		out = append(out, a)
	}
	return out, nil
}
