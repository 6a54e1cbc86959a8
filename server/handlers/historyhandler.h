#pragma once

#include "server/handlers/requesthandler.h"

namespace Tertulia {

/// `history` pages and `resume` after a reconnect (replays what the client missed, per room, and says
/// whether the replay was complete).
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
    void history(Session &session, const Protocol::Request &request);
    void resume(Session &session, const Protocol::Request &request);
};

} // namespace Tertulia
