#pragma once

#include <QtCore/QString>
#include <QtCore/QStringList>

namespace Tertulia {

/// Delivery traces (docs/administration.md#delivery-traces): which messages are traced, and where the spans go.
struct TracingConfig
{
    /// An OTLP/HTTP collector's base URL (spans are POSTed as JSON to <endpoint>/v1/traces); empty: none, the
    /// traces are kept only in the in-memory ring the admin API reads.
    QString endpoint;
    /// The share of messages traced, 0 to 1 (default 0: only what is asked for below or by a client).
    double ratio = 0;
    /// Every message of these rooms, and every message these users send, is traced (while debugging).
    QStringList rooms;
    QStringList users;
    /// How many recent traces the node keeps for "what happened to message (room, seq)?".
    int ringSize = 1024;
};

} // namespace Tertulia
