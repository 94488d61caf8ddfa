package acl

import (
	"math"
	"strings"
)

// describeCommands renders a selector's command bitmap as rules, the way
// Redis 7.0 does: "+@all" or "-@all", then greedily the categories that
// fit best (fewest commands wrongly included, most rightly included),
// then single commands and allowed first arguments for the difference.
func (cat *Catalog) describeCommands(s *selector) string {
	additive := !s.future
	var b strings.Builder
	var fake selector
	if additive {
		b.WriteString("-@all ")
	} else {
		b.WriteString("+@all ")
		fake.allowed.fill(true)
	}
	// temp starts as the user's bitmap; each category applied to fake is
	// undone in temp, so later rounds only weigh what is still unexplained.
	temp := selector{allowed: s.allowed}
	var applied [32]bool
	for {
		best, minDiff, maxSame := -1, math.MaxInt, 0
		for j := range categoryNames {
			if applied[j] {
				continue
			}
			on, off := 0, 0
			for _, id := range cat.perCategory[j] {
				if temp.allowed.get(id) {
					on++
				} else {
					off++
				}
			}
			diff, same := off, on
			if !additive {
				diff, same = on, off
			}
			if same > diff && (diff < minDiff || (diff == minDiff && same > maxSame)) {
				best, minDiff, maxSame = j, diff, same
			}
		}
		if best < 0 {
			break
		}
		fake.setCategory(cat, 1<<best, additive)
		temp.setCategory(cat, 1<<best, !additive)
		if additive {
			b.WriteString("+@")
		} else {
			b.WriteString("-@")
		}
		b.WriteString(categoryNames[best])
		b.WriteByte(' ')
		applied[best] = true
	}
	var single func(id int)
	single = func(id int) {
		user := s.allowed.get(id)
		if user != fake.allowed.get(id) {
			if user {
				b.WriteByte('+')
			} else {
				b.WriteByte('-')
			}
			b.WriteString(cat.cmds[id].name)
			b.WriteByte(' ')
			fake.setCommand(cat, id, user)
		}
		for _, sub := range cat.cmds[id].subs {
			single(sub)
		}
		if !user {
			for _, a := range s.firstArgs[id] {
				b.WriteByte('+')
				b.WriteString(cat.cmds[id].name)
				b.WriteByte('|')
				b.WriteString(a)
				b.WriteByte(' ')
			}
		}
	}
	for _, id := range cat.top {
		single(id)
	}
	out := b.String()
	return out[:len(out)-1]
}

// keysString renders the key patterns as GETUSER's "keys" field.
func (s *selector) keysString() string {
	if s.allKeys {
		return "~*"
	}
	parts := make([]string, len(s.keys))
	for i, k := range s.keys {
		parts[i] = k.String()
	}
	return strings.Join(parts, " ")
}

// channelsString renders the channel patterns as GETUSER's "channels".
func (s *selector) channelsString() string {
	if s.allChannels {
		return "&*"
	}
	parts := make([]string, len(s.channels))
	for i, c := range s.channels {
		parts[i] = "&" + c
	}
	return strings.Join(parts, " ")
}

// String renders a key pattern as a rule: "~p", "%R~p" or "%W~p".
func (k KeyPattern) String() string {
	switch k.Perm {
	case PermRead:
		return "%R~" + k.Pattern
	case PermWrite:
		return "%W~" + k.Pattern
	}
	return "~" + k.Pattern
}

// describe renders a whole selector as rules: keys, channels, commands.
func (cat *Catalog) describe(s *selector) string {
	var b strings.Builder
	if s.allKeys {
		b.WriteString("~* ")
	} else {
		for _, k := range s.keys {
			b.WriteString(k.String())
			b.WriteByte(' ')
		}
	}
	if s.allChannels {
		b.WriteString("&* ")
	} else {
		b.WriteString("resetchannels ")
		for _, c := range s.channels {
			b.WriteByte('&')
			b.WriteString(c)
			b.WriteByte(' ')
		}
	}
	b.WriteString(cat.describeCommands(s))
	return b.String()
}

// Describe renders the rules as ACL LIST and the ACL file show them, after
// "user <name> ": flags, password hashes, root selector, "(...)" selectors.
func (cat *Catalog) Describe(r *Rules) string {
	var b strings.Builder
	for _, f := range r.Flags() {
		b.WriteString(f)
		b.WriteByte(' ')
	}
	for _, p := range r.passwords {
		b.WriteByte('#')
		b.WriteString(p)
		b.WriteByte(' ')
	}
	b.WriteString(cat.describe(&r.root))
	for i := range r.selectors {
		b.WriteString(" (")
		b.WriteString(cat.describe(&r.selectors[i]))
		b.WriteByte(')')
	}
	return b.String()
}

// SelectorInfo is one selector as ACL GETUSER reports it.
type SelectorInfo struct {
	Commands, Keys, Channels string
}

// RootInfo returns the root selector's GETUSER fields.
func (cat *Catalog) RootInfo(r *Rules) SelectorInfo { return cat.info(&r.root) }

// SelectorInfos returns the GETUSER fields of each "(...)" selector.
func (cat *Catalog) SelectorInfos(r *Rules) []SelectorInfo {
	out := make([]SelectorInfo, len(r.selectors))
	for i := range r.selectors {
		out[i] = cat.info(&r.selectors[i])
	}
	return out
}

func (cat *Catalog) info(s *selector) SelectorInfo {
	return SelectorInfo{Commands: cat.describeCommands(s), Keys: s.keysString(), Channels: s.channelsString()}
}
