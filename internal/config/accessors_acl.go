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
