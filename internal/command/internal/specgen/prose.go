package main

// proseText is Cairn's own wording for one command's prose slots.
type proseText struct {
	Summary, Complexity string
	History             []string // one line per Redis history entry, same order
	Notes               []string // per key spec; "" where Redis has no notes
}

const (
	o1         = "O(1)"
	bySub      = "Varies with the subcommand."
	helpText   = "Lists the subcommands and what they do."
	perKey     = "O(N), N being the number of keys given."
	perClient  = "O(N), N being the number of connected clients."
	perCommand = "O(N), N being the number of commands in the table."
	perArg     = "O(N), N being the number of arguments of the inspected command."
	perName    = "O(N), N being the number of command names given."
	expireOpts = "Gained the NX, XX, GT and LT conditions."
)

// prose is keyed by full command name ("get", "config|get").
var prose = map[string]proseText{
	// connection
	"ping":   {Summary: "Checks that the server answers; returns PONG or the given message.", Complexity: o1},
	"echo":   {Summary: "Returns the message it is given.", Complexity: o1},
	"quit":   {Summary: "Asks the server to close this connection after replying.", Complexity: o1},
	"hello":  {Summary: "Negotiates the protocol version and optionally authenticates and names the connection.", Complexity: o1, History: []string{"The protocol version became optional; without arguments the reply describes the connection as it is."}},
	"auth":   {Summary: "Authenticates the connection.", Complexity: "O(N), N being the number of passwords configured for the user.", History: []string{"Accepts a username as well as a password (ACL form)."}},
	"select": {Summary: "Switches the connection to another numbered database.", Complexity: o1},
	"swapdb": {Summary: "Exchanges the contents of two databases.", Complexity: "O(N), N being the number of clients watching or blocked on keys of either database."},
	"reset":  {Summary: "Returns the connection to its initial state.", Complexity: o1},

	"client":          {Summary: "Groups the commands that inspect and control client connections.", Complexity: bySub},
	"client|id":       {Summary: "Returns this connection's unique ID.", Complexity: o1},
	"client|setname":  {Summary: "Gives this connection a name.", Complexity: o1},
	"client|getname":  {Summary: "Returns the name given to this connection, if any.", Complexity: o1},
	"client|list":     {Summary: "Describes every connected client, one line each.", Complexity: perClient, History: []string{"Lines show the client's unique id.", "A TYPE filter can be given.", "Lines show the authenticated user.", "Lines show argv-mem, tot-mem, laddr and redir; an ID filter can be given.", "Lines show resp, multi-mem, rbs and rbp.", "Lines show ssub."}},
	"client|info":     {Summary: "Describes this connection in CLIENT LIST's line format.", Complexity: o1},
	"client|setinfo":  {Summary: "Records the client library's name or version for this connection.", Complexity: o1},
	"client|kill":     {Summary: "Closes one or more client connections.", Complexity: perClient, History: []string{"Filters are given as name-value pairs.", "The ID filter was added.", "TYPE accepts master.", "TYPE accepts replica as the new name for slave, which keeps working.", "The LADDR filter was added."}},
	"client|no-evict": {Summary: "Exempts this connection from client eviction, or makes it subject to it again.", Complexity: o1},
	"client|reply":    {Summary: "Turns replies to this connection's commands on or off, or skips the next one.", Complexity: o1},
	"client|help":     {Summary: helpText, Complexity: o1},

	// strings
	"get":         {Summary: "Returns the string stored at a key.", Complexity: o1},
	"set":         {Summary: "Stores a string at a key, with optional expiry and conditions.", Complexity: o1, History: []string{"EX, PX, NX and XX options.", "KEEPTTL option.", "GET, EXAT and PXAT options.", "NX may be combined with GET."}, Notes: []string{"Read-write, and an access because GET may return the old value."}},
	"setnx":       {Summary: "Stores a string at a key unless the key exists.", Complexity: o1},
	"setex":       {Summary: "Stores a string at a key with a time to live in seconds.", Complexity: o1},
	"psetex":      {Summary: "Stores a string at a key with a time to live in milliseconds.", Complexity: o1},
	"mget":        {Summary: "Returns the strings stored at several keys.", Complexity: perKey},
	"mset":        {Summary: "Stores strings at several keys at once.", Complexity: perKey},
	"msetnx":      {Summary: "Stores strings at several keys at once, but only if none of them exists.", Complexity: perKey},
	"getset":      {Summary: "Stores a string at a key and returns the previous one.", Complexity: o1},
	"getdel":      {Summary: "Returns the string stored at a key and deletes the key.", Complexity: o1},
	"getex":       {Summary: "Returns the string stored at a key, optionally changing its expiry.", Complexity: o1, Notes: []string{"Read-write and an update: the key's time to live may change."}},
	"append":      {Summary: "Adds bytes to the end of a string, creating it if needed.", Complexity: "O(1) amortized: the string's spare capacity grows geometrically."},
	"strlen":      {Summary: "Returns the length in bytes of a string.", Complexity: o1},
	"incr":        {Summary: "Adds one to the integer stored at a key.", Complexity: o1},
	"decr":        {Summary: "Subtracts one from the integer stored at a key.", Complexity: o1},
	"incrby":      {Summary: "Adds an integer to the integer stored at a key.", Complexity: o1},
	"decrby":      {Summary: "Subtracts an integer from the integer stored at a key.", Complexity: o1},
	"incrbyfloat": {Summary: "Adds a floating-point number to the number stored at a key.", Complexity: o1},
	"getrange":    {Summary: "Returns a byte range of a string.", Complexity: "O(N), N being the length of the range returned; short ranges are effectively O(1)."},
	"setrange":    {Summary: "Overwrites part of a string from a byte offset, padding with zero bytes if needed.", Complexity: "O(1) plus the cost of copying the value in, which is O(M) for a value of length M."},
	"substr":      {Summary: "Returns a byte range of a string (older name of GETRANGE).", Complexity: "O(N), N being the length of the range returned; short ranges are effectively O(1)."},
	"lcs":         {Summary: "Finds the longest common subsequence of two strings.", Complexity: "O(N*M), N and M being the lengths of the two strings."},

	// keyspace
	"del":         {Summary: "Removes keys.", Complexity: "O(N), N being the number of keys removed; removing a collection costs O(M) in its M elements, a string O(1)."},
	"unlink":      {Summary: "Removes keys, reclaiming their memory in the background.", Complexity: "O(1) per key here; freeing the values costs O(N) in their allocations, off the command path."},
	"exists":      {Summary: "Counts how many of the given keys exist.", Complexity: perKey, History: []string{"Takes several keys."}},
	"expire":      {Summary: "Sets a key's time to live in seconds.", Complexity: o1, History: []string{expireOpts}},
	"pexpire":     {Summary: "Sets a key's time to live in milliseconds.", Complexity: o1, History: []string{expireOpts}},
	"expireat":    {Summary: "Sets when a key expires, as Unix time in seconds.", Complexity: o1, History: []string{expireOpts}},
	"pexpireat":   {Summary: "Sets when a key expires, as Unix time in milliseconds.", Complexity: o1, History: []string{expireOpts}},
	"ttl":         {Summary: "Returns a key's remaining time to live in seconds.", Complexity: o1, History: []string{"Replies -2 for a missing key."}},
	"pttl":        {Summary: "Returns a key's remaining time to live in milliseconds.", Complexity: o1, History: []string{"Replies -2 for a missing key."}},
	"expiretime":  {Summary: "Returns when a key expires, as Unix time in seconds.", Complexity: o1},
	"pexpiretime": {Summary: "Returns when a key expires, as Unix time in milliseconds.", Complexity: o1},
	"persist":     {Summary: "Removes a key's expiry so that it lives until deleted.", Complexity: o1},
	"type":        {Summary: "Returns the type of the value stored at a key.", Complexity: o1},
	"keys":        {Summary: "Returns every key that matches a glob pattern.", Complexity: "O(N), N being the number of keys in the database (patterns and names assumed short)."},
	"scan":        {Summary: "Walks the keyspace a batch at a time with a cursor.", Complexity: "O(1) per call; a full walk back to cursor 0 is O(N) in the number of keys.", History: []string{"TYPE filter."}},
	"randomkey":   {Summary: "Returns a key picked at random.", Complexity: o1},
	"rename":      {Summary: "Gives a key a new name, replacing any key of that name.", Complexity: o1},
	"renamenx":    {Summary: "Gives a key a new name unless that name is taken.", Complexity: o1, History: []string{"Renaming a key to its own name is no longer an error."}},
	"copy":        {Summary: "Duplicates a key's value under another name.", Complexity: "O(N) for a collection of N elements, O(1) for a string."},
	"move":        {Summary: "Moves a key to another database.", Complexity: o1},
	"touch":       {Summary: "Marks keys as just accessed and counts how many exist.", Complexity: perKey},
	"dump":        {Summary: "Returns a key's value serialized in Redis's portable format, for RESTORE.", Complexity: "O(1) to find the key, plus O(M) to serialize M bytes of value."},
	"restore":     {Summary: "Creates a key from a value serialized by DUMP.", Complexity: "O(1) to create the key, plus O(M) to decode M bytes of payload.", History: []string{"REPLACE overwrites an existing key.", "ABSTTL takes the TTL as an absolute Unix time in milliseconds.", "IDLETIME and FREQ set the key's eviction statistics."}},
	"dbsize":      {Summary: "Returns the number of keys in the current database.", Complexity: o1},
	"flushdb":     {Summary: "Deletes every key of the current database.", Complexity: "O(N), N being the number of keys in the database.", History: []string{"ASYNC mode.", "SYNC mode."}},
	"flushall":    {Summary: "Deletes every key of every database.", Complexity: "O(N), N being the number of keys in all databases.", History: []string{"ASYNC mode.", "SYNC mode."}},

	"object":          {Summary: "Groups the commands that inspect how a value is stored.", Complexity: bySub},
	"object|encoding": {Summary: "Returns the internal representation of a key's value.", Complexity: o1},
	"object|refcount": {Summary: "Returns how many references a key's value has.", Complexity: o1},
	"object|idletime": {Summary: "Returns the seconds since a key was last read or written.", Complexity: o1},
	"object|freq":     {Summary: "Returns a key's logarithmic access-frequency counter.", Complexity: o1},
	"object|help":     {Summary: helpText, Complexity: o1},

	// server
	"info":             {Summary: "Reports the server's state and statistics.", Complexity: o1, History: []string{"Takes several sections."}},
	"config":           {Summary: "Groups the commands that read and change the configuration.", Complexity: bySub},
	"config|get":       {Summary: "Returns the parameters whose names match the given patterns.", Complexity: "O(N), N being the number of patterns given.", History: []string{"Takes several patterns."}},
	"config|set":       {Summary: "Changes configuration parameters at run time.", Complexity: "O(N), N being the number of parameters given.", History: []string{"Takes several parameter-value pairs."}},
	"config|resetstat": {Summary: "Zeroes the statistics INFO reports.", Complexity: o1},
	"config|rewrite":   {Summary: "Writes the running configuration back to the configuration file.", Complexity: o1},
	"config|help":      {Summary: helpText, Complexity: o1},

	"command":                 {Summary: "Describes every command the server knows.", Complexity: perCommand},
	"command|count":           {Summary: "Returns how many commands the server knows.", Complexity: o1},
	"command|info":            {Summary: "Describes the named commands, or all of them.", Complexity: perName, History: []string{"Names became optional; none means all commands."}},
	"command|docs":            {Summary: "Returns the documentation of the named commands, or all of them.", Complexity: perName},
	"command|list":            {Summary: "Lists command names, optionally filtered.", Complexity: perCommand},
	"command|getkeys":         {Summary: "Finds the key arguments of a full command line.", Complexity: perArg},
	"command|getkeysandflags": {Summary: "Finds the key arguments of a full command line and how each is accessed.", Complexity: perArg},
	"command|help":            {Summary: helpText, Complexity: o1},

	"time":     {Summary: "Returns the server clock as seconds and microseconds.", Complexity: o1},
	"lastsave": {Summary: "Returns the Unix time of the last successful save.", Complexity: o1},
	"shutdown": {Summary: "Stops the server, saving first when persistence asks for it.", Complexity: "O(1), or O(N) in the number of keys when it saves.", History: []string{"NOW, FORCE and ABORT modifiers."}},
	"monitor":  {Summary: "Streams every command the server runs to this connection."},

	"slowlog":       {Summary: "Groups the commands that read and clear the slow log.", Complexity: bySub},
	"slowlog|get":   {Summary: "Returns the most recent slow-log entries.", Complexity: "O(N), N being the number of entries returned.", History: []string{"Entries carry the client's address and name."}},
	"slowlog|len":   {Summary: "Returns the number of entries in the slow log.", Complexity: o1},
	"slowlog|reset": {Summary: "Empties the slow log.", Complexity: "O(N), N being the number of entries dropped."},
	"slowlog|help":  {Summary: helpText, Complexity: o1},

	"latency":           {Summary: "Groups the latency monitor's commands.", Complexity: bySub},
	"latency|latest":    {Summary: "Returns the newest latency sample of every event.", Complexity: o1},
	"latency|history":   {Summary: "Returns the recorded latency samples of one event.", Complexity: o1},
	"latency|reset":     {Summary: "Drops the latency samples of some or all events.", Complexity: o1},
	"latency|histogram": {Summary: "Returns each command's call count and cumulative latency distribution.", Complexity: "O(N), N being the number of commands reported."},
	"latency|graph":     {Summary: "Draws an event's recorded latency samples as text.", Complexity: o1},
	"latency|doctor":    {Summary: "Summarises the recorded latency spikes and suggests what to look at.", Complexity: o1},
	"latency|help":      {Summary: helpText, Complexity: o1},

	"function":       {Summary: "Groups the commands that manage server-side functions.", Complexity: bySub},
	"function|flush": {Summary: "Deletes every function library.", Complexity: "O(N), N being the number of functions removed."},
	"function|help":  {Summary: helpText, Complexity: o1},

	"script":       {Summary: "Groups the commands that manage the Lua script cache.", Complexity: bySub},
	"script|flush": {Summary: "Empties the script cache.", Complexity: "O(N), N being the number of cached scripts.", History: []string{"ASYNC and SYNC modes."}},
	"script|help":  {Summary: helpText, Complexity: o1},

	"bgrewriteaof": {Summary: "Starts rewriting the append-only file in the background.", Complexity: o1},
	"save":         {Summary: "Writes a snapshot of the whole data set to the RDB file before replying.", Complexity: "O(N), N being the number of keys."},
	"bgsave":       {Summary: "Starts writing a snapshot of the data set to the RDB file in the background.", Complexity: "O(1) to start; the snapshot itself is O(N), N being the number of keys.", History: []string{"The SCHEDULE option waits for a running AOF rewrite instead of failing."}},
	"role":         {Summary: "Reports whether this server is a primary or a replica, and its replication state.", Complexity: o1},

	"memory":              {Summary: "Groups the commands that report and manage the server's memory.", Complexity: bySub},
	"memory|usage":        {Summary: "Returns the bytes a key and its value take, overhead included.", Complexity: "O(N), N being the number of samples."},
	"memory|stats":        {Summary: "Breaks the server's memory use down by purpose.", Complexity: o1},
	"memory|doctor":       {Summary: "Reports memory problems the server can see, in prose.", Complexity: o1},
	"memory|malloc-stats": {Summary: "Returns the memory allocator's own statistics as text.", Complexity: "Depends on the allocator's report."},
	"memory|purge":        {Summary: "Asks the allocator to return unused memory to the operating system.", Complexity: "Depends on how much memory is unused."},
	"memory|help":         {Summary: helpText, Complexity: o1},

	// access control
	"acl":         {Summary: "Groups the commands that manage users and their permissions.", Complexity: bySub},
	"acl|cat":     {Summary: "Lists the command categories, or the commands in one category.", Complexity: o1},
	"acl|deluser": {Summary: "Removes users and disconnects the clients authenticated as them.", Complexity: "O(1) per user removed, plus the walk over the connected clients."},
	"acl|dryrun":  {Summary: "Tells whether a user could run a command line, without running it.", Complexity: o1},
	"acl|genpass": {Summary: "Returns random hex characters fit to be used as a password.", Complexity: o1},
	"acl|getuser": {Summary: "Describes one user's flags, passwords and permissions.", Complexity: "O(N), N being the number of password, key and channel patterns of the user.", History: []string{"Channel patterns are reported.", "Key and channel patterns are reported as rule strings; selectors are reported."}},
	"acl|list":    {Summary: "Describes every user as an ACL file line.", Complexity: "O(N), N being the number of users."},
	"acl|load":    {Summary: "Replaces the users with the ones in the ACL file.", Complexity: "O(N), N being the number of users in the file."},
	"acl|log":     {Summary: "Returns or clears the recent permission failures.", Complexity: "O(N), N being the number of entries returned."},
	"acl|save":    {Summary: "Writes the current users to the ACL file.", Complexity: "O(N), N being the number of users."},
	"acl|setuser": {Summary: "Creates a user or changes its rules.", Complexity: "O(N), N being the number of rules given.", History: []string{"Channel patterns can be given.", "Selectors and read-only or write-only key patterns can be given."}},
	"acl|users":   {Summary: "Lists the names of every user.", Complexity: "O(N), N being the number of users."},
	"acl|whoami":  {Summary: "Returns the name of the user this connection is authenticated as.", Complexity: o1},
	"acl|help":    {Summary: helpText, Complexity: o1},

	// commands of features a standalone Cairn does not run (standalone.go)
	"client|unblock":                {Summary: "Ends the blocking command another client is waiting in; Cairn has no blocking commands, so it always answers 0.", Complexity: "O(log N), N being the number of client connections."},
	"client|getredir":               {Summary: "Returns the client that receives this connection's tracking invalidations, or -1 without tracking.", Complexity: o1},
	"client|trackinginfo":           {Summary: "Describes this connection's client-side caching state.", Complexity: o1},
	"client|caching":                {Summary: "Tells the server whether to track the keys of the next command (tracking OPTIN/OPTOUT modes).", Complexity: o1},
	"cluster":                       {Summary: "Groups the cluster-mode commands; a standalone server refuses them all.", Complexity: bySub},
	"cluster|addslots":              {Summary: "Assigns hash slots to this node.", Complexity: "O(N), N being the number of slots."},
	"cluster|addslotsrange":         {Summary: "Assigns ranges of hash slots to this node.", Complexity: "O(N), N being the number of slots in the ranges."},
	"cluster|bumpepoch":             {Summary: "Moves this node to a new, higher configuration epoch.", Complexity: o1},
	"cluster|count-failure-reports": {Summary: "Counts the live reports that a node has failed.", Complexity: "O(N), N being the number of failure reports."},
	"cluster|countkeysinslot":       {Summary: "Counts the keys in a hash slot.", Complexity: o1},
	"cluster|delslots":              {Summary: "Removes hash slots from this node.", Complexity: "O(N), N being the number of slots."},
	"cluster|delslotsrange":         {Summary: "Removes ranges of hash slots from this node.", Complexity: "O(N), N being the number of slots in the ranges."},
	"cluster|failover":              {Summary: "Makes this replica take over from its primary.", Complexity: o1},
	"cluster|flushslots":            {Summary: "Removes every hash slot from this node.", Complexity: o1},
	"cluster|forget":                {Summary: "Drops a node from this node's view of the cluster.", Complexity: o1},
	"cluster|getkeysinslot":         {Summary: "Lists keys stored in a hash slot.", Complexity: "O(N), N being the number of keys returned."},
	"cluster|help":                  {Summary: helpText, Complexity: o1},
	"cluster|info":                  {Summary: "Reports the cluster's state and figures.", Complexity: o1},
	"cluster|keyslot":               {Summary: "Returns the hash slot of a key.", Complexity: "O(N), N being the key's length."},
	"cluster|links":                 {Summary: "Lists this node's connections on the cluster bus.", Complexity: "O(N), N being the number of links."},
	"cluster|meet":                  {Summary: "Connects this node to another one to join their clusters.", Complexity: o1, History: []string{"Takes an optional cluster bus port."}},
	"cluster|myid":                  {Summary: "Returns this node's ID.", Complexity: o1},
	"cluster|nodes":                 {Summary: "Describes every node of the cluster, one line each.", Complexity: "O(N), N being the number of nodes."},
	"cluster|replicas":              {Summary: "Lists the replicas of a primary node.", Complexity: "O(N), N being the number of replicas."},
	"cluster|replicate":             {Summary: "Makes this node a replica of the given primary.", Complexity: o1},
	"cluster|reset":                 {Summary: "Returns this node to an empty cluster state.", Complexity: "O(N), N being the number of known nodes."},
	"cluster|saveconfig":            {Summary: "Writes the cluster configuration to disk.", Complexity: o1},
	"cluster|set-config-epoch":      {Summary: "Sets a new node's configuration epoch.", Complexity: o1},
	"cluster|setslot":               {Summary: "Changes the state of a hash slot on this node.", Complexity: o1},
	"cluster|shards":                {Summary: "Describes the cluster's shards and their nodes.", Complexity: "O(N), N being the number of nodes."},
	"cluster|slaves":                {Summary: "Lists the replicas of a primary node (old name of CLUSTER REPLICAS).", Complexity: "O(N), N being the number of replicas."},
	"cluster|slots":                 {Summary: "Maps ranges of hash slots to the nodes serving them.", Complexity: "O(N), N being the number of slot ranges.", History: []string{"Lists node IDs.", "Lists more networking details per node."}},
	"readonly":                      {Summary: "Lets a cluster replica connection serve reads.", Complexity: o1},
	"readwrite":                     {Summary: "Ends READONLY for a cluster replica connection.", Complexity: o1},
	"asking":                        {Summary: "Lets the next command reach a slot that is being imported (cluster redirection).", Complexity: o1},
	"module":                        {Summary: "Groups the commands that manage server modules.", Complexity: bySub},
	"module|help":                   {Summary: helpText, Complexity: o1},
	"module|list":                   {Summary: "Lists the loaded modules.", Complexity: "O(N), N being the number of modules."},
	"module|load":                   {Summary: "Loads a module from a shared library.", Complexity: o1},
	"module|loadex":                 {Summary: "Loads a module from a shared library, with configuration.", Complexity: o1},
	"module|unload":                 {Summary: "Unloads a module.", Complexity: o1},
	"failover":                      {Summary: "Hands the primary role to a replica in a coordinated way.", Complexity: o1},
	"debug":                         {Summary: "Runs internal diagnostics; refused unless enable-debug-command allows it.", Complexity: "Depends on the subcommand."},
}
