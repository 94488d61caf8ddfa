// ReplyHelp: the reply of a container command's HELP subcommand, in the
// shape redis-server 7.0 gives it -- an array of status lines: a heading
// naming the command, the given lines (a syntax line, then its description
// indented by four spaces), and HELP's own two lines at the end.
//
// The heading and the syntax lines are the protocol clients see; the
// descriptions are Cairn's own words.
#pragma once

#include <span>
#include <string_view>

#include "engine/resp/reply_writer.h"

namespace cairn {

// command is upper case ("CLIENT"); lines excludes the heading and HELP.
void ReplyHelp(ReplyWriter& reply, std::string_view command,
               std::span<const std::string_view> lines);

// A known subcommand given arguments it does not take: "ERR unknown
// subcommand or wrong number of arguments for '<sub>'. Try <CMD> HELP.",
// both names as the client typed them (the command upper-cased, each cut at
// a NUL byte as Redis's C strings are).
void ReplySubcommandSyntaxError(ReplyWriter& reply, std::string_view command,
                                std::string_view subcommand);

}  // namespace cairn
