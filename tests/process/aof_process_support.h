// Helpers for the AOF process suites: a dump of every string key (value and
// absolute expiry) read through the protocol from any server, and a data
// directory shared by several server processes in turn.
#pragma once

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "tests/support/raw_client.h"
#include "tests/support/server_process.h"

namespace cairn::testing {

// (db, key) -> (value, PEXPIRETIME reply) for every key of databases 0..15.
using Dump = std::map<std::pair<int, std::string>, std::pair<std::string, std::string>>;

// Reads the whole dataset; an error message in *error when a reply is odd.
Dump DumpServer(int port, std::string* error);

// Sends a command and returns the raw reply, or "<error: ...>".
std::string Call(RawClient& c, const std::vector<std::string>& args);

// Waits until the server at port runs no rewrite and has none scheduled (a
// check of its directory must not race a manifest swap); fails after 5 s.
void WaitRewriteDone(int port);

// Runs kv-check-aof on dir's manifest and returns its exit status (0:
// valid); port: a server still running there, whose rewrites are waited for
// first (0: none).
int CheckAof(const std::string& dir, int port = 0);

// A spec whose --dir is data_dir, whatever directory the process gets.
ServerSpec OnDir(ServerSpec spec, const std::string& data_dir, std::vector<std::string> extra);

}  // namespace cairn::testing
