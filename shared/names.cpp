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

QString canonical(const QString &name) { return name.toCaseFolded(); }

} // namespace Tertulia::Names
