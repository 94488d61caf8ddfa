// Special parameters: the parsers, value checks and Settings binders of the
// parameters whose values are lists or structures (save, bind,
// client-output-buffer-limit, ...) or need checks beyond their type
// (dbfilename, proc-title-template, ...). Each reproduces redis-server 7.0's
// rules and error texts; canonical forms are what CONFIG GET answers.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "engine/config/param.h"

namespace cairn {

// Parsers (SpecialParser).
bool ParseDir(std::span<const std::string> args, std::string_view current, std::string* canonical,
              std::string* error);
bool ParseSave(std::span<const std::string> args, std::string_view current, std::string* canonical,
               std::string* error);
bool ParseClientOutputBufferLimit(std::span<const std::string> args, std::string_view current,
                                  std::string* canonical, std::string* error);
bool ParseOomScoreAdjValues(std::span<const std::string> args, std::string_view current,
                            std::string* canonical, std::string* error);
bool ParseNotifyKeyspaceEvents(std::span<const std::string> args, std::string_view current,
                               std::string* canonical, std::string* error);
bool ParseBind(std::span<const std::string> args, std::string_view current, std::string* canonical,
               std::string* error);
bool ParseReplicaOf(std::span<const std::string> args, std::string_view current,
                    std::string* canonical, std::string* error);
bool ParseLatencyPercentiles(std::span<const std::string> args, std::string_view current,
                             std::string* canonical, std::string* error);

// Checks (ValueCheck).
bool CheckActiveDefrag(std::string_view value, std::string* error);
bool CheckHostname(std::string_view value, std::string* error);
bool CheckDbFilename(std::string_view value, std::string* error);
bool CheckAofFilename(std::string_view value, std::string* error);
bool CheckAofDirname(std::string_view value, std::string* error);
bool CheckProcTitleTemplate(std::string_view value, std::string* error);
bool CheckShutdownFlags(std::string_view value, std::string* error);

// Binders (SettingsBinder).
void BindSave(Settings& settings, std::string_view canonical);
void BindClientOutputBufferLimit(Settings& settings, std::string_view canonical);
void BindNotifyKeyspaceEvents(Settings& settings, std::string_view canonical);
void BindBind(Settings& settings, std::string_view canonical);
void BindLatencyPercentiles(Settings& settings, std::string_view canonical);

// Save points in canonical form ("3600 1 300 100") as config lines
// ("save 3600 1", "save 300 100"); none gives `save ""`.
std::vector<std::string> SaveRewriteLines(std::string_view canonical);
// client-output-buffer-limit as three config lines (normal, replica,
// pubsub) with their memory in units, and whether each differs from the
// default.
std::vector<std::pair<std::string, bool>> OutputBufferLimitRewriteLines(std::string_view canonical);

}  // namespace cairn
