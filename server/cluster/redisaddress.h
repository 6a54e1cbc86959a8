#pragma once

#include <QtCore/QString>

#include <optional>

namespace Tertulia {

/// Where a Redis server listens, from `--redis`: `redis://[:PASSWORD@]HOST[:PORT][/DB]` (port 6379 by
/// default) or `unix:///PATH/TO/SOCKET`. Pub/sub channels are the same in every database, so DB is accepted
/// and has no effect on the bus. Pure: no hiredis needed to parse one (the configuration checks it in every
/// build).
struct RedisAddress
{
    QString host;       ///< empty with a Unix socket
    int port = 6379;
    QString socketPath; ///< a Unix socket instead of host:port
    QString password;   ///< AUTH before anything else, when set

    /// nullopt with one clear line in `errorMessage` when `url` is not a Redis address.
    static std::optional<RedisAddress> fromUrl(const QString &url, QString *errorMessage);
    /// The address without its password, for logs and errors.
    QString displayUrl() const;
};

} // namespace Tertulia
