#include "server/core/storeopener.h"

#include "server/core/serverconfig.h"
#include "server/store/postgresstore.h"
#include "server/store/sqlitestore.h"

#include <QtCore/QDir>

namespace Tertulia {

using namespace Qt::StringLiterals;

std::variant<std::unique_ptr<Store>, QString> openConfiguredStore(const ServerConfig &config, const StoreThreads &threads)
{
    QString error;
    std::unique_ptr<Store> store;
    if (config.store == StoreKind::Postgres) {
        const auto address = PostgresAddress::fromUrl(config.databaseUrl, &error);
        if (!address)
            return error;
        PostgresStore::Options options;
        options.address = *address;
        options.notifyNode = threads.notifyNode;
        options.readThread = threads.readThread;
        options.writeThread = threads.writeThread;
        store = std::make_unique<PostgresStore>(options);
    } else {
        if (!QDir().mkpath(config.dataDir))
            return u"cannot create the data directory %1"_s.arg(config.dataDir);
        store = std::make_unique<SqliteStore>(SqliteStore::Options{config.dataDir + u"/tertulia.db"_s, config.fullSync,
                                                                   512, threads.readThread, threads.writeThread});
    }
    if (!store->open(&error))
        return error;
    return store;
}

} // namespace Tertulia
