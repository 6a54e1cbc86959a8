#pragma once

#include "app/net/serveraddress.h"

#include <QtCore/QDateTime>
#include <QtCore/QList>
#include <QtCore/QObject>

#include <optional>

class QSettings;

namespace Tertulia {

/// The servers this profile has used, most recent first, with the last user of each. The app
/// reopens the first one and signs in silently from the keychain. Stored with QSettings in an INI
/// file of the profile (no secrets in it: tokens live in the CredentialStore).
class ServerList final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerList)

public:
    struct Entry
    {
        ServerAddress address;
        QString lastUser;    ///< empty when the user chose not to be remembered
        QString displayName; ///< the server's own name from `hello`, if known
        QDateTime lastUsed;
        friend bool operator==(const Entry &, const Entry &) = default;
    };

    static constexpr int kMaxEntries = 20;

    explicit ServerList(const QString &settingsFile, QObject *parent = nullptr);
    ~ServerList() override;

    QList<Entry> entries() const { return m_entries; }
    /// The server to reopen at start-up.
    std::optional<Entry> last() const;
    std::optional<Entry> find(const ServerAddress &address) const;

    /// Puts the server first (adding it if new) and saves at once.
    void remember(const ServerAddress &address, const QString &user, const QString &displayName = {},
                  const QDateTime &when = QDateTime::currentDateTimeUtc());
    /// Keeps the server but forgets its user (after signing out without "remember me").
    void forgetUser(const ServerAddress &address);
    void forget(const ServerAddress &address);

Q_SIGNALS:
    void changed();

private:
    void load();
    void save();

    std::unique_ptr<QSettings> m_settings;
    QList<Entry> m_entries;
};

} // namespace Tertulia
