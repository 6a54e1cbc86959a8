#pragma once

#include <QtCore/QString>

namespace Tertulia {

/// The product version, set by CMake from project(VERSION).
inline QString versionString() { return QStringLiteral(TERTULIA_VERSION); }

/// The WebSocket subprotocol of the native protocol. A new incompatible protocol gets a new name.
inline constexpr char kSubprotocol[] = "tertulia.v1";

} // namespace Tertulia
