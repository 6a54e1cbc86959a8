#include "app/session/mentions.h"

#include "shared/names.h"

using namespace Qt::StringLiterals;

namespace Tertulia::Mentions {

namespace {
bool isAsciiAlnum(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
}
/// The characters of a user name (Names::isValidUserName).
bool isNameChar(QChar c) { return isAsciiAlnum(c) || c == u'_' || c == u'.' || c == u'-'; }

/// An '@' at i can start a mention: not inside a word or an address ("bob@example.org", "a@@b").
bool canStartAt(const QString &text, qsizetype i)
{
    if (i == 0)
        return true;
    const QChar before = text.at(i - 1);
    return !(before.isLetterOrNumber() || before == u'_' || before == u'.' || before == u'-' || before == u'@'
             || before == u'+');
}

/// The end of the name that starts at from: name characters, less the trailing punctuation.
qsizetype nameEnd(const QString &text, qsizetype from)
{
    qsizetype end = from;
    while (end < text.size() && isNameChar(text.at(end)))
        ++end;
    // "@bob." ends a sentence; a name starts with a letter or digit and cannot end in "." either way.
    while (end > from && !isAsciiAlnum(text.at(end - 1)))
        --end;
    return end;
}
} // namespace

QList<Mention> find(const QString &text, const QSet<QString> &known)
{
    QList<Mention> found;
    for (qsizetype i = text.indexOf(u'@'); i >= 0; i = text.indexOf(u'@', i + 1)) {
        if (!canStartAt(text, i))
            continue;
        const qsizetype end = nameEnd(text, i + 1);
        // A letter of another script right after the name ("@bobé") makes it some other word.
        if (end < text.size() && (text.at(end).isLetterOrNumber() || text.at(end) == u'@'))
            continue;
        const QString name = text.mid(i + 1, end - i - 1);
        if (!Names::isValidUserName(name))
            continue;
        const QString user = Names::canonical(name);
        if (known.contains(user))
            found.append({i, end - i, user});
    }
    return found;
}

bool mentions(const QString &text, const QString &user)
{
    return !user.isEmpty() && !find(text, {Names::canonical(user)}).isEmpty();
}

std::optional<Partial> partialAt(const QString &text, qsizetype cursor)
{
    if (cursor < 0 || cursor > text.size())
        return std::nullopt;
    qsizetype at = cursor;
    while (at > 0 && isNameChar(text.at(at - 1)))
        --at;
    if (at == 0 || text.at(at - 1) != u'@' || !canStartAt(text, at - 1))
        return std::nullopt;
    // The word goes on after the cursor: completing would split it.
    if (cursor < text.size() && isNameChar(text.at(cursor)))
        return std::nullopt;
    return Partial{at - 1, text.mid(at, cursor - at)};
}

QStringList complete(const QStringList &candidates, const QString &prefix, const QString &exclude)
{
    const QString key = Names::canonical(prefix);
    const QString excluded = Names::canonical(exclude);
    QStringList matches;
    for (const QString &name : candidates) {
        const QString canonical = Names::canonical(name);
        if (canonical.startsWith(key) && canonical != excluded && !matches.contains(name))
            matches.append(name);
    }
    return matches;
}

} // namespace Tertulia::Mentions
