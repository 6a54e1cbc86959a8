#pragma once

#include "shared/protocol/payloads.h"

#include <QtGui/QIcon>

namespace Tertulia::Icons {

/// The app icon at every size we ship.
QIcon app();
/// Marks private rooms.
QIcon lock();
/// Marks muted rooms: a speaker struck through, drawn here (no SVG renderer at build time).
QIcon muted();
/// A person (head and shoulders): a direct conversation in the room list.
QIcon person();
/// A coloured dot per presence state (shapes differ too, not only colours).
QIcon presence(Protocol::PresenceStatus status);

} // namespace Tertulia::Icons
