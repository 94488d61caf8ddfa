//go:build !linux

package server

import (
	"errors"
	"net"
)

// Without epoll every connection is served by a goroutine of its own.

type eventLoop struct{}

type loopSet struct{}

func (ls *loopSet) pick(*Server) *eventLoop { return nil }

func (l *eventLoop) adopt(*conn) {}

func (l *eventLoop) wake() {}

func takeSocket(*net.TCPConn, int) (int, error) {
	return -1, errors.New("server: no event loop on this platform")
}

func shutdownSocket(int) {}
