package command

// Spec describes a command the way COMMAND INFO and COMMAND DOCS report
// it. The facts (arity, flags, ACL categories, key specs, argument shapes)
// follow Redis 7.0 so that clients and redis-cli treat Cairn alike; the
// prose (summaries, complexity) is Cairn's own.
type Spec struct {
	Name        string   // lower case; a subcommand's own name ("get")
	Arity       int      // Redis convention: N exact, -N at least N
	Flags       []string // as COMMAND INFO prints them: "write", "denyoom", ...
	ACL         []string // ACL categories with '@': "@write", "@string", ...
	FirstKey    int
	LastKey     int
	Step        int
	Tips        []string
	KeySpecs    []KeySpec
	Doc         Doc
	Subcommands []Spec
}

// KeySpec locates keys among a command's arguments (Redis 7 key specs).
type KeySpec struct {
	Notes string
	Flags []string // "RW", "OW", "RM", "ACCESS", "UPDATE", "INSERT", "DELETE", ...
	// BeginSearch: "index" (Index) or "keyword" (Keyword, StartFrom) or "unknown".
	BeginSearch string
	Index       int
	Keyword     string
	StartFrom   int
	// FindKeys: "range" (LastKey, KeyStep, Limit) or "keynum" (KeyNumIdx,
	// FirstKey, KeyStep) or "unknown".
	FindKeys  string
	LastKey   int
	KeyStep   int
	Limit     int
	KeyNumIdx int
	FirstKey  int
}

// Doc is what COMMAND DOCS reports.
type Doc struct {
	Summary         string
	Since           string
	Group           string
	Complexity      string
	DocFlags        []string
	DeprecatedSince string
	ReplacedBy      string
	History         [][2]string
	Args            []Arg
}

// Arg is one argument in COMMAND DOCS.
type Arg struct {
	Name            string
	Type            string // "key", "string", "integer", "double", "pattern", "unix-time", "pure-token", "oneof", "block"
	KeySpecIndex    int    // for Type "key"
	Token           string
	Summary         string
	Since           string
	Flags           []string // "optional", "multiple", "multiple_token"
	DeprecatedSince string
	Args            []Arg // for "oneof" and "block"
}
