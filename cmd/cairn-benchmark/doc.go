// Command cairn-benchmark is a RESP load generator that takes
// redis-benchmark's flags (-h -p -a -c -n -d -r -P -t -q -l --csv --threads
// --precision) with the same meanings and prints the same -q and --csv
// lines, so its figures can be set beside redis-benchmark's. It adds
// --duration, a mixed read/write load (--ratio R:W), key distributions
// (--dist uniform|zipfian|sequential), value size ranges (-d MIN-MAX),
// --json output, HDR latency percentiles and a live progress line on a
// terminal.
//
// # Why it is built this way
//
// A load generator that shares two cores with the server under test must
// cost as little CPU per request as the tool it is compared with, or it
// measures itself. So each connection runs the loop redis-benchmark runs:
// write a whole pipeline of requests with one syscall, read until every
// reply is complete, repeat. Requests are assembled from a compiled
// template (literal bytes, 12-digit key slots, value slots) into a reused
// buffer; replies are only delimited (resp.ReplyLen), never decoded; all
// replies that one read completes share one latency sample, recorded with
// a single RecordValues call. Nothing on that loop allocates.
//
// --threads sets GOMAXPROCS (default 1), so by default the tool uses one
// core as redis-benchmark does. --cpuprofile writes a pprof CPU profile
// of the run, to check what the tool itself costs (at -c 10 -P 100 SET
// against redis-server it used about 0.17 of a core while the server was
// saturated: the kernel's write and read, then request assembly).
//
// # Latency
//
// A request's latency runs from the write of its pipeline batch to the
// read that completed its reply, as in redis-benchmark; with -P > 1 it
// therefore includes the wait behind the earlier requests of the batch.
package main
