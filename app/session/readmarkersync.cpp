#include "app/session/readmarkersync.h"

#include "app/logging.h"
#include "app/session/chatroom.h"
#include "app/session/connectionmanager.h"
#include "app/session/roomdirectory.h"
#include "shared/names.h"
#include "shared/protocol/frames.h"

namespace Tertulia {

ReadMarkerSync::ReadMarkerSync(ConnectionManager &connection, RoomDirectory &rooms, QObject *parent)
    : QObject(parent), m_connection(connection), m_rooms(rooms)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(kCoalesceMs);
    connect(&m_timer, &QTimer::timeout, this, &ReadMarkerSync::flush);
}

void ReadMarkerSync::track(ChatRoom *room, bool saved)
{
    const QString key = Names::canonical(room->name());
    if (!saved)
        m_defaulted.insert(key); // met just now: the server's marker, when it has one, says how far we read
    apply(room, room->info().readSeq);
    if (saved && room->readSeq() > m_server.value(key) && room->isJoined())
        noteRead(room, room->readSeq()); // read here while the server did not hear (offline)
    // list_rooms after every (re)connect updates the room's info with the server's marker.
    connect(room, &ChatRoom::infoChanged, this, [this, room] { apply(room, room->info().readSeq); });
}

void ReadMarkerSync::noteRead(ChatRoom *room, qint64 seq)
{
    if (m_applying)
        return; // the server's own marker
    Q_EMIT readHere(room, seq);
    const QString key = Names::canonical(room->name());
    m_defaulted.remove(key); // read here: a marker of ours from now on
    if (seq <= m_server.value(key))
        return; // the server has it (or told us)
    m_waiting.insert(key);
    if (!m_timer.isActive())
        m_timer.start();
}

void ReadMarkerSync::applyServer(const QString &name, qint64 seq)
{
    if (ChatRoom *room = m_rooms.find(name))
        apply(room, seq);
}

void ReadMarkerSync::apply(ChatRoom *room, qint64 seq)
{
    if (seq <= 0)
        return;
    const QString key = Names::canonical(room->name());
    qint64 &known = m_server[key];
    known = std::max(known, seq);
    const bool replace = m_defaulted.remove(key);
    if (seq > room->readSeq() || replace) {
        m_applying = true;
        room->setReadSeq(seq);
        m_applying = false;
    }
}

void ReadMarkerSync::flush()
{
    m_timer.stop();
    if (!m_connection.isAuthenticated())
        return; // kept: the sync after the next connect applies the server's markers, then sends what is left
    const QSet<QString> waiting = std::exchange(m_waiting, {});
    for (const QString &key : waiting) {
        ChatRoom *room = m_rooms.find(key);
        if (!room || !room->isJoined() || room->readSeq() <= m_server.value(key))
            continue;
        const QString name = room->name();
        m_connection.request(Protocol::Request::markRead({}, {name, room->readSeq()}), this,
                             [this, name](const Protocol::Reply &reply) {
            if (!reply.isOk()) { // e.g. an older server (unknown_type): the local marker still holds
                qCInfo(lcClientSession) << "mark_read failed:" << Protocol::describe(*reply.error);
                return;
            }
            const auto stored = Protocol::ReadMarker::fromJson(reply.data);
            if (const auto *marker = std::get_if<Protocol::ReadMarker>(&stored))
                applyServer(name, marker->seq);
        });
    }
}

void ReadMarkerSync::reset()
{
    m_timer.stop();
    m_server.clear();
    m_waiting.clear();
    m_defaulted.clear();
}

} // namespace Tertulia
