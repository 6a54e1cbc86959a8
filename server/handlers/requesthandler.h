#pragma once

#include "server/session/session.h"
#include "shared/protocol/frames.h"

#include <QtCore/QList>

#include <optional>

namespace Tertulia {

class Room;
struct ServerContext;

/// A feature of the native protocol: the request types it serves, and how. Handlers are small and know
/// nothing of each other; the server routes each request type to exactly one handler.
class RequestHandler
{
public:
    explicit RequestHandler(ServerContext &context) : m_context(context) { }
    virtual ~RequestHandler() = default;
    RequestHandler(const RequestHandler &) = delete;
    RequestHandler &operator=(const RequestHandler &) = delete;

    virtual QList<Protocol::RequestType> types() const = 0;
    /// Must send exactly one reply to the request, now or later.
    virtual void handle(Session &session, const Protocol::Request &request) = 0;

protected:
    /// Decodes the request's payload, or answers with the decoding error and returns nothing.
    template<typename Params>
    static std::optional<Params> params(Session &session, const Protocol::Request &request)
    {
        auto parsed = Params::fromJson(request.data);
        if (auto *error = std::get_if<Protocol::Error>(&parsed)) {
            session.reply(Protocol::Reply::failure(request.id, *error));
            return std::nullopt;
        }
        return std::get<Params>(std::move(parsed));
    }

    static void fail(Session &session, const Protocol::Request &request, Protocol::ErrorCode code,
                     const QString &message)
    {
        session.reply(Protocol::Reply::failure(request.id, code, message));
    }

    enum class Access {
        Visible, ///< public, or private and the user is a member, invited or its creator (join, leave, invite)
        Read,    ///< public, or private and the user is a member (history, members)
        Member,  ///< the user is a member (send, typing)
    };
    /// The room the request names, if the session may use it so; otherwise answers and returns null. A private
    /// room the user cannot see answers not_found, exactly like a missing one, so names cannot be probed;
    /// a visible room the user is not in answers forbidden when membership is needed.
    Room *accessibleRoom(Session &session, const Protocol::Request &request, const QString &name, Access access);

    /// Who the session's user is in a room, for moderation (issue 13): its role there, or above every role
    /// for a server administrator (who acts for rooms without an owner, and for any other).
    enum class Standing { Member = 0, Moderator = 1, Owner = 2, Administrator = 3 };
    /// One store probe for the administrator flag (moderation requests only, never on the delivery path).
    Standing standing(const Session &session, const Room &room) const;

    /// Whether a message's text (a new one or an edit) is within the configured size, in UTF-8 bytes;
    /// otherwise answers too_large and returns false. One check, so a message and its edits share the limit.
    bool textFits(Session &session, const Protocol::Request &request, const QString &text);

    /// Whether the session's user is muted in the room (issue 13); if so answers forbidden (saying until
    /// when) and returns true. For send and edit.
    bool isMuted(Session &session, const Protocol::Request &request, const Room &room);

    ServerContext &m_context;
};

} // namespace Tertulia
