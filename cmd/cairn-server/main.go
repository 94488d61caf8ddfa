// Command cairn-server runs the Cairn key-value server. It takes the same
// command line as redis-server: an optional configuration file, then
// --name value options.
package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"syscall"

	"cairn/internal/command"
	"cairn/internal/config"
	"cairn/internal/server"
)

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	cfg, err := config.Load(args)
	switch {
	case errors.Is(err, config.ErrVersion):
		fmt.Printf("Cairn server v=%s redis_version=%s\n", server.Version, command.Version)
		return 0
	case errors.Is(err, config.ErrHelp):
		fmt.Print(usage)
		return 0
	case err != nil:
		fmt.Fprintf(os.Stderr, "cairn-server: %v\n", err)
		return 1
	}
	log, closeLog, err := newLogger(cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "cairn-server: %v\n", err)
		return 1
	}
	defer closeLog()
	if stop, err := startProfiles(); err != nil {
		log.Error("cannot start profiling", "err", err)
		return 1
	} else {
		defer stop()
	}

	srv, err := server.New(cfg, log)
	if err != nil {
		log.Error("cannot start", "err", err)
		return 1
	}
	if err := srv.Listen(); err != nil {
		log.Error("cannot start", "err", err)
		return 1
	}
	log.Info("Cairn server started", "version", server.Version, "redis_version", command.Version,
		"pid", os.Getpid(), "port", srv.Port(), "dir", cfg.Dir(), "config", cfg.File())
	log.Info("Ready to accept connections tcp", "port", srv.Port())

	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		for sig := range sigs {
			srv.Stop(sig.String())
		}
	}()
	if err := srv.Serve(); err != nil {
		log.Error("server stopped with an error", "err", err)
		return 1
	}
	log.Info("Cairn is now ready to exit, bye bye...")
	return 0
}

// startProfiles starts the opt-in profiles named by the environment, for
// profiling the server under real load (issue 6):
//
//	CAIRN_CPUPROFILE=path  CPU profile from start to shutdown
//	CAIRN_MEMPROFILE=path  allocation profile (every allocation sampled)
//	                       written at shutdown
//
// Both are written when the server stops (SHUTDOWN, SIGTERM, SIGINT).
// Read them with `go tool pprof -top cairn-server path`.
func startProfiles() (stop func(), err error) {
	cpuPath, memPath := os.Getenv("CAIRN_CPUPROFILE"), os.Getenv("CAIRN_MEMPROFILE")
	var cpu *os.File
	if cpuPath != "" {
		if cpu, err = os.Create(cpuPath); err != nil {
			return nil, fmt.Errorf("cpu profile: %w", err)
		}
		if err = pprof.StartCPUProfile(cpu); err != nil {
			cpu.Close()
			return nil, fmt.Errorf("cpu profile: %w", err)
		}
	}
	if memPath != "" {
		runtime.MemProfileRate = 1
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
		}
		if memPath != "" {
			if f, err := os.Create(memPath); err == nil {
				pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}
	}, nil
}

// newLogger builds the structured logger from loglevel and logfile.
func newLogger(cfg *config.Config) (*slog.Logger, func(), error) {
	var w io.Writer = os.Stdout
	closeFn := func() {}
	if f := cfg.LogFile(); f != "" {
		fh, err := os.OpenFile(f, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, nil, fmt.Errorf("open logfile: %w", err)
		}
		w = fh
		closeFn = func() { fh.Close() }
	}
	level := slog.LevelInfo
	switch cfg.LogLevel() {
	case "debug", "verbose":
		level = slog.LevelDebug
	case "warning":
		level = slog.LevelWarn
	case "nothing":
		level = slog.LevelError + 100
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})), closeFn, nil
}

const usage = `Usage: cairn-server [/path/to/cairn.conf] [options] [-]
       cairn-server - (read config from stdin)
       cairn-server -v or --version
       cairn-server -h or --help

Examples:
       cairn-server (run the server with default config)
       cairn-server /etc/cairn/cairn.conf
       cairn-server --port 7777
       cairn-server --port 7777 --replicaof 127.0.0.1 8888
       cairn-server /etc/mycairn.conf --loglevel verbose -
       cairn-server /etc/mycairn.conf --appendonly no
`
