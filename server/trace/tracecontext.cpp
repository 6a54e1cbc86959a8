#include "server/trace/tracecontext.h"

#include <sodium.h>

#include <algorithm>

namespace Tertulia::Trace {

namespace {
constexpr qsizetype kTraceIdBytes = 16;
constexpr qsizetype kSpanIdBytes = 8;
constexpr qsizetype kVersion00Length = 55; // 2 + 1 + 32 + 1 + 16 + 1 + 2

bool isLowerHex(QStringView text)
{
    return std::all_of(text.begin(), text.end(),
                       [](QChar c) { return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'); });
}

bool allZero(const QByteArray &bytes)
{
    return std::all_of(bytes.cbegin(), bytes.cend(), [](char c) { return c == 0; });
}

QByteArray randomBytes(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    do {
        randombytes_buf(bytes.data(), size_t(bytes.size()));
    } while (allZero(bytes));
    return bytes;
}
} // namespace

bool TraceContext::isValid() const
{
    return traceId.size() == kTraceIdBytes && spanId.size() == kSpanIdBytes && !allZero(traceId)
           && !allZero(spanId);
}

QString TraceContext::traceparent() const
{
    return QStringLiteral("00-%1-%2-%3")
        .arg(traceIdHex(), spanIdHex(), QString::fromLatin1(QByteArray(1, char(flags)).toHex()));
}

std::optional<TraceContext> TraceContext::parse(QStringView text)
{
    if (text.size() < kVersion00Length)
        return std::nullopt;
    const QStringView version = text.mid(0, 2);
    if (!isLowerHex(version) || version == u"ff")
        return std::nullopt;
    // Version 00 is exactly this long; a later version may carry more after a dash.
    if (version == u"00" ? text.size() != kVersion00Length
                         : (text.size() > kVersion00Length && text.at(kVersion00Length) != u'-'))
        return std::nullopt;
    if (text.at(2) != u'-' || text.at(35) != u'-' || text.at(52) != u'-')
        return std::nullopt;
    const QStringView traceId = text.mid(3, 32);
    const QStringView spanId = text.mid(36, 16);
    const QStringView flags = text.mid(53, 2);
    if (!isLowerHex(traceId) || !isLowerHex(spanId) || !isLowerHex(flags))
        return std::nullopt;
    TraceContext context{QByteArray::fromHex(traceId.toLatin1()), QByteArray::fromHex(spanId.toLatin1()),
                         quint8(flags.toUInt(nullptr, 16))};
    if (!context.isValid())
        return std::nullopt;
    return context;
}

TraceContext TraceContext::start() { return {randomBytes(kTraceIdBytes), randomBytes(kSpanIdBytes), kSampled}; }

TraceContext TraceContext::childSpan() const { return {traceId, randomSpanId(), flags}; }

QByteArray TraceContext::randomSpanId() { return randomBytes(kSpanIdBytes); }

} // namespace Tertulia::Trace
