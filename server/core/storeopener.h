#pragma once

#include "server/store/store.h"

#include <QtCore/QString>

#include <memory>
#include <variant>

namespace Tertulia {

struct ServerConfig;

/// How the store runs beside the event loop, and whether it announces commits to other nodes.
struct StoreThreads
{
    bool readThread = true;   ///< long reads on a reader thread (StoreReader)
    bool writeThread = true;  ///< writes and the group commit on a writer thread (StoreWriter)
    /// PostgreSQL with the NOTIFY bus: this node's id, so every committed batch tells the other nodes. Empty:
    /// nothing is announced (SQLite, the Redis bus, and tools such as --create-admin that join no cluster).
    QString notifyNode;
};

/// The store the configuration names, opened (and migrated): SQLite in the data directory (created if
/// missing), or PostgreSQL at `--database`. The error says what went wrong otherwise. ChatServer and
/// tertulia-server's one-shot tools (--create-admin) open it the same way.
std::variant<std::unique_ptr<Store>, QString> openConfiguredStore(const ServerConfig &config, const StoreThreads &threads);

} // namespace Tertulia
