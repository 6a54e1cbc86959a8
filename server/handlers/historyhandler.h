#pragma once

#include "server/handlers/requesthandler.h"

namespace Tertulia {

/// `history` pages and `resume` after a reconnect (replays what the client missed, per room, and says
/// whether the replay was complete). Both read off the event loop (Store::readHistory) and answer when the
/// read reports back.
class HistoryHandler final : public RequestHandler
{
public:
    using RequestHandler::RequestHandler;

    QList<Protocol::RequestType> types() const override
    {
        return {Protocol::RequestType::History, Protocol::RequestType::Resume};
    }
    void handle(Session &session, const Protocol::Request &request) override;

private:
    struct PendingResume;

    void history(Session &session, const Protocol::Request &request);
    void readPage(Session &session, const Protocol::Request &request, const Protocol::HistoryParams &params, Room &room);
    void resume(Session &session, const Protocol::Request &request);
    /// resume() once every room it names that this node can hold is held.
    void resumeLoaded(Session &session, const QString &requestId, const Protocol::ResumeParams &asked);
    /// Sends the replay read for a `resume`, then what came live meanwhile (`held`: deliveries were held for
    /// it), then the answer.
    void finishResume(Session &session, const PendingResume &pending, bool held);
};

} // namespace Tertulia
