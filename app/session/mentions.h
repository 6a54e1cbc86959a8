#pragma once

#include <QtCore/QList>
#include <QtCore/QSet>
#include <QtCore/QString>

#include <optional>

namespace Tertulia::Mentions {

/// One `@name` in a message's text: where it is (the '@' included) and whom it names, in the canonical
/// form of user names (Names::canonical), so "@Alice" and "@alice" name the same person.
struct Mention
{
    qsizetype start = 0;  ///< index of the '@'
    qsizetype length = 0; ///< '@' plus the name
    QString user;         ///< canonical user name
    friend bool operator==(const Mention &, const Mention &) = default;
};

/// The mentions in text of the people in `known` (canonical names; an empty set knows nobody). An '@'
/// starts a mention only at the start of the text or after a character that cannot be part of a name
/// or an address (so "bob@example.org" is an e-mail address, not a mention of example.org), and the name
/// runs as long as user-name characters go; a trailing '.', '-' or '_' (end of a sentence: "@bob.") is
/// punctuation, not part of the name. Names nobody in `known` has are not mentions.
QList<Mention> find(const QString &text, const QSet<QString> &known);

/// Whether text mentions this user (any case).
bool mentions(const QString &text, const QString &user);

/// The name being typed just before `cursor` in a message box, for completion: the text after an '@'
/// that starts a mention (see find()) and runs to the cursor with user-name characters only. `start` is
/// the index of the '@'; `prefix` may be empty ("@" alone). nullopt when the cursor is not in one.
struct Partial
{
    qsizetype start = 0;
    QString prefix;
    friend bool operator==(const Partial &, const Partial &) = default;
};
std::optional<Partial> partialAt(const QString &text, qsizetype cursor);

/// The members of `candidates` whose names start with prefix (ignoring case), in order, without
/// `exclude` (our own name: nobody completes themselves).
QStringList complete(const QStringList &candidates, const QString &prefix, const QString &exclude = {});

} // namespace Tertulia::Mentions
