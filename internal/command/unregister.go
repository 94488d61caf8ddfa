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
