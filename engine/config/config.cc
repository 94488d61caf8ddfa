#include "engine/config/config.h"

namespace cairn {

struct Config::Table {};

Config::Config() : table_(std::make_unique<Table>()) {}
Config::~Config() = default;
Config::Config(Config&&) noexcept = default;
Config& Config::operator=(Config&&) noexcept = default;

Status Config::LoadText(std::string_view, std::string_view) { return Status::Ok(); }

Status Config::ApplyArgs(std::span<const std::string> args) {
  for (size_t i = 0; i + 1 < args.size(); i += 2) {
    if (args[i] == "--port") settings_.port = std::stoll(args[i + 1]);
    if (args[i] == "--dir") settings_.dir = args[i + 1];
    if (args[i] == "--requirepass") settings_.requirepass = args[i + 1];
  }
  return Status::Ok();
}

Status Config::LoadCommandLine(std::span<const std::string> argv, std::string_view,
                               std::string_view) {
  return ApplyArgs(argv);
}

Status Config::Set(std::span<const std::string_view>, std::vector<std::string>*) {
  return Status::Invalid("ERR CONFIG SET is not implemented");
}

void Config::Get(std::string_view, std::vector<std::pair<std::string, std::string>>&) const {}

std::string Config::Rewrite(std::string_view old_text) const { return std::string(old_text); }

}  // namespace cairn
