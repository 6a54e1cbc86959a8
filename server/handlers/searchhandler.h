#pragma once

#include "server/handlers/requesthandler.h"

#include <QtCore/QHash>

#include <atomic>
#include <memory>

namespace Tertulia {

/// `search` (issue 12): messages of the rooms the user may read that hold some words, newest first, a page at
/// a time. Authorised as `history`: a named room must be readable (a private room one is not in answers
/// not_found, a ban forbidden); without a room, every room the user is a member of and not banned from. The
/// store reads off the event loop (Store::readSearch) and the answer goes out when the read reports back. A
/// user may have ServerLimits::searchesInFlightPerUser searches waiting at once; more answer rate_limited.
class SearchHandler final : public RequestHandler
{
public:
    using RequestHandler::RequestHandler;

    QList<Protocol::RequestType> types() const override { return {Protocol::RequestType::Search}; }
    void handle(Session &session, const Protocol::Request &request) override;

private:
    /// Held while one search waits for the store; letting go counts it done. The last copy may go on the
    /// reader's thread (the read's callbacks are destroyed there too, and not run for a closed session),
    /// hence an atomic count rather than a callback on the loop.
    using Ticket = std::shared_ptr<void>;
    /// A ticket for the user's next search, or null when the user already has as many in flight as allowed.
    Ticket admit(const QString &userKey);
    /// Reads the page off the event loop and answers it.
    void read(Session &session, const Protocol::Request &request, const SearchRequest &search, Ticket ticket);

    /// Searches in flight by user; entries at zero are dropped when the table grows.
    QHash<QString, std::shared_ptr<std::atomic<int>>> m_inFlight;
};

} // namespace Tertulia
