#pragma once

#include "server/handlers/requesthandler.h"

namespace Tertulia {

/// `search` (issue 12): messages of the rooms the user may read that hold some words, newest first, a page at
/// a time. Authorised as `history`: a named room must be readable (a private room one is not in answers
/// not_found, a ban forbidden); without a room, every room the user is a member of and not banned from. The
/// store reads off the event loop (Store::readSearch) and the answer goes out when the read reports back.
class SearchHandler final : public RequestHandler
{
public:
    using RequestHandler::RequestHandler;

    QList<Protocol::RequestType> types() const override { return {Protocol::RequestType::Search}; }
    void handle(Session &session, const Protocol::Request &request) override;

private:
    /// Reads the page off the event loop and answers it.
    void read(Session &session, const Protocol::Request &request, const SearchRequest &search);
};

} // namespace Tertulia
