// Redis's quoted representation of bytes (what sdscatrepr produces): MONITOR
// shows arguments this way and CONFIG REWRITE writes values this way. Always
// quoted; backslash, quote, \n \r \t \a \b escaped; other bytes outside
// printable ASCII as \xHH.
#pragma once

#include <string>
#include <string_view>

namespace cairn {

void AppendRepr(std::string& out, std::string_view s);

}  // namespace cairn
