package command

// Unregister removes a session from the client list (CLIENT LIST, INFO
// clients, CLIENT KILL) ahead of CloseSession, for a connection that
// another goroutine is about to close. It is safe to call from any
// goroutine, and more than once.
func (e *Engine) Unregister(s *Session) {
	e.clientsMu.Lock()
	delete(e.clients, s.ID)
	e.clientsMu.Unlock()
}

// NeedsAuth reports whether s must authenticate before running commands:
// it has not, and the default user is not open to all (it has a password,
// or is off). As in Redis this is decided per command, so clearing
// requirepass lets clients that connected while it was set in at once.
func (e *Engine) NeedsAuth(s *Session) bool {
	return !s.Authed && !authFree(e.acl.reg.Default())
}

// DefaultUserNoPass reports whether the default user has nopass, which
// keeps protected mode's refusal of remote clients in force.
func (e *Engine) DefaultUserNoPass() bool {
	return e.acl.reg.Default().Rules().NoPass()
}
