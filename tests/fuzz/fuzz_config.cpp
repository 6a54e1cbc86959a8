// The server's JSON config file (--config FILE): read from a file an administrator wrote, so hostile only by
// mistake, but it must still never crash and must refuse with one clear line.
#include "fuzzcheck.h"
#include "server/core/serverconfig.h"

#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>

using namespace Tertulia;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static QTemporaryDir dir;
    static const QString path = dir.path() + QStringLiteral("/config.json");
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return 0;
    file.write(reinterpret_cast<const char *>(data), qint64(size));
    file.close();
    ServerConfig config;
    if (const auto error = applyConfigFile(path, config)) {
        FUZZ_CHECK(!error->isEmpty() && !error->contains(u'\n'));
    } else {
        // Whatever was accepted is usable: limits stay positive where the server divides or sizes by them.
        FUZZ_CHECK(config.limits.maxTextBytes > 0);
        FUZZ_CHECK(config.limits.rateBurst > 0);
    }
    return 0;
}
