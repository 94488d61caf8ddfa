# Cairn — build, run and test. `make run` and `make test` work on a fresh
# machine that has Go, redis-server and redis-tools (see .ci/run).

GO        ?= go
BIN       := bin
BINARIES  := cairn-server cairn-cli cairn-benchmark cairn-check-aof
STATICCHECK_VERSION := v0.8.2
FUZZTIME  ?= 20s

export PATH := $(PATH):/usr/local/go/bin

.PHONY: all build run test test-race unit fuzz fuzz-long lint fmt vet clean

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
# redis-server), and a short fuzz run of the request parser.
test: fmt-check vet lint test-race fuzz

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

fuzz:
	$(GO) test -run='^$$' -fuzz=FuzzParser -fuzztime=$(FUZZTIME) ./internal/resp/

fuzz-long:
	$(MAKE) fuzz FUZZTIME=10m

clean:
	rm -rf $(BIN)

-include bench.mk
