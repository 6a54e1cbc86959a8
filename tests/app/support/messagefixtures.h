#pragma once

// Small builders for chat messages and sequence lists, shared by the client-core tests.
#include "app/session/chatroom.h"
#include "shared/protocol/payloads.h"

#include <QtCore/QList>

namespace Tertulia::Testing {

/// 2025-03-14 09:30 UTC, plus one second per seq: every message has a distinct, readable time.
inline constexpr qint64 kFixtureEpochMs = 1741944600000;

/// Message `seq` of a room; the client id defaults to one derived from the seq.
inline Protocol::ChatMessage message(qint64 seq, const QString &sender = QStringLiteral("bob"),
                                     const QString &clientMsgId = {}, const QString &room = QStringLiteral("general"))
{
    return {room, seq, sender, QStringLiteral("text %1").arg(seq),
            clientMsgId.isEmpty() ? QStringLiteral("c%1").arg(seq) : clientMsgId, kFixtureEpochMs + seq * 1000};
}

/// Messages first..last from bob.
inline QList<Protocol::ChatMessage> messages(qint64 first, qint64 last)
{
    QList<Protocol::ChatMessage> list;
    for (qint64 seq = first; seq <= last; ++seq)
        list << message(seq);
    return list;
}

inline QList<qint64> seqRange(qint64 first, qint64 last)
{
    QList<qint64> result;
    for (qint64 seq = first; seq <= last; ++seq)
        result << seq;
    return result;
}

/// The sequence numbers of a room's loaded messages, in timeline order.
inline QList<qint64> seqsOf(const ChatRoom &room)
{
    QList<qint64> result;
    for (const Protocol::ChatMessage &m : room.messages())
        result << m.seq;
    return result;
}

} // namespace Tertulia::Testing
