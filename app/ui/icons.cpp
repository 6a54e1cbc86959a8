#include "app/ui/icons.h"

using namespace Qt::StringLiterals;

namespace Tertulia::Icons {

namespace {
/// A 16 px icon with its @2x file added explicitly: QIcon only looks for @2x variants at the device
/// pixel ratio in force when the file is added, and screens can change.
QIcon smallIcon(const QString &name)
{
    QIcon icon;
    icon.addFile(u":/icons/%1.png"_s.arg(name), QSize(16, 16));
    icon.addFile(u":/icons/%1@2x.png"_s.arg(name), QSize(32, 32));
    return icon;
}
} // namespace

QIcon app()
{
    QIcon icon;
    for (const int size : {16, 24, 32, 48, 64, 128, 256})
        icon.addFile(u":/icons/tertulia-%1.png"_s.arg(size), QSize(size, size));
    return icon;
}

QIcon lock() { return smallIcon(u"lock"_s); }

QIcon presence(Protocol::PresenceStatus status)
{
    switch (status) {
    case Protocol::PresenceStatus::Online: return smallIcon(u"presence-online"_s);
    case Protocol::PresenceStatus::Away: return smallIcon(u"presence-away"_s);
    case Protocol::PresenceStatus::Offline: break;
    }
    return smallIcon(u"presence-offline"_s);
}

} // namespace Tertulia::Icons
