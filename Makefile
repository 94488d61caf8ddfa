# Cairn — build, run and test. `make run` and `make test` work on a fresh
# machine that has Go, redis-server and redis-tools (see .ci/run).

GO        ?= go
BIN       := bin
BINARIES  := cairn-server cairn-cli cairn-benchmark cairn-check-aof
STATICCHECK_VERSION := v0.8.2
FUZZTIME  ?= 5m

export PATH := $(PATH):/usr/local/go/bin

.PHONY: all build run test test-race unit fuzz fuzz-quick soak lint fmt vet clean

all: build

build:
	@mkdir -p $(BIN)
	@for b in $(BINARIES); do \
		if [ -d cmd/$$b ]; then $(GO) build -o $(BIN)/$$b ./cmd/$$b || exit 1; fi; \
	done

# Run the server in the foreground with its data in ./data.
run:
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/cairn-server ./cmd/cairn-server
	./$(BIN)/cairn-server --dir ./data

# Everything CI runs: formatting, vet, staticcheck, the race-enabled unit
# and integration tests (including the differential suite against
# redis-server), and short fuzz runs (fuzz-quick).
test: fmt-check vet lint test-race fuzz-quick

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

lint:
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

test-race:
	$(GO) test -race -count=1 -timeout 12m ./...

unit:
	$(GO) test -count=1 ./internal/...

# Fuzz targets as name:package. One worker each (-parallel=1): the
# machine is shared, and the differential target drives two servers.
FUZZ_TARGETS := FuzzParser:./internal/resp/ FuzzExec:./internal/command/ FuzzDiffCommands:./test/integration/ FuzzRestoreString:./internal/rdb/ FuzzLoad:./internal/rdb/

# A longer local run: every target for FUZZTIME (default 5m) in turn.
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		echo "== $${t%%:*} for $(FUZZTIME)"; \
		$(GO) test -run='^$$' -fuzz="^$${t%%:*}\$$" -fuzztime=$(FUZZTIME) -parallel=1 $${t#*:} || exit 1; \
	done

# The short runs of `make test`: the parser 20 s as before, the command
# targets 12 s each, DUMP payload and RDB decoding about 5 s each (about
# 45 s added in all, builds included).
# The short runs are bounded by executions, not time: Go 1.26's fuzzing
# coordinator can report "context deadline exceeded" as a failure when a
# duration-based -fuzztime ends while a worker is busy (go.dev/issue/75804).
# The counts are about 20 s and 12 s of work on the 2-core development VM;
# minimising a new interesting input is bounded by count too (by default
# it may take a minute, which a fresh corpus in CI hits).
fuzz-quick:
	$(GO) test -run='^$$' -fuzz='^FuzzParser$$' -fuzztime=400000x -fuzzminimizetime=2000x ./internal/resp/
	$(GO) test -run='^$$' -fuzz='^FuzzExec$$' -fuzztime=10000x -fuzzminimizetime=500x -parallel=1 ./internal/command/
	$(GO) test -run='^$$' -fuzz='^FuzzDiffCommands$$' -fuzztime=7000x -fuzzminimizetime=500x -parallel=1 ./test/integration/
	$(GO) test -run='^$$' -fuzz='^FuzzRestoreString$$' -fuzztime=200000x -fuzzminimizetime=2000x -parallel=1 ./internal/rdb/
	$(GO) test -run='^$$' -fuzz='^FuzzLoad$$' -fuzztime=100000x -fuzzminimizetime=2000x -parallel=1 ./internal/rdb/

# Ten minutes of mixed load with faults against a fresh cairn-server, with
# a summary and a PASS/FAIL verdict (SOAK_DURATION=2m for a shorter run).
# Not part of CI; see bench/cmd/soak/doc.go.
soak:
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/cairn-server ./cmd/cairn-server
	$(GO) build -o $(BIN)/soak ./bench/cmd/soak
	./$(BIN)/soak -server $(BIN)/cairn-server

clean:
	rm -rf $(BIN)

-include bench.mk
