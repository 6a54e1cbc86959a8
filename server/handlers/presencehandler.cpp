#include "server/handlers/presencehandler.h"

#include "server/handlers/servercontext.h"
#include "server/rooms/presencetracker.h"
#include "server/rooms/roomregistry.h"
#include "server/session/monotonicclock.h"
#include "shared/names.h"

#include <QtCore/QDateTime>

using namespace Qt::StringLiterals;

namespace Tertulia {

using namespace Protocol;

PresenceHandler::PresenceHandler(ServerContext &context, QObject *parent) : QObject(parent), RequestHandler(context)
{
    m_expiry.setInterval(500);
    connect(&m_expiry, &QTimer::timeout, this, &PresenceHandler::expireTyping);
}

void PresenceHandler::handle(Session &session, const Request &request)
{
    switch (request.type) {
    case RequestType::Typing:
        typing(session, request);
        return;
    case RequestType::Presence: {
        const auto p = params<PresenceParams>(session, request);
        if (!p)
            return;
        session.setPresence(p->status);
        m_context.presence.refresh(session.userKey(), session.user());
        session.reply(Reply::ok(request.id));
        return;
    }
    case RequestType::Ping:
        session.reply(Reply::ok(request.id, {{QLatin1StringView("ts"), QDateTime::currentMSecsSinceEpoch()}}));
        return;
    default:
        fail(session, request, ErrorCode::UnknownType, u"not a presence request"_s);
    }
}

void PresenceHandler::typing(Session &session, const Request &request)
{
    const auto p = params<TypingParams>(session, request);
    if (!p)
        return;
    withRoom(session, request, p->room, Access::Member,
             [this, request, active = p->active](Session &asker, Room *found) {
                 if (found)
                     typing(asker, request, *found, active);
             });
}

void PresenceHandler::typing(Session &session, const Request &request, Room &target, bool active)
{
    Room *room = &target;
    session.reply(Reply::ok(request.id));

    const qint64 now = m_context.clock.nowMs();
    const QString key = room->key() + u'\n' + session.userKey();
    auto it = m_typing.find(key);
    if (!active) {
        if (it != m_typing.end()) {
            forwardTyping(*it, false);
            m_typing.erase(it);
        }
        return;
    }
    if (it == m_typing.end())
        it = m_typing.insert(key, Typing{room->name(), session.user(), 0, 0});
    it->expiresMs = now + kTypingTimeoutMs;
    if (it->lastForwardMs == 0 || now - it->lastForwardMs >= kTypingForwardIntervalMs) {
        it->lastForwardMs = now;
        forwardTyping(*it, true);
    }
    if (!m_expiry.isActive())
        m_expiry.start();
}

void PresenceHandler::forwardTyping(const Typing &typing, bool active)
{
    Room *room = m_context.rooms.loaded(typing.room); // it was held when the notice came
    if (!room)
        return;
    m_context.rooms.publish(BusEvent::typing(room->record(), typing.user, active));
}

void PresenceHandler::expireTyping()
{
    const qint64 now = m_context.clock.nowMs();
    for (auto it = m_typing.begin(); it != m_typing.end();) {
        if (it->expiresMs <= now) {
            forwardTyping(*it, false);
            it = m_typing.erase(it);
        } else {
            ++it;
        }
    }
    if (m_typing.isEmpty())
        m_expiry.stop();
}

} // namespace Tertulia
