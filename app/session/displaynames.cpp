#include "app/session/displaynames.h"

#include "shared/identity.h"
#include "shared/names.h"

namespace Tertulia {

QString DisplayNames::of(const QString &user) const { return m_names.value(Names::canonical(user)); }

QString DisplayNames::shown(const QString &user) const { return Identity::shownName(user, of(user)); }

void DisplayNames::set(const QString &user, const QString &displayName)
{
    const QString key = Names::canonical(user);
    if (m_names.value(key) == displayName)
        return;
    if (displayName.isEmpty())
        m_names.remove(key);
    else
        m_names.insert(key, displayName);
    Q_EMIT changed(user);
}

void DisplayNames::learn(const QList<Protocol::Member> &members)
{
    for (const Protocol::Member &member : members)
        set(member.user, member.displayName);
}

void DisplayNames::learn(const QMap<QString, QString> &displayNames)
{
    for (auto it = displayNames.cbegin(); it != displayNames.cend(); ++it)
        set(it.key(), it.value());
}

void DisplayNames::clear()
{
    const QList<QString> known = m_names.keys();
    m_names.clear();
    for (const QString &user : known)
        Q_EMIT changed(user);
}

} // namespace Tertulia
