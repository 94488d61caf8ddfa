// EngineHost: what the engine asks of the world that runs it.
//
// Facts about the process (pid, executable, CPU time, RSS) and actions only
// the world can take (re-binding listeners after CONFIG SET port/bind). The
// real server answers from the OS; the simulator answers with fixed values, so
// replies stay a pure function of the seed. Every method has a harmless
// default so a test can run an engine with no host.
#pragma once

#include <cstdint>
#include <string>

#include "engine/config/config.h"
#include "engine/util/status.h"

namespace cairn {

struct ProcessFacts {
  int64_t pid = 0;
  std::string executable;
  std::string os = "Linux";  // "sysname release machine", as uname says
  int arch_bits = 64;
  std::string compiler;  // "12.2.0" (INFO gcc_version)
  std::string multiplexing_api = "epoll";
  int64_t tcp_port = 0;                // the port actually bound (port 0 picks one)
  uint64_t total_system_memory = 0;    // physical memory of the machine, bytes
  std::string mem_allocator = "libc";  // the malloc serving the process (INFO)
};

// CPU time in microseconds: the process, its children, and the thread that
// runs the engine (Redis's "main thread").
struct CpuTimes {
  int64_t user_us = 0;
  int64_t sys_us = 0;
  int64_t children_user_us = 0;
  int64_t children_sys_us = 0;
  int64_t main_thread_user_us = 0;
  int64_t main_thread_sys_us = 0;
};

class EngineHost {
 public:
  virtual ~EngineHost() = default;
  virtual ProcessFacts Facts() { return {}; }
  virtual CpuTimes Cpu() { return {}; }
  virtual uint64_t RssBytes() { return 0; }
  // CONFIG SET changed port, bind or unixsocket: re-open listeners. An error
  // makes CONFIG SET fail and roll back.
  virtual Status ApplyListenerConfig(const Settings&) { return Status::Ok(); }
  // The log destination or level changed.
  virtual void ApplyLogConfig(const Settings&) {}
  // Whether the world gives Engine::BackgroundStep a turn after every
  // batch's replies have gone out while HasBackgroundWork() holds. Then a
  // batch's end does not walk a running rewrite itself, and no reply waits
  // for a walk step; otherwise (the default, and the simulator) each batch's
  // end takes a short step.
  virtual bool StepsAfterEveryBatch() const { return false; }
};

}  // namespace cairn
