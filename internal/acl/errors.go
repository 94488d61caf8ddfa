package acl

// RuleError is why one ACL SETUSER modifier (or ACL file rule) was
// refused. Its text is Redis's, which clients see inside
// "ERR Error in ACL SETUSER modifier '<op>': <text>".
type RuleError int

// The reasons a rule is refused.
const (
	ErrUnknownName RuleError = iota + 1
	ErrRuleSyntax
	ErrKeyAfterAll
	ErrChannelAfterAll
	ErrNoSuchPassword
	ErrBadHash
	ErrDuplicateUser
	ErrFirstArgOfSub
)

func (e RuleError) Error() string {
	switch e {
	case ErrUnknownName:
		return "Unknown command or category name in ACL"
	case ErrRuleSyntax:
		return "Syntax error"
	case ErrKeyAfterAll:
		return "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns"
	case ErrChannelAfterAll:
		return "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels"
	case ErrNoSuchPassword:
		return "The password you are trying to remove from the user does not exist"
	case ErrBadHash:
		return "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters"
	case ErrDuplicateUser:
		return "Duplicate user found. A user can only be defined once in config files"
	case ErrFirstArgOfSub:
		return "Allowing first-arg of a subcommand is not supported"
	}
	return "Wrong format"
}
