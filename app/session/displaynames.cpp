#include "app/session/displaynames.h"

#include "shared/identity.h"
#include "shared/names.h"

#include <QtCore/QSet>

namespace Tertulia {

QString DisplayNames::of(const QString &user) const { return m_names.value(Names::canonical(user)); }

QString DisplayNames::shown(const QString &user) const { return Identity::shownName(user, of(user)); }

bool DisplayNames::store(QHash<QString, QString> &hash, const QString &key, const QString &value)
{
    if (hash.value(key) == value)
        return false;
    if (value.isEmpty())
        hash.remove(key);
    else
        hash.insert(key, value);
    return true;
}

void DisplayNames::set(const QString &user, const QString &displayName)
{
    if (store(m_names, Names::canonical(user), displayName))
        Q_EMIT changed(user);
}

QString DisplayNames::avatarOf(const QString &user) const { return m_avatars.value(Names::canonical(user)); }

void DisplayNames::setAvatar(const QString &user, const QString &version)
{
    if (store(m_avatars, Names::canonical(user), version))
        Q_EMIT changed(user);
}

void DisplayNames::setProfile(const QString &user, const QString &displayName, const QString &avatar)
{
    const QString key = Names::canonical(user);
    const bool renamed = store(m_names, key, displayName);
    if (store(m_avatars, key, avatar) || renamed)
        Q_EMIT changed(user);
}

void DisplayNames::learn(const QList<Protocol::Member> &members)
{
    for (const Protocol::Member &member : members)
        setProfile(member.user, member.displayName, member.avatar);
}

void DisplayNames::learnAvatars(const QMap<QString, QString> &versions)
{
    for (auto it = versions.cbegin(); it != versions.cend(); ++it)
        setAvatar(it.key(), it.value());
}

void DisplayNames::learn(const QMap<QString, QString> &displayNames)
{
    for (auto it = displayNames.cbegin(); it != displayNames.cend(); ++it)
        set(it.key(), it.value());
}

void DisplayNames::clear()
{
    QSet<QString> known(m_names.keyBegin(), m_names.keyEnd());
    known.unite(QSet<QString>(m_avatars.keyBegin(), m_avatars.keyEnd()));
    m_names.clear();
    m_avatars.clear();
    for (const QString &user : std::as_const(known))
        Q_EMIT changed(user);
}

} // namespace Tertulia
