// tertulia-store-fixture FILE: writes tests/data/upgrade/server-schema<N>.db (storefixture.h) with this
// release's SQLite store. Run once per schema version, when a release changes the schema; commit the file.
#include "server/store/sqlitestore.h"
#include "storefixture.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QFile>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: tertulia-store-fixture FILE\n");
        return 2;
    }
    const QString path = QString::fromLocal8Bit(argv[1]);
    QFile::remove(path);
    QString error;
    {
        Tertulia::SqliteStore store(Tertulia::SqliteStore::Options{path});
        if (!store.open(&error)) {
            std::fprintf(stderr, "tertulia-store-fixture: %s\n", qPrintable(error));
            return 1;
        }
        if (!Tertulia::StoreFixture::write(store)) {
            std::fprintf(stderr, "tertulia-store-fixture: writing the content failed\n");
            return 1;
        }
        store.close();
    }
    std::printf("%s\n", qPrintable(path));
    return 0;
}
