#include "shared/names.h"

namespace Tertulia::Names {

namespace {
bool isAsciiAlnum(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
}
bool isPunctuationAllowed(QChar c) { return c == u'_' || c == u'.' || c == u'-'; }
} // namespace

bool isValidUserName(const QString &name)
{
    if (name.size() < kMinUserNameLength || name.size() > kMaxUserNameLength)
        return false;
    if (!isAsciiAlnum(name.front()))
        return false;
    for (QChar c : name) {
        if (!isAsciiAlnum(c) && !isPunctuationAllowed(c))
            return false;
    }
    return true;
}

bool isValidRoomName(const QString &name)
{
    if (name.isEmpty() || name.size() > kMaxRoomNameLength)
        return false;
    for (QChar c : name) {
        if (c.isSurrogate() || !(c.isLetterOrNumber() || isPunctuationAllowed(c)))
            return false;
    }
    return true;
}

QString directAddress(const QString &user, const QString &other)
{
    const QString a = canonical(user);
    const QString b = canonical(other);
    return a < b ? u'@' + a + u'+' + b : u'@' + b + u'+' + a;
}

QStringList directUsers(const QString &address)
{
    if (!address.startsWith(u'@') || address.size() > kMaxRoomAddressLength)
        return {};
    const QStringList users = address.mid(1).split(u'+');
    if (users.size() != 2 || !isValidUserName(users[0]) || !isValidUserName(users[1]))
        return {};
    // Only the one spelling directAddress() writes: lower case, in order, two different users.
    if (users[0] != canonical(users[0]) || users[1] != canonical(users[1]) || !(users[0] < users[1]))
        return {};
    return users;
}

bool isValidRoomAddress(const QString &name) { return isValidRoomName(name) || isDirectAddress(name); }

QString canonical(const QString &name) { return name.toCaseFolded(); }

} // namespace Tertulia::Names
