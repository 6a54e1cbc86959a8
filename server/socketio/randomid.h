#pragma once

#include <QtCore/QString>

namespace Tertulia::SocketIo {

/// `bytes` random bytes from the system generator, base64url without padding. Session ids, socket ids
/// and recovery ids are bearer secrets or must not be guessable, so no seeded generator here.
QString randomId(int bytes);

} // namespace Tertulia::SocketIo
