#pragma once

#include "server/handlers/moderation.h"
#include "server/session/session.h"
#include "server/store/store.h"
#include "shared/protocol/frames.h"

#include <QtCore/QList>
#include <QtCore/QPointer>

#include <functional>
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
    /// Then the room the request names, if the session may use it so: `then` gets it, or null once the request
    /// was answered (a private room the user cannot see answers not_found, exactly like a missing one, so
    /// names cannot be probed; a visible room the user is not in answers forbidden when membership is
    /// needed). What needs the store is read off the event loop (ask()): a room this node has not loaded yet
    /// (several nodes), and the invitation of a private room the user is neither in nor the creator of.
    /// Otherwise (a send, a typing notice, a history page of a loaded room) `then` runs now, in this call.
    /// Nothing runs once the session is gone.
    using RoomThen = std::function<void(Session &session, Room *room)>;
    void withRoom(Session &session, const Protocol::Request &request, const QString &name, Access access,
                  RoomThen then);

    /// Who the session's user is in a room, for moderation (issue 13): Moderation::standing().
    using Standing = Moderation::Standing;
    static Standing standing(const Session &session, const Room &room, bool admin)
    {
        return Moderation::standing(session.userKey(), room, admin);
    }

    /// Runs `job` off the event loop (Store::async()) and `then` with its result on the loop, while the
    /// session's later requests wait (Session::holdRequests(): per-session order is kept). `then` runs even
    /// when the session closed meanwhile (`session` null: what was written is still published); its context
    /// is the room registry, which outlives every request.
    template<typename Result>
    void ask(Session &session, std::function<Result(Store &)> job,
             std::function<void(Session *session, Result result)> then)
    {
        session.holdRequests();
        askStore<Result>(std::move(job), [s = QPointer<Session>(&session), then = std::move(then)](Result result) {
            then(s.data(), std::move(result));
            if (s)
                s->releaseRequests();
        });
    }

    /// Whether a message's text (a new one or an edit) is within the configured size, in UTF-8 bytes;
    /// otherwise answers too_large and returns false. One check, so a message and its edits share the limit.
    bool textFits(Session &session, const Protocol::Request &request, const QString &text);

    /// Whether the session's user is muted in the room (issue 13); if so answers forbidden (saying until
    /// when) and returns true. For send and edit.
    bool isMuted(Session &session, const Protocol::Request &request, const Room &room);

    /// Whether the room is archived (issue 13: read-only); if so answers `archived` and returns true. For
    /// send, edit, react and delete.
    static bool isArchived(Session &session, const Protocol::Request &request, const Room &room);

    ServerContext &m_context;

private:
    template<typename Result>
    void askStore(std::function<Result(Store &)> job, std::function<void(Result)> done)
    {
        contextStore().async<Result>(registryObject(), std::move(job), std::move(done));
    }
    Store &contextStore() const;
    QObject *registryObject() const;
    /// The checks of withRoom() once the room and the invitation are known (in memory).
    Room *checkAccess(Session &session, const Protocol::Request &request, const QString &name, Room *room,
                      Access access, bool invited);
};

} // namespace Tertulia
