// The key family's handlers and the helpers its files share.
//
// The family is split by concern -- keys.cc (DEL, EXISTS, TYPE, KEYS, ...),
// expire.cc (EXPIRE and TTL families), scan.cc, rename.cc (RENAME, COPY,
// MOVE), object.cc, databases.cc (SELECT, SWAPDB, FLUSHDB, FLUSHALL) -- and
// bound in two lists: KeyHandlers() in keys.cc and ExpireHandlers() in
// expire.cc. Handlers declared here are bound by keys.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "engine/command/context.h"
#include "engine/keyspace/entry.h"

namespace cairn {

// What TYPE answers for an entry ("none" for no entry).
std::string_view TypeName(const Entry* e);

// Redis's getIntFromObjectOrReply: a canonical integer within C int range.
// Replies with the error and returns false otherwise: "value is not an
// integer or out of range" / "value is out of range, value must between ..."
// or, when given, `error` for both.
bool ParseIntArg(CommandContext& ctx, std::string_view arg, int* out, std::string_view error = {});

// A database number for MOVE, COPY ... DB and SELECT: ParseIntArg, then
// "ERR DB index is out of range" outside 0..databases-1.
bool ParseDbIndex(CommandContext& ctx, std::string_view arg, int* out);

// scan.cc
void ScanCommand(CommandContext& ctx);
// A SCAN cursor as Redis reads it (strtoul rules), or nullopt for "ERR
// invalid cursor".
std::optional<uint64_t> ParseScanCursor(std::string_view s);
// rename.cc
void RenameCommand(CommandContext& ctx);
void RenameNxCommand(CommandContext& ctx);
void CopyCommand(CommandContext& ctx);
void MoveCommand(CommandContext& ctx);
// object.cc
void ObjectEncodingCommand(CommandContext& ctx);
void ObjectRefcountCommand(CommandContext& ctx);
void ObjectIdletimeCommand(CommandContext& ctx);
void ObjectFreqCommand(CommandContext& ctx);
void ObjectHelpCommand(CommandContext& ctx);
// databases.cc
void SelectCommand(CommandContext& ctx);
void SwapDbCommand(CommandContext& ctx);
void FlushDbCommand(CommandContext& ctx);
void FlushAllCommand(CommandContext& ctx);
void DbSizeCommand(CommandContext& ctx);

}  // namespace cairn
