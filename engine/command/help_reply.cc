#include "engine/command/help_reply.h"

#include <cctype>
#include <string>

namespace cairn {

void ReplyHelp(ReplyWriter& reply, std::string_view command,
               std::span<const std::string_view> lines) {
  reply.Array(lines.size() + 3);
  std::string heading(command);
  heading += " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:";
  reply.Simple(heading);
  for (std::string_view line : lines) reply.Simple(line);
  reply.Simple("HELP");
  reply.Simple("    Print this help.");
}

void ReplySubcommandSyntaxError(ReplyWriter& reply, std::string_view command,
                                std::string_view subcommand) {
  command = command.substr(0, command.find('\0'));
  subcommand = subcommand.substr(0, subcommand.find('\0')).substr(0, 128);
  std::string text = "ERR unknown subcommand or wrong number of arguments for '";
  text += subcommand;
  text += "'. Try ";
  for (char c : command) text += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  text += " HELP.";
  reply.Error(text);
}

}  // namespace cairn
