// kv-cli: the command-line client, redis-cli 7.0 compatible (net/cli/).
#include "net/cli/session.h"

int main(int argc, char** argv) { return cairn::cli::Main(argc, argv); }
