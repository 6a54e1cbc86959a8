#pragma once

#include "server/trace/tracecontext.h"

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QList>
#include <QtCore/QString>

#include <optional>

namespace Tertulia {

/// The wake-up a cluster bus sends when messages committed (docs/scaling.md, "How it works"):
/// `m|<node>|<first>|<last>`, the global positions of the batch. When some of them were traced on that node
/// (docs/administration.md#delivery-traces), a fifth field carries their trace contexts, so the other nodes
/// can record their part of each trace under the same trace id:
///
///     m|n1|41|45|42:00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01,45:00-...-01
///
/// each entry `<position>:<traceparent>`, the traceparent naming the trace and the sending node's span of the
/// `send` (the parent of the other nodes' `deliver` spans). An untraced batch's notice is unchanged, and a
/// node that does not know the fifth field ignores it. The store keeps the same contexts with the messages
/// (schema 16), which is what a reading node uses; the notice's are for the nodes of the previous version
/// during a rolling upgrade, whose messages have none stored and who read no stored ones. Pure.
struct MessagesNotice
{
    /// One traced message of the batch.
    struct Traced
    {
        qint64 position = 0;
        Trace::TraceContext context;
        friend bool operator==(const Traced &, const Traced &) = default;
    };
    /// Traced entries per notice, so that a notice stays far below NOTIFY's 8000 bytes (about 75 bytes each):
    /// a batch with more gets several notices, each covering its share of the positions.
    static constexpr int kMaxTraced = 64;
    /// The longest notice parse() reads a traced part of (a longer one is still a wake-up).
    static constexpr qsizetype kMaxNoticeBytes = 8000;

    QString node;
    qint64 first = 0;
    qint64 last = 0;
    QList<Traced> traced;   ///< ascending positions within [first, last]

    /// The notices of `node`'s batch at positions first..last, `traced` among them (entries outside the range
    /// or without a valid context are left out): one, `m|node|first|last` as always when none is traced;
    /// several, covering first..last together in order, when more than kMaxTraced are.
    static QList<QByteArray> encode(const QString &node, qint64 first, qint64 last, QList<Traced> traced);
    /// A notice heard from the bus: nullopt when it is not a message notice (another kind, positions that are
    /// not numbers). Its traced part is never trusted: an entry that does not parse, has an invalid context,
    /// lies outside [first, last] or repeats a position is left out, and so is the whole part of a notice
    /// longer than kMaxNoticeBytes or with more than kMaxTraced entries; the notice is still a wake-up.
    static std::optional<MessagesNotice> parse(QByteArrayView notice);
};

} // namespace Tertulia
