package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startCPUProfile profiles the whole run into path (--cpuprofile), to see
// what the load generator itself costs; the returned func ends it.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpuprofile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
