#pragma once

#include "server/handlers/requesthandler.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QTimer>

namespace Tertulia {

/// `typing`, `presence` and `ping`. Typing is forwarded at most once a second per user and room (unless it
/// stops), and a typing user who goes quiet for 6 s is announced as stopped.
class PresenceHandler final : public QObject, public RequestHandler
{
    Q_OBJECT

public:
    explicit PresenceHandler(ServerContext &context, QObject *parent = nullptr);

    QList<Protocol::RequestType> types() const override
    {
        return {Protocol::RequestType::Typing, Protocol::RequestType::Presence, Protocol::RequestType::Ping};
    }
    void handle(Session &session, const Protocol::Request &request) override;

    static constexpr int kTypingTimeoutMs = 6000;
    static constexpr int kTypingForwardIntervalMs = 1000;

private:
    struct Typing
    {
        QString room;
        QString user;
        qint64 lastForwardMs = 0;
        qint64 expiresMs = 0;
    };
    void typing(Session &session, const Protocol::Request &request);
    void typing(Session &session, const Protocol::Request &request, Room &room, bool active);
    void forwardTyping(const Typing &typing, bool active);
    void expireTyping();

    QHash<QString, Typing> m_typing;   ///< "roomKey\nuserKey" -> state, only while active
    QTimer m_expiry;
};

} // namespace Tertulia
