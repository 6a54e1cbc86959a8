#include "app/storage/serverlist.h"

#include "app/logging.h"

#include <QtCore/QSettings>

using namespace Qt::StringLiterals;

namespace Tertulia {

ServerList::ServerList(const QString &settingsFile, QObject *parent)
    : QObject(parent), m_settings(std::make_unique<QSettings>(settingsFile, QSettings::IniFormat))
{
    load();
}

ServerList::~ServerList() = default;

void ServerList::load()
{
    m_entries.clear();
    const int size = m_settings->beginReadArray(u"servers"_s);
    for (int i = 0; i < size && m_entries.size() < kMaxEntries; ++i) {
        m_settings->setArrayIndex(i);
        const auto address = ServerAddress::parse(m_settings->value(u"address"_s).toString());
        if (!address) {
            qCWarning(lcClientStorage) << "skipping an unreadable server entry" << i;
            continue;
        }
        m_entries.append({*address, m_settings->value(u"user"_s).toString(),
                          m_settings->value(u"name"_s).toString(),
                          m_settings->value(u"lastUsed"_s).toDateTime()});
    }
    m_settings->endArray();
}

void ServerList::save()
{
    m_settings->remove(u"servers"_s);
    m_settings->beginWriteArray(u"servers"_s, int(m_entries.size()));
    for (int i = 0; i < m_entries.size(); ++i) {
        const Entry &entry = m_entries.at(i);
        m_settings->setArrayIndex(i);
        m_settings->setValue(u"address"_s, entry.address.id());
        m_settings->setValue(u"user"_s, entry.lastUser);
        m_settings->setValue(u"name"_s, entry.displayName);
        m_settings->setValue(u"lastUsed"_s, entry.lastUsed);
    }
    m_settings->endArray();
    m_settings->sync();
    if (m_settings->status() != QSettings::NoError)
        qCWarning(lcClientStorage) << "could not save the server list to" << m_settings->fileName();
    Q_EMIT changed();
}

std::optional<ServerList::Entry> ServerList::last() const
{
    if (m_entries.isEmpty())
        return std::nullopt;
    return m_entries.first();
}

std::optional<ServerList::Entry> ServerList::find(const ServerAddress &address) const
{
    for (const Entry &entry : m_entries) {
        if (entry.address == address)
            return entry;
    }
    return std::nullopt;
}

void ServerList::remember(const ServerAddress &address, const QString &user, const QString &displayName,
                          const QDateTime &when)
{
    Entry entry{address, user, displayName, when};
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).address == address) {
            if (entry.displayName.isEmpty())
                entry.displayName = m_entries.at(i).displayName;
            m_entries.removeAt(i);
            break;
        }
    }
    m_entries.prepend(entry);
    while (m_entries.size() > kMaxEntries)
        m_entries.removeLast();
    save();
}

void ServerList::forgetUser(const ServerAddress &address)
{
    for (Entry &entry : m_entries) {
        if (entry.address == address)
            entry.lastUser.clear();
    }
    save();
}

void ServerList::forget(const ServerAddress &address)
{
    m_entries.removeIf([&address](const Entry &entry) { return entry.address == address; });
    save();
}

} // namespace Tertulia
