// tertulia-bench-seed --data-dir DIR --users N: the load generator's users u0 .. u<N-1>, each with one login
// "bench-u<i>", written into DIR/tertulia.db before tertulia-server starts there. The server honours only
// tokens of logins it knows (of users that exist), and signing 19 000 users in through the API would hash
// 19 000 passwords; tertulia-loadgen mints its tokens for exactly these logins (bench/README.md).
//
// tertulia-bench-seed --database URL --users N: the same into a PostgreSQL database, for nodes started with
// --store postgres (bench/runner/cluster.mjs). The store's own open() runs the migrations, so the schema is
// the one the nodes expect.
//
// --history-room NAME --history-messages N: also a public room NAME (made by u0) holding N messages of u0,
// for the history paging measurement (bench/runner/history.mjs).
#include "server/store/postgresstore.h"
#include "server/store/sqlitestore.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QDir>

#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Creates the load generator's users and logins in a data directory "
                                      u"or a PostgreSQL database."_s);
    parser.addHelpOption();
    const QCommandLineOption dataDir(u"data-dir"_s, u"The server's data directory (SQLite)."_s, u"dir"_s);
    const QCommandLineOption database(u"database"_s, u"A PostgreSQL URL (postgresql:///db?host=/socket/dir)."_s,
                                      u"url"_s);
    const QCommandLineOption users(u"users"_s, u"How many users (u0 .. u<N-1>)."_s, u"n"_s);
    const QCommandLineOption historyRoom(u"history-room"_s, u"A public room to fill with messages."_s, u"name"_s);
    const QCommandLineOption historyMessages(u"history-messages"_s, u"How many messages in it."_s, u"n"_s);
    parser.addOptions({dataDir, database, users, historyRoom, historyMessages});
    parser.process(app);
    bool ok = false;
    const int count = parser.value(users).toInt(&ok);
    if (parser.isSet(dataDir) == parser.isSet(database) || !ok || count <= 0) {
        std::fprintf(stderr, "usage: tertulia-bench-seed (--data-dir DIR | --database URL) --users N\n");
        return 2;
    }
    QString error;
    std::unique_ptr<Tertulia::Store> store;
    if (parser.isSet(database)) {
        const auto address = Tertulia::PostgresAddress::fromUrl(parser.value(database), &error);
        if (!address) {
            std::fprintf(stderr, "tertulia-bench-seed: %s\n", qPrintable(error));
            return 2;
        }
        store = std::make_unique<Tertulia::PostgresStore>(Tertulia::PostgresStore::Options::at(*address));
    } else {
        QDir().mkpath(parser.value(dataDir));
        store = std::make_unique<Tertulia::SqliteStore>(
            Tertulia::SqliteStore::Options{parser.value(dataDir) + u"/tertulia.db"_s});
    }
    if (!store->open(&error)) {
        std::fprintf(stderr, "tertulia-bench-seed: %s\n", qPrintable(error));
        return 1;
    }
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    for (int i = 0; i < count; ++i) {
        const QString user = u"u"_s + QString::number(i);
        // An unusable password hash: these accounts sign in only through minted tokens.
        store->createUser(Tertulia::UserRecord{user, "!bench", false, now});
        if (!store->createLogin(Tertulia::LoginRecord{u"bench-"_s + user, user, u"-"_s, false, now + 7 * 24 * 3600})) {
            std::fprintf(stderr, "tertulia-bench-seed: cannot store the login of %s\n", qPrintable(user));
            return 1;
        }
    }
    if (parser.isSet(historyRoom)) {
        const auto made = store->createRoom(Tertulia::RoomRecord{0, parser.value(historyRoom), false, u"u0"_s, 0, now});
        if (!std::holds_alternative<Tertulia::RoomRecord>(made)) {
            std::fprintf(stderr, "tertulia-bench-seed: cannot create the room %s\n", qPrintable(parser.value(historyRoom)));
            return 1;
        }
        const Tertulia::RoomRecord room = std::get<Tertulia::RoomRecord>(made);
        const int messages = parser.value(historyMessages).toInt();
        const QString filler(160, u'h');
        int stored = 0;
        for (int i = 0; i < messages; ++i) {
            store->append(Tertulia::AppendRequest{room, u"u0"_s, u"seed-"_s + QString::number(i),
                                                  u"history %1 "_s.arg(i) + filler},
                          [&stored](const Tertulia::StoreResult<Tertulia::AppendResult> &result) {
                              stored += std::holds_alternative<Tertulia::AppendResult>(result) ? 1 : 0;
                          });
            if (i % 500 == 499)
                store->flush(); // the callbacks run within: the SQL stores commit on this thread
        }
        store->flush();
        if (stored != messages) {
            std::fprintf(stderr, "tertulia-bench-seed: stored %d of %d messages\n", stored, messages);
            return 1;
        }
    }
    store->close();
    return 0;
}
