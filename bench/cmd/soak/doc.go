// Command soak runs cairn-server under mixed load with faults for a long
// time (10 minutes by default; SOAK_DURATION or -duration) and reports
// whether it stayed healthy: `make soak`. It is not part of CI.
//
// The load, all at once:
//   - mixed workers: SET (some with EX), GET checked against what the
//     worker last wrote, INCR, APPEND, MSET/MGET, DEL, EXPIRE, GETEX, each
//     worker on its own keys so every reply can be checked exactly;
//   - pipeline workers: batches of 200 SET/GET/INCR written before any
//     reply is read;
//   - big values: 1-4 MiB SET, GET back and compared, DEL;
//   - expiring keys: bursts of SET ... PX 20-500 ms that must go away;
//   - faults: CLIENT KILL ID of victim connections (which reconnect),
//     abrupt socket closes in the middle of a request or a pipeline,
//     reconnect storms of 200 connections, BGREWRITEAOF every 15 s (the
//     server runs with appendonly yes), and slow readers that ask for big
//     replies and read them a few KiB at a time, or not at all.
//
// An error is any reply or network failure the load did not expect (a
// killed victim's failure is expected and counted apart). RSS is read
// from /proc/<pid>/status: at the end of the warm-up (a tenth of the run),
// at half time and at the end. The verdict is PASS when there were no
// errors and the RSS at the end is at most 25% + 32 MiB above the RSS at
// half time: the data set is bounded, so memory that keeps growing in
// the second half is a leak.
//
// By default the driver builds nothing: -server names the cairn-server
// binary to start (on a free port, in a temporary directory). With -addr
// it drives a server that is already running instead, and -pid names its
// process for the RSS readings.
package main
