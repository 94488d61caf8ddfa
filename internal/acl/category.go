package acl

import "strings"

// Category is a set of ACL command categories, one bit each, in the order
// Redis lists them (ACL CAT).
type Category uint32

// The categories, in ACL CAT's order.
const (
	CatKeyspace Category = 1 << iota
	CatRead
	CatWrite
	CatSet
	CatSortedset
	CatList
	CatHash
	CatString
	CatBitmap
	CatHyperloglog
	CatGeo
	CatStream
	CatPubsub
	CatAdmin
	CatFast
	CatSlow
	CatBlocking
	CatDangerous
	CatConnection
	CatTransaction
	CatScripting
)

// categoryNames follows the bit order above.
var categoryNames = []string{
	"keyspace", "read", "write", "set", "sortedset", "list", "hash", "string",
	"bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
	"blocking", "dangerous", "connection", "transaction", "scripting",
}

// CategoryNames returns the category names in ACL CAT's order.
func CategoryNames() []string { return append([]string(nil), categoryNames...) }

// CategoryByName returns the category called name (any case), or 0.
func CategoryByName(name string) Category {
	for i, n := range categoryNames {
		if strings.EqualFold(n, name) {
			return 1 << i
		}
	}
	return 0
}

// CategoriesOf turns "@read"-style names (as command specs carry them)
// into a Category set; unknown names are ignored.
func CategoriesOf(names []string) Category {
	var c Category
	for _, n := range names {
		c |= CategoryByName(strings.TrimPrefix(n, "@"))
	}
	return c
}
