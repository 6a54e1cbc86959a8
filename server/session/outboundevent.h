#pragma once

#include "shared/protocol/frames.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <memory>
#include <optional>
#include <variant>

namespace Tertulia {

/// One event on its way to many sessions. Each wire format encodes it at most once, on first use, and every
/// recipient of that format shares the bytes (QString is implicitly shared). Single-threaded by design: it
/// lives on the server thread with the sessions.
class OutboundEvent
{
public:
    explicit OutboundEvent(Protocol::Event event, qint64 position = 0)
        : m_type(event.type), m_event(std::move(event)), m_eventBuilt(true), m_position(position)
    {
    }
    /// The events of the connect path (docs/benchmarks.md, issue 14), kept as their values: the native frame
    /// is written straight from them (Protocol::encodeHello(), encodeMemberJoined(), encodePresence()), and
    /// event() builds its QJsonObject only for a transport that asks for it (Socket.IO, a test's recording
    /// transport).
    static OutboundEvent hello(const Protocol::HelloInfo &info) { return OutboundEvent(Protocol::EventType::Hello, info); }
    static OutboundEvent memberJoined(const Protocol::MembershipEvent &membership)
    {
        return OutboundEvent(Protocol::EventType::MemberJoined, membership);
    }
    static OutboundEvent presence(const Protocol::PresenceEvent &presence)
    {
        return OutboundEvent(Protocol::EventType::Presence, presence);
    }

    Protocol::EventType type() const { return m_type; }
    /// The event with its data as a QJsonObject: built on first use for an event kept as its value.
    const Protocol::Event &event() const
    {
        if (!m_eventBuilt) {
            m_event.data = std::visit(Overloads{[](std::monostate) { return QJsonObject(); },
                                                [](const auto &value) { return value.toJson(); }},
                                      m_value);
            m_eventBuilt = true;
        }
        return m_event;
    }
    /// A `message`'s global position where the store keeps them (several nodes; 0 otherwise): Socket.IO's
    /// recovery offset, which every node understands.
    qint64 position() const { return m_position; }
    /// Whether it only tells who joined, left or changed presence: a transport may hold it back for a moment
    /// and send several at once (never past a later frame of the same connection). Chat messages and answers
    /// are never held.
    bool isNotification() const
    {
        using Protocol::EventType;
        return m_type == EventType::MemberJoined || m_type == EventType::MemberLeft || m_type == EventType::Presence;
    }
    /// The native `tertulia.v1` frame's JSON (UTF-8), encoded anew at each call.
    QByteArray encodeNative() const
    {
        return std::visit(Overloads{[this](std::monostate) { return Protocol::encode(m_event); },
                                    [](const Protocol::HelloInfo &hello) { return Protocol::encodeHello(hello); },
                                    [](const Protocol::MembershipEvent &membership) {
                                        return Protocol::encodeMemberJoined(membership);
                                    },
                                    [](const Protocol::PresenceEvent &presence) {
                                        return Protocol::encodePresence(presence);
                                    }},
                          m_value);
    }
    /// The native `tertulia.v1` frame.
    const QString &nativeFrame() const
    {
        if (!m_native)
            m_native = QString::fromUtf8(encodeNative());
        return *m_native;
    }
    /// A cache slot for other wire formats (Socket.IO), filled by their transport.
    QString &extraFrame() const { return m_extra; }
    /// The native frame as bytes on the wire, for transports that write frames themselves: the fast path
    /// (server/fastpath) fills it on first use with one complete server frame, header and UTF-8 payload,
    /// encoded straight from the event, and every fast-path recipient sends these very bytes.
    QByteArray &wireFrame() const { return m_wire; }

private:
    /// What a kept value becomes, one overload per kind (std::visit): a new kind that is not handled fails
    /// to compile instead of falling through to the empty event.
    template<typename... Fs>
    struct Overloads : Fs...
    {
        using Fs::operator()...;
    };
    template<typename... Fs>
    Overloads(Fs...) -> Overloads<Fs...>;

    /// Only the named constructors pair a type with its value.
    using Value = std::variant<std::monostate, Protocol::HelloInfo, Protocol::MembershipEvent, Protocol::PresenceEvent>;
    OutboundEvent(Protocol::EventType type, Value value)
        : m_type(type), m_value(std::move(value)), m_event{type, {}}
    {
    }

    Protocol::EventType m_type;
    Value m_value;                      ///< the event as its value, or nothing when m_event holds it
    mutable Protocol::Event m_event;    ///< its data built on first use when m_value holds the event
    mutable bool m_eventBuilt = false;
    qint64 m_position = 0;
    mutable std::optional<QString> m_native;
    mutable QString m_extra;
    mutable QByteArray m_wire;
};

using SharedEvent = std::shared_ptr<const OutboundEvent>;

inline SharedEvent makeEvent(Protocol::Event event, qint64 position = 0)
{
    return std::make_shared<const OutboundEvent>(std::move(event), position);
}

inline SharedEvent makeEvent(OutboundEvent event) { return std::make_shared<const OutboundEvent>(std::move(event)); }

} // namespace Tertulia
