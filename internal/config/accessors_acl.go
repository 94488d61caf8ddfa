package config

// Indexes of the access-control parameters.
var (
	idxACLFile          = mustParam("aclfile")
	idxACLLogMaxLen     = mustParam("acllog-max-len")
	idxACLPubsubDefault = mustParam("acl-pubsub-default")
)

// ACLFile is the path of the ACL file; "" when users are not kept in one.
func (c *Config) ACLFile() string { return c.str(idxACLFile) }

// ACLLogMaxLen is how many entries ACL LOG keeps.
func (c *Config) ACLLogMaxLen() int { return int(c.num(idxACLLogMaxLen)) }

// ACLPubsubAllChannels reports whether new users and selectors start with
// access to every channel (acl-pubsub-default allchannels).
func (c *Config) ACLPubsubAllChannels() bool { return c.str(idxACLPubsubDefault) == "allchannels" }

// UserDirectives returns the "user <name> <rule>..." lines of the config
// file in order, each as {name, rules...}. Redis applies them at start-up
// unless an aclfile is configured too, which it refuses.
func (c *Config) UserDirectives() [][]string {
	out := make([][]string, len(c.users))
	for i, u := range c.users {
		out[i] = append([]string(nil), u...)
	}
	return out
}

// SetUserLines installs what CONFIG REWRITE writes for the ACL users:
// fn returns one "user <name> <rules>" line per user, as ACL LIST shows
// them. Without it (or with an aclfile, which holds the users instead)
// Rewrite keeps or drops user lines as described at rewriteUsers.
func (c *Config) SetUserLines(fn func() []string) {
	c.writeMu.Lock()
	c.userLines = fn
	c.writeMu.Unlock()
}
