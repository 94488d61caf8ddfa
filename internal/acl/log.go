package acl

import "sync"

// LogEntry is one ACL LOG record.
type LogEntry struct {
	Count      int64
	Reason     Reason
	Context    string // "toplevel", "multi", "lua", "module"
	Object     string // the command, key, channel, or AUTH/HELLO as typed
	Username   string
	Created    int64  // Unix ms of the latest occurrence
	ClientInfo string // CLIENT LIST line of the client at that occurrence
}

// logGroupWindow is how close in time a failure must be to an earlier one
// of the same kind to be counted into it (ms), and logGroupScan how many
// of the newest entries are compared.
const (
	logGroupWindow = 60000
	logGroupScan   = 10
)

// Log is the ACL LOG: the newest permission and authentication failures,
// newest first.
type Log struct {
	mu      sync.Mutex
	entries []*LogEntry
}

// Add records e (with Count 1), keeping at most maxLen entries.
func (l *Log) Add(e LogEntry, maxLen int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := 0; i < len(l.entries) && i < logGroupScan; i++ {
		old := l.entries[i]
		d := old.Created - e.Created
		if d < 0 {
			d = -d
		}
		if old.Reason == e.Reason && old.Context == e.Context && d <= logGroupWindow &&
			old.Object == e.Object && old.Username == e.Username {
			old.Count++
			old.Created = e.Created
			old.ClientInfo = e.ClientInfo
			copy(l.entries[1:i+1], l.entries[:i])
			l.entries[0] = old
			return
		}
	}
	e.Count = 1
	l.entries = append(l.entries, nil)
	copy(l.entries[1:], l.entries)
	l.entries[0] = &e
	if len(l.entries) > maxLen {
		clear(l.entries[max(maxLen, 0):])
		l.entries = l.entries[:max(maxLen, 0)]
	}
}

// Newest returns copies of up to n of the newest entries.
func (l *Log) Newest(n int) []LogEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	n = min(max(n, 0), len(l.entries))
	out := make([]LogEntry, n)
	for i := range out {
		out[i] = *l.entries[i]
	}
	return out
}

// Reset empties the log.
func (l *Log) Reset() {
	l.mu.Lock()
	l.entries = nil
	l.mu.Unlock()
}
