// tertulia-bench-commit: the store's commit ceiling, without a server, a network or a load generator in the
// way (issue 9: "the commit ceiling, messages/s at batch 1, 16, 64"; bench/runner/commit.mjs runs it).
//
//   tertulia-bench-commit (--data-dir DIR | --database URL) --batch B --seconds S [--warmup W] [--rooms R]
//                         [--tag T] [--notify-node ID] [--hold-ms MS]
//
// It appends messages through the store's own group commit (Store::append(), exactly the server's path) with
// `maxBatch` = B and always 2 × B appends outstanding: one batch of B in its transaction on the writer thread,
// the next B gathered on the loop, handed over the moment the first is answered. So every transaction holds
// exactly B messages and the writer never waits for the loop: what comes out is what the store and its
// database can commit at that batch size. Messages go round-robin over R rooms of this process (so a batch
// locks several rooms, in order, as a server's does). Several processes with different --tag write into one
// PostgreSQL database at once: their rooms are their own, the global position row is shared (every batch of
// every node takes it, postgresstore.h), which is the serialisation being measured.
//
// --notify-node ID makes every batch NOTIFY as a cluster node's does (the NOTIFY bus), and a second
// connection LISTENs as another node would, counting what it hears (a check that the notices came).
//
// Prints one JSON object: messages committed in the measured window, messages/s, transactions (batches),
// each append's wait for its commit (p50, p99, max, ms) and this process's CPU per message (its loop and its
// writer thread). "window-start" and "window-end" on stderr mark the window, for a runner that samples the
// database's CPU over the same time.
#include "server/store/postgresstore.h"
#include "server/store/sqlitestore.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTimer>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlDriver>
#include <QtSql/QSqlError>

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

qint64 processCpuNs()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return qint64(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

struct Measure
{
    qint64 committed = 0;       ///< in the measured window
    qint64 failed = 0;          ///< appends answered with an error (anywhere: there should be none)
    qint64 firstWindowNs = 0;   ///< the measured window, on the run's clock
    qint64 endWindowNs = 0;
    std::vector<qint64> waitsUs;   ///< each measured append's wait for its commit
    qint64 cpuStartNs = 0;      ///< this process's CPU time (loop and writer thread) at the window's start
    qint64 cpuEndNs = 0;
    quint64 firstCommit = 0;    ///< the store's commit count when the window's first and last appends were answered
    quint64 lastCommit = 0;
};

double percentile(std::vector<qint64> &values, double p)
{
    if (values.empty())
        return 0;
    const auto index = std::min(values.size() - 1, static_cast<size_t>(p * static_cast<double>(values.size())));
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index), values.end());
    return static_cast<double>(values[index]) / 1000.0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Measures how many messages a store commits per second at a fixed batch size."_s);
    parser.addHelpOption();
    const QCommandLineOption dataDir(u"data-dir"_s, u"A directory for a SQLite store."_s, u"dir"_s);
    const QCommandLineOption database(u"database"_s, u"A PostgreSQL URL."_s, u"url"_s);
    const QCommandLineOption batchOption(u"batch"_s, u"Messages per transaction."_s, u"n"_s);
    const QCommandLineOption secondsOption(u"seconds"_s, u"The measured window."_s, u"s"_s, u"5"_s);
    const QCommandLineOption warmupOption(u"warmup"_s, u"Seconds before the window (not counted)."_s, u"s"_s, u"1"_s);
    const QCommandLineOption roomsOption(u"rooms"_s, u"Rooms of this process."_s, u"n"_s, u"4"_s);
    const QCommandLineOption tagOption(u"tag"_s, u"Names this process's user and rooms."_s, u"tag"_s, u"w0"_s);
    const QCommandLineOption notifyOption(u"notify-node"_s, u"NOTIFY every batch as this node, and LISTEN."_s, u"id"_s);
    const QCommandLineOption holdOption(u"hold-ms"_s, u"Keep the connections this long after the window."_s, u"ms"_s, u"0"_s);
    parser.addOptions({dataDir, database, batchOption, secondsOption, warmupOption, roomsOption, tagOption, notifyOption,
                       holdOption});
    parser.process(app);

    bool ok = false;
    const int batch = parser.value(batchOption).toInt(&ok);
    const double seconds = parser.value(secondsOption).toDouble();
    const double warmup = parser.value(warmupOption).toDouble();
    const int roomCount = parser.value(roomsOption).toInt();
    if (parser.isSet(dataDir) == parser.isSet(database) || !ok || batch <= 0 || seconds <= 0 || warmup < 0
        || roomCount <= 0 || seconds > 600) {
        std::fprintf(stderr, "usage: tertulia-bench-commit (--data-dir DIR | --database URL) --batch B "
                             "[--seconds S (at most 600)] [--warmup W] [--rooms R] [--tag T] [--notify-node ID]\n");
        return 2;
    }

    QString error;
    std::unique_ptr<Tertulia::Store> store;
    std::optional<Tertulia::PostgresAddress> address;
    if (parser.isSet(database)) {
        address = Tertulia::PostgresAddress::fromUrl(parser.value(database), &error);
        if (!address) {
            std::fprintf(stderr, "tertulia-bench-commit: %s\n", qPrintable(error));
            return 2;
        }
        auto options = Tertulia::PostgresStore::Options::at(*address, batch);
        options.notifyNode = parser.value(notifyOption);
        store = std::make_unique<Tertulia::PostgresStore>(options);
    } else {
        QDir().mkpath(parser.value(dataDir));
        Tertulia::SqliteStore::Options options;
        options.path = parser.value(dataDir) + u"/tertulia.db"_s;
        options.maxBatch = batch;
        store = std::make_unique<Tertulia::SqliteStore>(options);
    }
    if (!store->open(&error)) {
        std::fprintf(stderr, "tertulia-bench-commit: %s\n", qPrintable(error));
        return 1;
    }

    // The listener another node would be: it must hear every batch's notice.
    qint64 noticesHeard = 0;
    const QString listenConnection = u"bench-listen"_s;
    if (address && parser.isSet(notifyOption)) {
        QSqlDatabase listener = QSqlDatabase::addDatabase(u"QPSQL"_s, listenConnection);
        address->applyTo(listener);
        if (!listener.open() || !listener.driver()->subscribeToNotification(
                                     QString::fromLatin1(Tertulia::PostgresStore::kNotifyChannel))) {
            std::fprintf(stderr, "tertulia-bench-commit: cannot LISTEN: %s\n", qPrintable(listener.lastError().text()));
            return 1;
        }
        // Other writers' notices come too: count this node's (`m|<node>|first|last`, one per batch).
        const QString ours = u"m|"_s + parser.value(notifyOption) + u'|';
        QObject::connect(listener.driver(), &QSqlDriver::notification, &app,
                         [&noticesHeard, ours](const QString &, QSqlDriver::NotificationSource, const QVariant &payload) {
                             if (payload.toString().startsWith(ours))
                                 ++noticesHeard;
                         });
    }

    const QString tag = parser.value(tagOption);
    const QString sender = u"commit-"_s + tag;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    store->createUser(Tertulia::UserRecord{sender, "!bench", false, now});
    QList<Tertulia::RoomRecord> rooms;
    for (int i = 0; i < roomCount; ++i) {
        const auto made = store->createRoom(Tertulia::RoomRecord{0, u"commit-%1-%2"_s.arg(tag).arg(i), false, sender, 0, now});
        if (!std::holds_alternative<Tertulia::RoomRecord>(made)) {
            std::fprintf(stderr, "tertulia-bench-commit: cannot create room %d (is this tag already used?)\n", i);
            return 1;
        }
        rooms.append(std::get<Tertulia::RoomRecord>(made));
    }

    // A message as a chat's: ~80 characters of text.
    const QString filler(64, u'x');
    QElapsedTimer clock;
    clock.start();
    const qint64 windowStartNs = static_cast<qint64>(warmup * 1e9);
    const qint64 windowEndNs = windowStartNs + static_cast<qint64>(seconds * 1e9);
    Measure measure;
    measure.waitsUs.reserve(1 << 20);
    qint64 sent = 0;
    qint64 outstanding = 0;
    bool stopping = false;

    std::function<void()> sendOne;
    std::function<void()> refill;
    std::function<void()> finish;
    sendOne = [&] {
        const qint64 n = sent++;
        ++outstanding;
        const qint64 askedNs = clock.nsecsElapsed();
        Tertulia::AppendRequest request{rooms.at(static_cast<int>(n % roomCount)), sender, u"m"_s + QString::number(n),
                                        u"message %1 "_s.arg(n) + filler};
        store->append(request, [&, askedNs](const Tertulia::StoreResult<Tertulia::AppendResult> &result) {
            --outstanding;
            const qint64 doneNs = clock.nsecsElapsed();
            if (!std::holds_alternative<Tertulia::AppendResult>(result)) {
                ++measure.failed;
            } else if (askedNs >= windowStartNs && doneNs <= windowEndNs) {
                // Counted by the group commit (on this thread) before it answers the batch's appends.
                measure.lastCommit = store->commitCount();
                if (measure.committed == 0) {
                    measure.firstCommit = measure.lastCommit;
                    measure.firstWindowNs = askedNs;
                    measure.cpuStartNs = processCpuNs();
                    // The runner samples the database's CPU between the two marks.
                    std::fprintf(stderr, "window-start\n");
                    std::fflush(stderr);
                }
                ++measure.committed;
                measure.endWindowNs = doneNs;
                if (measure.waitsUs.size() < measure.waitsUs.capacity())
                    measure.waitsUs.push_back((doneNs - askedNs) / 1000);
            }
            if (doneNs >= windowEndNs && !stopping) {
                stopping = true;
                measure.cpuEndNs = processCpuNs();
                std::fprintf(stderr, "window-end\n");
                std::fflush(stderr);
            }
            if (!stopping)
                refill();
            else if (outstanding == 0)
                finish();
        });
    };
    // A batch's answers come together; the appends that replace them are sent after the last of them. Sent
    // from within the callbacks, the first one would find the group commit idle with B + 1 pending and hand
    // over a batch of B and one of 1.
    qint64 owed = 0;
    refill = [&] {
        if (owed++ > 0)
            return;
        QTimer::singleShot(0, &app, [&] {
            const qint64 count = std::exchange(owed, 0);
            for (qint64 i = 0; i < count && !stopping; ++i)
                sendOne();
            if (stopping && outstanding == 0)
                finish();
        });
    };
    // The database's processes for these connections end with them: a runner that samples their CPU at
    // "window-end" needs them a moment longer (--hold-ms).
    finish = [&] {
        QTimer::singleShot(parser.value(holdOption).toInt(), &app, &QCoreApplication::quit);
    };
    quint64 commitsBefore = 0; // the set-up's (rooms, members) are not the run's
    QTimer::singleShot(0, &app, [&] {
        commitsBefore = store->commitCount();
        for (int i = 0; i < 2 * batch; ++i)
            sendOne();
    });
    // A bound on the whole run whatever the store does (a stalled database must not hang the suite).
    QTimer::singleShot(static_cast<int>((warmup + seconds) * 1000) + 60'000, &app, [&] {
        std::fprintf(stderr, "tertulia-bench-commit: the store stopped answering\n");
        QCoreApplication::exit(1);
    });
    const int rc = app.exec();
    if (rc != 0)
        return rc;
    // Notices still on their way when the last commit was answered (one per transaction).
    const qint64 transactions = static_cast<qint64>(store->commitCount() - commitsBefore);
    if (address && parser.isSet(notifyOption)) {
        QElapsedTimer grace;
        grace.start();
        while (grace.elapsed() < 2000 && noticesHeard < transactions)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
    }

    // Measured from the window's first ask to its last answer: the rate while the pipeline was full.
    const double windowS = static_cast<double>(measure.endWindowNs - measure.firstWindowNs) / 1e9;
    QJsonObject out{
        {u"store"_s, address ? u"postgres"_s : u"sqlite"_s},
        {u"notify"_s, parser.isSet(notifyOption)},
        {u"tag"_s, tag},
        {u"batch"_s, batch},
        {u"rooms"_s, roomCount},
        {u"committed"_s, measure.committed},
        {u"failed"_s, measure.failed},
        {u"window_s"_s, windowS},
        {u"messages_per_s"_s, windowS > 0 ? static_cast<double>(measure.committed) / windowS : 0.0},
        {u"transactions_per_s"_s,
         windowS > 0 && measure.committed > 0 ? static_cast<double>(measure.lastCommit - measure.firstCommit + 1) / windowS : 0.0},
        {u"wait_ms"_s, QJsonObject{{u"p50"_s, percentile(measure.waitsUs, 0.50)},
                                   {u"p99"_s, percentile(measure.waitsUs, 0.99)},
                                   {u"max"_s, percentile(measure.waitsUs, 1.0)}}},
        {u"sent"_s, sent},
        {u"cpu_us_per_message"_s, measure.committed > 0
                                      ? static_cast<double>(measure.cpuEndNs - measure.cpuStartNs) / 1000.0 / measure.committed
                                      : 0.0},
    };
    if (address && parser.isSet(notifyOption)) {
        out.insert(u"notices_heard"_s, noticesHeard);
        out.insert(u"transactions"_s, transactions);
    }
    store->close();
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return measure.failed == 0 ? 0 : 1;
}
