#pragma once

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QString>

#include <set>

namespace Tertulia {

class ConnectionManager;

/// Tells the server when a traced message was shown here (`displayed`, the last stage of a delivery trace:
/// docs/administration.md#delivery-traces). A `message` event carries `trace` only while the server traces that
/// message; this remembers those, and when the room is read here past one (the same moment the app counts it
/// as read: its room open at the newest messages, not a marker from another device), reports it once. At
/// most kMaxRemembered wait, the oldest forgotten first: a trace is a debugging aid, never a growing list.
class DisplayReports final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DisplayReports)

public:
    static constexpr int kMaxRemembered = 256;

    explicit DisplayReports(ConnectionManager &connection, QObject *parent = nullptr);

    /// Message `seq` of the room arrived traced.
    void noteTraced(const QString &room, qint64 seq);
    /// The room was read here up to `seq`: the traced messages up to it were shown.
    void noteRead(const QString &room, qint64 seq);
    /// Forgets everything (sign-in, sign-out).
    void reset();

    int remembered() const { return m_count; }

Q_SIGNALS:
    /// A report went out (tests, logs).
    void reported(const QString &room, qint64 seq);

private:
    ConnectionManager &m_connection;
    QHash<QString, std::set<qint64>> m_traced; ///< by canonical room name
    QHash<QString, QString> m_names;           ///< canonical name -> the name as the server spelled it
    int m_count = 0;
};

} // namespace Tertulia
