#pragma once

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QString>

#include <memory>

namespace Tertulia {

/// The client's own small SQLite file in the profile's data directory: the outbox (messages not yet
/// acknowledged by the server, so they survive a restart), read markers (for unread counts
/// across restarts) and drafts (what was typed in a room and not sent). Rows are scoped by account ("<server id>/<user>") so several accounts can share
/// a profile. No secrets here: tokens live in the CredentialStore.
class ClientDatabase
{
public:
    struct OutboxRow
    {
        QString clientMsgId;
        QString room;
        QString text;
        qint64 createdMs = 0; ///< wall clock, ms since the epoch (UTC)
        bool failed = false;
        QString errorCode;    ///< protocol error code name when failed
        QString errorMessage;
        friend bool operator==(const OutboxRow &, const OutboxRow &) = default;
    };

    ~ClientDatabase();

    /// Opens (creating when needed) the file at path; null with *error on failure.
    static std::unique_ptr<ClientDatabase> open(const QString &path, QString *error = nullptr);

    QString path() const { return m_path; }

    /// Rows of the account in the order they were added.
    QList<OutboxRow> outbox(const QString &account) const;
    bool addOutbox(const QString &account, const OutboxRow &row);
    bool updateOutbox(const QString &account, const OutboxRow &row);
    bool removeOutbox(const QString &account, const QString &clientMsgId);

    QHash<QString, qint64> readMarkers(const QString &account) const;
    bool setReadMarker(const QString &account, const QString &room, qint64 seq);

    /// Unsent text per room (canonical name) of the account.
    QHash<QString, QString> drafts(const QString &account) const;
    /// Keeps the room's draft; an empty text removes it.
    bool setDraft(const QString &account, const QString &room, const QString &text);

private:
    ClientDatabase(QString connectionName, QString path);
    bool exec(const QString &statement) const;

    QString m_connection;
    QString m_path;
};

} // namespace Tertulia
