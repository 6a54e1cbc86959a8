#pragma once

#include "server/handlers/requesthandler.h"

#include <memory>

namespace Tertulia {

namespace Trace {
struct MessageTrace;
}

/// `send`: store with the room's next sequence number, then deliver to the room, then ack. The ack is
/// sent only after the commit, so an acknowledged message is never lost; a retry with the same client
/// message id gets the original sequence number and stores nothing. A reply (`reply_to`) is checked by the
/// store, in the same transaction: its original must be a message of the room, not deleted.
class MessageHandler final : public RequestHandler
{
public:
    using RequestHandler::RequestHandler;

    QList<Protocol::RequestType> types() const override { return {Protocol::RequestType::Send}; }
    void handle(Session &session, const Protocol::Request &request) override;

private:
    void send(Session &session, const Protocol::Request &request, const Protocol::SendParams &params, Room *room,
              const std::shared_ptr<Trace::MessageTrace> &trace);
};

} // namespace Tertulia
