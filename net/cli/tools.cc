// The tool modes of kv-cli (Session::Run*): --stat, --latency,
// --latency-history, --scan, --bigkeys and --pipe, each with redis-cli
// 7.0's output.
#include <cstdio>

#include "net/cli/session.h"

namespace cairn::cli {

int Session::RunStat() {
  std::fprintf(stderr, "kv-cli: --stat is not implemented yet\n");
  return 1;
}
int Session::RunLatency() {
  std::fprintf(stderr, "kv-cli: --latency is not implemented yet\n");
  return 1;
}
int Session::RunScan() {
  std::fprintf(stderr, "kv-cli: --scan is not implemented yet\n");
  return 1;
}
int Session::RunBigKeys() {
  std::fprintf(stderr, "kv-cli: --bigkeys is not implemented yet\n");
  return 1;
}
int Session::RunPipe() {
  std::fprintf(stderr, "kv-cli: --pipe is not implemented yet\n");
  return 1;
}

}  // namespace cairn::cli
