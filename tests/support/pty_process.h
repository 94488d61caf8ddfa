// PtyProcess: a child program on a pseudo-terminal of its own, for tests of
// interactive shells (kv-cli, redis-cli): the test types keys into the
// master side and waits for text to appear in what the child prints. The
// child is killed, if still running, when the object goes.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <sys/types.h>

namespace cairn::testing {

class PtyProcess {
 public:
  // Runs argv[0] with argv, after setting env in the child.
  PtyProcess(const std::vector<std::string>& argv,
             const std::vector<std::pair<std::string, std::string>>& env);
  ~PtyProcess();
  PtyProcess(const PtyProcess&) = delete;
  PtyProcess& operator=(const PtyProcess&) = delete;

  bool ok() const { return pid_ > 0 && master_ >= 0; }
  // Sends bytes as typed keys; Type sends a line and Enter.
  void Keys(const std::string& bytes);
  void Type(const std::string& line) { Keys(line + "\r"); }
  // Reads until want appears after the previous match (10 s at most).
  bool Expect(const std::string& want);
  // Waits up to 5 s for the child to exit; its exit status, or -1 (timeout
  // or a signal).
  int WaitExit();
  // Everything the child printed so far.
  const std::string& seen() const { return seen_; }

 private:
  pid_t pid_ = -1;
  int master_ = -1;
  std::string seen_;
  size_t cursor_ = 0;
};

}  // namespace cairn::testing
