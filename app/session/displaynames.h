#pragma once

#include "shared/protocol/payloads.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QString>

namespace Tertulia {

/// The display names (issue 12) this client has heard of, for everyone: the user's own (hello), room members
/// (member lists), history senders (history pages) and renames (`profile_updated`). One per client, shared by
/// every room: a name is the person's, not the room's. Missing a name is harmless: the user name shows. The
/// versions of avatar pictures travel with the names and are kept here too (the UI fetches each picture once
/// per version); missing one is as harmless: the generated avatar shows.
class DisplayNames final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DisplayNames)

public:
    explicit DisplayNames(QObject *parent = nullptr) : QObject(parent) { }

    /// The user's display name; empty when none is known.
    QString of(const QString &user) const;
    /// What to show for the user: the display name, or the user name.
    QString shown(const QString &user) const;
    /// Records the user's display name (empty: none); emits changed() when it changed.
    void set(const QString &user, const QString &displayName);
    /// The version of the user's avatar picture; empty when they have none (or it is not known).
    QString avatarOf(const QString &user) const;
    /// Records it (empty: none); emits changed() when it changed.
    void setAvatar(const QString &user, const QString &version);
    /// Both parts of a profile (the hello's, `profile_updated`, an answer to a change): changed() once.
    void setProfile(const QString &user, const QString &displayName, const QString &avatar);
    /// Every member's entry, and a history page's senders.
    void learn(const QList<Protocol::Member> &members);
    void learn(const QMap<QString, QString> &displayNames);
    void learnAvatars(const QMap<QString, QString> &versions);
    /// Signed out: nothing is known any more.
    void clear();

Q_SIGNALS:
    void changed(const QString &user);

private:
    /// Sets or removes `value` under the user; whether it changed.
    static bool store(QHash<QString, QString> &hash, const QString &key, const QString &value);

    QHash<QString, QString> m_names; ///< canonical user name -> display name
    QHash<QString, QString> m_avatars; ///< canonical user name -> avatar picture version
};

} // namespace Tertulia
