// kv-server: takes redis-server's command line -- an optional config file
// (or "-" for stdin), then "--name value ..." -- and serves until SHUTDOWN,
// SIGTERM or SIGINT.
#include <unistd.h>

#include <boost/asio.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/version.h"
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

int main(int argc, char** argv) {
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

  std::string file_text;
  std::string stdin_text;
  std::string config_file;
  if (!args.empty() && args[0].rfind("--", 0) != 0) {
    config_file = args[0];
    if (config_file == "-") {
      ReadAll(std::cin, &stdin_text);
    } else {
      std::ifstream in(config_file);
      if (!in || !ReadAll(in, &file_text)) {
        std::fprintf(stderr, "Fatal error, can't open config file '%s': %s\n",
                     config_file.c_str(), "No such file or directory");
        return 1;
      }
    }
  }
  if (!args.empty() && args.back() == "-" && config_file != "-") ReadAll(std::cin, &stdin_text);

  cairn::Config config;
  cairn::Status st = config.LoadCommandLine(args, file_text, stdin_text);
  if (!st.ok()) {
    std::fprintf(stderr, "\n*** FATAL CONFIG FILE ERROR (Cairn %s) ***\n%s\n", cairn::kCairnVersion,
                 st.message().c_str());
    return 1;
  }
  if (!config_file.empty() && config_file != "-") {
    char* abs = ::realpath(config_file.c_str(), nullptr);
    config.set_config_file(abs ? abs : config_file);
    std::free(abs);
  }
  if (config.settings().daemonize) {
    std::fprintf(stderr,
                 "kv-server does not daemonize: run it under a supervisor (systemd, runit, a "
                 "container) with daemonize no.\n");
    return 1;
  }

  boost::asio::io_context io(1);
  cairn::PosixEnv env;
  env.spd_logger().set_level(cairn::ParseLogLevel(config.settings().loglevel));
  if (!config.settings().logfile.empty()) {
    cairn::Status log_st = env.spd_logger().Reopen(config.settings().logfile);
    if (!log_st.ok()) {
      std::fprintf(stderr, "Can't open the log file: %s\n", log_st.message().c_str());
      return 1;
    }
  }
  cairn::Server server(io, env);
  env.posix_fs().set_completion([&io, &server](uint64_t token, cairn::Status status) {
    boost::asio::post(io, [&server, token, status] { server.OnSyncDone(token, status); });
  });

  const cairn::Settings settings_copy = config.settings();
  cairn::Engine engine(env, std::move(config), &server);
  server.set_engine(&engine);
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
  env.logger().Log(cairn::LogLevel::kNotice, "Ready to accept connections");
  int code = server.Run();
  env.logger().Log(cairn::LogLevel::kNotice, "Cairn is now ready to exit, bye bye...");
  return code;
}
