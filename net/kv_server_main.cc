// kv-server: takes redis-server's command line -- an optional config file
// (or "-" for stdin), then "--name value ..." -- and serves until SHUTDOWN,
// SIGTERM or SIGINT.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <boost/asio.hpp>
#include <unistd.h>

#include "engine/engine.h"
#include "engine/version.h"
#include "net/allocator.h"
#include "net/fault_env.h"
#include "net/posix_env.h"
#include "net/server.h"

namespace {

void Usage() {
  std::fprintf(stderr,
               "Usage: kv-server [/path/to/cairn.conf] [options] [-]\n"
               "       kv-server - (read config from stdin)\n"
               "       kv-server -v or --version\n"
               "       kv-server -h or --help\n\n"
               "Examples:\n"
               "       kv-server (run with the default configuration)\n"
               "       kv-server /etc/cairn/cairn.conf\n"
               "       kv-server --port 7777\n"
               "       kv-server /etc/cairn/cairn.conf --loglevel verbose\n");
}

bool ReadAll(std::istream& in, std::string* out) {
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return !in.bad();
}

}  // namespace

namespace {

int RunServer(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (args[0] == "-v" || args[0] == "--version")) {
    std::printf("kv-server v=%s (Cairn; speaks Redis %s)\n", cairn::kCairnVersion,
                cairn::kRedisCompatVersion);
    return 0;
  }
  if (!args.empty() && (args[0] == "-h" || args[0] == "--help")) {
    Usage();
    return 0;
  }

  // Like redis-server: a first argument that is not an option is the config
  // file, made absolute before it is read (CONFIG REWRITE writes it later).
  if (!args.empty() && !args[0].empty() && args[0][0] != '-' && args[0][0] != '/') {
    char cwd[4096];
    if (::getcwd(cwd, sizeof(cwd)) != nullptr) args[0] = std::string(cwd) + "/" + args[0];
  }
  std::string stdin_text;
  if (!args.empty() && (args.front() == "-" || args.back() == "-")) ReadAll(std::cin, &stdin_text);

  cairn::PosixEnv env;
  cairn::Config config;
  auto fatal_config = [](const std::string& message) {
    std::fprintf(stderr, "\n*** FATAL CONFIG FILE ERROR (Cairn %s) ***\n%s\n", cairn::kCairnVersion,
                 message.c_str());
    return 1;
  };
  cairn::Status st = config.LoadCommandLine(args, &env.fs(), stdin_text);
  if (!st.ok()) {
    if (st.code() != cairn::Status::Code::kInvalid) {
      std::fprintf(stderr, "%s\n", st.message().c_str());  // an unreadable config file
      return 1;
    }
    return fatal_config(st.message());
  }
  // rename-command lines are checked against the command table now, so a bad
  // one is reported like any other config error, at its line.
  auto table = cairn::CommandTable::Build();
  if (!table.ok()) {
    std::fprintf(stderr, "%s\n", table.status().message().c_str());
    return 1;
  }
  st = config.CheckRenames([&table](std::string_view from, std::string_view to) {
    return table.value()->Rename(from, to);
  });
  if (!st.ok()) return fatal_config(st.message());
  if (config.settings().daemonize) {
    std::fprintf(stderr,
                 "kv-server does not daemonize: run it under a supervisor (systemd, runit, a "
                 "container) with daemonize no.\n");
    return 1;
  }

  env.spd_logger().set_level(cairn::ParseLogLevel(config.settings().loglevel));
  if (!config.settings().logfile.empty()) {
    cairn::Status log_st = env.spd_logger().Reopen(config.settings().logfile);
    if (!log_st.ok()) {
      size_t colon = log_st.message().rfind(": ");
      return fatal_config("Can't open the log file: " + (colon == std::string::npos
                                                             ? log_st.message()
                                                             : log_st.message().substr(colon + 2)));
    }
  }
  boost::asio::io_context io(1);
  cairn::Server server(io, env);
  server.set_allocator_name(cairn::AllocatorName());
  // Process tests script disk faults through a control file (net/fault_env.h).
  std::unique_ptr<cairn::FaultEnv> fault_env;
  if (const char* control = std::getenv("CAIRN_FAULT_FILE"); control != nullptr && *control) {
    fault_env = std::make_unique<cairn::FaultEnv>(env, control);
  }
  cairn::FaultEnv* faults = fault_env.get();
  auto deliver = [&server, faults](uint64_t token, const cairn::Status& status) {
    cairn::Status st = status;
    if (faults != nullptr && faults->fault_fs().TakeFailedSync(token)) {
      st = cairn::Status::Io("fdatasync: Input/output error", 5);
    }
    server.OnSyncDone(token, st);
  };
  // Background syncs complete on the sync thread: posted to the engine's.
  env.posix_fs().set_completion([&io, deliver](uint64_t token, const cairn::Status& status) {
    boost::asio::post(io, [deliver, token, status] { deliver(token, status); });
  });
  // The sync replies wait for under appendfsync always runs on the engine
  // thread, at the batch point (Server::AfterWake).
  env.posix_fs().set_waited_completion(deliver);

  const cairn::Settings settings_copy = config.settings();
  cairn::Env& engine_env = fault_env ? static_cast<cairn::Env&>(*fault_env) : env;
  cairn::Engine engine(engine_env, std::move(config), &server);
  server.set_engine(&engine);
  // Whichever way this function returns, the syncs are drained while the
  // engine, the server and the io_context their completions reach exist.
  struct SyncDrain {
    cairn::PosixFileSystem& fs;
    ~SyncDrain() { fs.StopSyncs(); }
  } drain{env.posix_fs()};
  st = engine.Start();
  if (!st.ok()) {
    env.logger().Log(cairn::LogLevel::kWarning, "Fatal: " + st.message());
    return 1;
  }
  st = server.Listen(settings_copy);
  if (!st.ok()) {
    env.logger().Log(cairn::LogLevel::kWarning, st.message());
    return 1;
  }
  char cwd[4096];
  std::string dir = ::getcwd(cwd, sizeof(cwd)) ? std::string(cwd) : std::string("?");
  env.logger().Log(cairn::LogLevel::kNotice,
                   std::string("Cairn kv-server ") + cairn::kCairnVersion + " started, pid=" +
                       std::to_string(::getpid()) + " port=" + std::to_string(server.bound_port()) +
                       " dir=" + settings_copy.dir + " cwd=" + dir);
  // The pidfile is written once the port is bound (a supervisor that reads
  // it finds a server that accepts) and removed on a clean exit, as Redis
  // does; a pidfile that cannot be written is a warning, not a failure.
  const std::string& pidfile = settings_copy.pidfile;
  if (!pidfile.empty()) {
    std::FILE* f = std::fopen(pidfile.c_str(), "w");
    bool written = f != nullptr && std::fprintf(f, "%d\n", static_cast<int>(::getpid())) > 0;
    if (f != nullptr && std::fclose(f) != 0) written = false;
    if (!written) {
      env.logger().Log(cairn::LogLevel::kWarning,
                       "Failed to write PID file " + pidfile + ": " + std::strerror(errno));
    }
  }
  env.logger().Log(cairn::LogLevel::kNotice, "Ready to accept connections");
  int code = server.Run();
  if (!pidfile.empty()) ::unlink(pidfile.c_str());
  env.posix_fs().StopSyncs();  // before the farewell line (SyncDrain would too)
  env.logger().Log(cairn::LogLevel::kNotice, "Cairn is now ready to exit, bye bye...");
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  cairn::ConfigureAllocator();
  try {
    return RunServer(argc, argv);
  } catch (const std::exception& e) {
    // Nothing is meant to throw this far (errors are values); if something
    // does (std::bad_alloc), say so and exit rather than abort.
    std::fprintf(stderr, "kv-server: fatal: %s\n", e.what());
    return 1;
  }
}
