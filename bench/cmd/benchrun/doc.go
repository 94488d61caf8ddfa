// Command benchrun is `make bench`: it starts cairn-server and Debian's
// redis-server side by side with matched settings, drives both with
// redis-benchmark and cairn-benchmark, and writes a Markdown report, a
// JSON record and charts under bench/results/.
//
// # Method
//
//   - Each server setting (no persistence, AOF everysec, AOF always, and
//     maxmemory 20mb allkeys-lru) gets a fresh pair of servers on free
//     loopback ports, with fresh data directories and the same flags
//     (--save "" --appendonly ... --appendfsync ... --aof-use-rdb-preamble
//     no, or --maxmemory ... --maxmemory-policy ...).
//   - Every load runs reps times on each server with each tool, and the
//     server order alternates per repetition (A B, B A, A B ...), so slow
//     drift of a shared machine does not favour one side. Figures are the
//     median over repetitions; a ratio is Cairn's median / Redis's median
//     as measured by the same tool.
//   - redis-benchmark cannot express a mixed ratio or a zipfian key
//     distribution, so the mixed load is measured with cairn-benchmark
//     only; every other throughput figure exists from both tools, and the
//     report sets cairn-benchmark's Redis figures against
//     redis-benchmark's to show the tool is not the bottleneck.
//   - Memory per key: (VmRSS after loading N distinct 16-byte keys with
//     16-byte values) - (VmRSS of the idle server), divided by DBSIZE.
//   - AOF load time: load N keys with appendonly yes, stop the server with
//     SIGTERM, restart it on the same directory and time from exec until
//     it answers PING with +PONG; DBSIZE shows what was really restored.
//   - AOF rewrite: load N keys with appendonly yes, send BGREWRITEAOF and
//     time until INFO persistence shows the rewrite finished with status
//     ok (aof_rewrites grew, nothing in progress or scheduled). RSS is
//     sampled every 10 ms as the server's VmRSS plus that of its children
//     (Redis forks one), and the peak and its rise over the pre-rewrite
//     RSS are reported.
//   - Scaling: the same pipelined load against Cairn with GOMAXPROCS=1
//     and GOMAXPROCS=2. The load generator shares the machine's cores.
//
// -only runs some parts (e.g. -only rewrite) and writes a "-partial"
// report that leaves latest.md alone.
//
// Nothing here asserts a threshold: the targets of the performance issue
// are printed next to the figures, to be read.
package main
