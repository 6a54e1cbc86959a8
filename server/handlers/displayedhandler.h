#pragma once

#include "server/handlers/requesthandler.h"

namespace Tertulia {

/// `displayed` (issue 13's delivery traces): a reader's client showed a traced message (one whose `message`
/// event carried `trace`). The report is kept with the message's trace (Tracer::displayed) when this session
/// was handed the message on this node; anything else (not traced, no longer in the ring, never delivered to
/// this session) is answered all the same, with `recorded: false`, and changes nothing. No store access: the
/// trace lives in this node's memory.
class DisplayedHandler final : public RequestHandler
{
public:
    using RequestHandler::RequestHandler;

    QList<Protocol::RequestType> types() const override { return {Protocol::RequestType::Displayed}; }
    void handle(Session &session, const Protocol::Request &request) override;
};

} // namespace Tertulia
