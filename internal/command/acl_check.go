package command

// permitted reports whether the session's user may run cmd with c.Args,
// replying with the NOPERM error and logging to ACL LOG when not.
func (e *Engine) permitted(c *Ctx, cmd *Command) bool {
	return true
}
