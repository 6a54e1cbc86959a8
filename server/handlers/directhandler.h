#pragma once

#include "server/handlers/requesthandler.h"

namespace Tertulia {

/// Direct conversations (issue 12): `open_direct` answers the one room of two people, making it the first
/// time. Everything else (send, history, reactions, read markers, ...) treats it as the private room it is.
class DirectHandler final : public RequestHandler
{
public:
    using RequestHandler::RequestHandler;

    QList<Protocol::RequestType> types() const override;
    void handle(Session &session, const Protocol::Request &request) override;
};

} // namespace Tertulia
