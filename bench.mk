# make bench / make bench-quick: Cairn vs Debian's redis-server, side by
# side, with redis-benchmark and cairn-benchmark as load generators.
# Results go to bench/results/<date>-<host>.{md,json} plus charts; see
# bench/cmd/benchrun/doc.go for the method. Included by the root Makefile.

GO          ?= go
BENCH_BIN   ?= bin
BENCH_OUT   ?= bench/results

.PHONY: bench bench-quick bench-build

bench-build:
	@mkdir -p $(BENCH_BIN)
	$(GO) build -o $(BENCH_BIN)/cairn-server ./cmd/cairn-server
	$(GO) build -o $(BENCH_BIN)/cairn-benchmark ./cmd/cairn-benchmark
	$(GO) build -o $(BENCH_BIN)/benchrun ./bench/cmd/benchrun

# Full run, about 6 minutes on a 2-core machine (5 runs per load).
bench: bench-build
	./$(BENCH_BIN)/benchrun -bin $(BENCH_BIN) -out $(BENCH_OUT)

# Smaller loads, under 2 minutes.
bench-quick: bench-build
	./$(BENCH_BIN)/benchrun -quick -bin $(BENCH_BIN) -out $(BENCH_OUT)
