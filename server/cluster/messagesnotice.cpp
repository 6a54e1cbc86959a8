#include "server/cluster/messagesnotice.h"

#include <QtCore/QSet>

#include <algorithm>

namespace Tertulia {

namespace {
/// A position as the notices write it: decimal digits only (no sign, no spaces), at most 18 of them.
std::optional<qint64> position(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 18
        || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    return text.toLongLong();
}

QByteArray wakeUp(const QByteArray &prefix, qint64 first, qint64 last)
{
    return prefix + QByteArray::number(first) + '|' + QByteArray::number(last);
}
} // namespace

QList<QByteArray> MessagesNotice::encode(const QString &node, qint64 first, qint64 last, QList<Traced> traced)
{
    const QByteArray prefix = "m|" + node.toUtf8() + '|';
    traced.removeIf([first, last](const Traced &t) { return t.position < first || t.position > last || !t.context.isValid(); });
    if (traced.isEmpty())
        return {wakeUp(prefix, first, last)};
    std::stable_sort(traced.begin(), traced.end(), [](const Traced &a, const Traced &b) { return a.position < b.position; });
    traced.erase(std::unique(traced.begin(), traced.end(),
                             [](const Traced &a, const Traced &b) { return a.position == b.position; }),
                 traced.end());
    QList<QByteArray> notices;
    qint64 from = first;
    for (qsizetype i = 0; i < traced.size(); i += kMaxTraced) {
        const qsizetype end = std::min(traced.size(), i + kMaxTraced);
        // The last notice covers the rest of the batch; the others end at their last traced message.
        const qint64 to = end == traced.size() ? last : traced.at(end - 1).position;
        QByteArray notice = wakeUp(prefix, from, to) + '|';
        for (qsizetype j = i; j < end; ++j) {
            if (j > i)
                notice += ',';
            notice += QByteArray::number(traced.at(j).position) + ':' + traced.at(j).context.traceparent().toLatin1();
        }
        notices.append(notice);
        from = to + 1;
    }
    return notices;
}

std::optional<MessagesNotice> MessagesNotice::parse(QByteArrayView text)
{
    // m|<node>|<first>|<last>[|<traced>[|<what a later version adds>]]
    if (!text.startsWith("m|"))
        return std::nullopt;
    const qsizetype bar1 = 1;
    const qsizetype bar2 = text.indexOf('|', bar1 + 1);
    const qsizetype bar3 = bar2 < 0 ? -1 : text.indexOf('|', bar2 + 1);
    if (bar3 < 0)
        return std::nullopt;
    const qsizetype bar4 = text.indexOf('|', bar3 + 1);
    const auto first = position(text.sliced(bar2 + 1, bar3 - bar2 - 1));
    const auto last = position(bar4 < 0 ? text.sliced(bar3 + 1) : text.sliced(bar3 + 1, bar4 - bar3 - 1));
    if (!first || !last)
        return std::nullopt;
    MessagesNotice notice;
    notice.node = QString::fromUtf8(text.sliced(bar1 + 1, bar2 - bar1 - 1));
    notice.first = *first;
    notice.last = *last;
    if (bar4 < 0 || text.size() > kMaxNoticeBytes)
        return notice;
    const qsizetype bar5 = text.indexOf('|', bar4 + 1);
    const QByteArrayView part = bar5 < 0 ? text.sliced(bar4 + 1) : text.sliced(bar4 + 1, bar5 - bar4 - 1);
    if (part.isEmpty() || part.count(',') >= kMaxTraced)
        return notice;
    QSet<qint64> seen;
    qsizetype from = 0;
    while (from <= part.size()) {
        qsizetype comma = part.indexOf(',', from);
        if (comma < 0)
            comma = part.size();
        const QByteArrayView entry = part.sliced(from, comma - from);
        from = comma + 1;
        const qsizetype colon = entry.indexOf(':');
        if (colon < 0)
            continue;
        const auto at = position(entry.first(colon));
        if (!at || *at < notice.first || *at > notice.last || seen.contains(*at))
            continue;
        const auto context = Trace::TraceContext::parse(QString::fromLatin1(entry.sliced(colon + 1)));
        if (!context)
            continue;
        seen.insert(*at);
        notice.traced.append(Traced{*at, *context});
    }
    std::sort(notice.traced.begin(), notice.traced.end(),
              [](const Traced &a, const Traced &b) { return a.position < b.position; });
    return notice;
}

} // namespace Tertulia
