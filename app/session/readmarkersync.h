#pragma once

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QSet>
#include <QtCore/QString>
#include <QtCore/QTimer>

namespace Tertulia {

class ChatRoom;
class ConnectionManager;
class RoomDirectory;

/// Read markers synced with the server (issue 12), so what is read on one device is read on the others.
/// The local marker (ChatRoom::readSeq, kept in the ClientDatabase) stays the one the UI counts from and
/// the offline fallback; this keeps it and the server's in step, always taking the larger:
/// - a room read here further than the server knows is told with `mark_read`, coalesced: at most one
///   request per room per kCoalesceMs, and at once on flush() (a room switch, the window losing focus);
/// - a marker from the server (`read_seq` in `list_rooms`, on every (re)connect; `read_marker` events from
///   the user's other sessions; the answers) moves the local one forward, never back.
class ReadMarkerSync final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReadMarkerSync)

public:
    static constexpr int kCoalesceMs = 1000;

    ReadMarkerSync(ConnectionManager &connection, RoomDirectory &rooms, QObject *parent = nullptr);

    /// Follows a room the directory just added (its `read_seq` now and whenever `list_rooms` updates it).
    /// `saved`: the room's marker was restored from this device's storage (a room with none starts out read
    /// up to its newest message, which must not be taken for a read the server should hear of).
    void track(ChatRoom *room, bool saved);
    /// The room was read here up to `seq` (its local marker moved): tell the server, soon.
    void noteRead(ChatRoom *room, qint64 seq);
    /// The server's marker for a room (an event or an answer): moves the local one forward.
    void applyServer(const QString &room, qint64 seq);
    /// Sends every marker waiting now (when connected; otherwise they wait for the next sync).
    void flush();
    /// Forgets everything (sign-in, sign-out).
    void reset();

Q_SIGNALS:
    /// The room was read here up to `seq` (noteRead(), not a marker from the server or another device).
    void readHere(Tertulia::ChatRoom *room, qint64 seq);

private:
    /// Moves the local marker forward to the server's `seq` (or to it whatever it was, for a room whose
    /// marker is only the default of a room met just now).
    void apply(ChatRoom *room, qint64 seq);

    ConnectionManager &m_connection;
    RoomDirectory &m_rooms;
    QHash<QString, qint64> m_server; ///< by canonical room name: the highest marker the server is known to have
    QSet<QString> m_waiting;         ///< canonical names of rooms read here further than the server knows
    /// Rooms whose local marker is only where a room met just now starts (its newest message), not a read:
    /// the server's marker replaces it, even when lower.
    QSet<QString> m_defaulted;
    bool m_applying = false;         ///< the local marker is being moved to the server's (no read to tell)
    QTimer m_timer;
};

} // namespace Tertulia
