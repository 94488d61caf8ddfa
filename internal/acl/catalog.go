package acl

import (
	"sort"
	"strings"
)

// CatalogEntry names one command or subcommand ("config|get") and its
// categories.
type CatalogEntry struct {
	Name       string
	Categories Category
}

// Catalog numbers the commands rules can name. It is built once and never
// changed, so it is safe for concurrent use.
type Catalog struct {
	cmds   []catCmd
	byName map[string]int // lower-case full name
	top    []int          // top-level commands in name order
	// perCategory lists, per category bit, the commands carrying it, each
	// parent before its subcommands (the order rules apply them in).
	perCategory [][]int
}

type catCmd struct {
	name   string
	cats   Category
	parent int   // -1 for a top-level command
	subs   []int // in name order
}

// maxCommands bounds the catalog so that a selector's bitmap is a fixed
// array (copied with the selector, no pointers to chase).
const maxCommands = len(bitset{}) * 64

// NewCatalog returns the catalog of Redis 7.0's commands plus extra (a
// command of extra that Redis also has keeps Redis's categories).
func NewCatalog(extra ...CatalogEntry) *Catalog {
	all := append(append([]CatalogEntry(nil), redisCommands...), extra...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	c := &Catalog{byName: make(map[string]int, len(all))}
	// Parents first, so that a subcommand finds its parent.
	for pass := 0; pass < 2; pass++ {
		for _, e := range all {
			name := strings.ToLower(e.Name)
			base, _, isSub := strings.Cut(name, "|")
			if isSub != (pass == 1) {
				continue
			}
			if _, dup := c.byName[name]; dup {
				continue
			}
			parent := -1
			if isSub {
				p, ok := c.byName[base]
				if !ok {
					continue
				}
				parent = p
			}
			id := len(c.cmds)
			if id >= maxCommands {
				panic("acl: catalog larger than the selector bitmap")
			}
			c.cmds = append(c.cmds, catCmd{name: name, cats: e.Categories, parent: parent})
			c.byName[name] = id
			if isSub {
				c.cmds[parent].subs = append(c.cmds[parent].subs, id)
			} else {
				c.top = append(c.top, id)
			}
		}
	}
	c.perCategory = make([][]int, len(categoryNames))
	for _, id := range c.top {
		c.walk(id, func(x int) {
			for i := range categoryNames {
				if c.cmds[x].cats&(1<<i) != 0 {
					c.perCategory[i] = append(c.perCategory[i], x)
				}
			}
		})
	}
	return c
}

// walk calls fn for id and then for each of its subcommands.
func (c *Catalog) walk(id int, fn func(int)) {
	fn(id)
	for _, s := range c.cmds[id].subs {
		fn(s)
	}
}

// ID returns the number of the command with full name name ("get",
// "config|get", any case), or -1.
func (c *Catalog) ID(name string) int {
	if id, ok := c.byName[strings.ToLower(name)]; ok {
		return id
	}
	return -1
}

// Name returns the full name of command id.
func (c *Catalog) Name(id int) string { return c.cmds[id].name }

// HasSubcommands reports whether command id is a container command.
func (c *Catalog) HasSubcommands(id int) bool { return len(c.cmds[id].subs) > 0 }

// InCategory returns the full names of the commands in category cat, in
// name order, each parent before its subcommands.
func (c *Catalog) InCategory(cat Category) []string {
	var out []string
	for _, id := range c.top {
		c.walk(id, func(x int) {
			if c.cmds[x].cats&cat != 0 {
				out = append(out, c.cmds[x].name)
			}
		})
	}
	return out
}
