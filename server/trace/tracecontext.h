#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QStringView>

#include <optional>

namespace Tertulia::Trace {

/// A W3C Trace Context (https://www.w3.org/TR/trace-context/, level 1): which trace a span belongs to, the
/// span, and the flags. A value type with pure parsing and formatting; only start() and childSpan() draw
/// random ids (libsodium).
struct TraceContext
{
    QByteArray traceId;   ///< 16 bytes, not all zero
    QByteArray spanId;    ///< 8 bytes, not all zero
    quint8 flags = 0;

    static constexpr quint8 kSampled = 0x01;

    bool isSampled() const { return flags & kSampled; }
    bool isValid() const;
    QString traceIdHex() const { return QString::fromLatin1(traceId.toHex()); }
    QString spanIdHex() const { return QString::fromLatin1(spanId.toHex()); }
    /// "00-<trace id>-<span id>-<flags>", the traceparent header's form.
    QString traceparent() const;

    /// Parses a traceparent as the W3C asks: version "ff" and all-zero ids are invalid; a version 00 value is
    /// exactly 55 characters; a later version may append "-..." after the flags, which is ignored. Lowercase
    /// hex only. nullopt for anything else (the caller then starts a trace of its own).
    static std::optional<TraceContext> parse(QStringView traceparent);
    /// A new trace with a random id, sampled.
    static TraceContext start();
    /// A new span of the same trace, with the same flags.
    TraceContext childSpan() const;
    /// 8 random bytes that are not all zero.
    static QByteArray randomSpanId();

    friend bool operator==(const TraceContext &, const TraceContext &) = default;
};

} // namespace Tertulia::Trace
