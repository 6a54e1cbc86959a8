// tertulia-chaos-peer: one ChaosClient in a process of its own, for what only a process can do: be frozen
// with SIGSTOP, or live in another network namespace whose link is taken down under it. It prints one
// JSON object per line on standard output and takes commands on standard input:
//   report   -> {"event":"report", "synced":…, "acked":…, "unacked":…, "drops":…, "anomalies":[…],
//                "rooms":{"<room>":{"count":…, "max":…, "digest":"<viewDigest>"}}}
//   pause    -> stops sending (what is queued still goes)
//   quit, or the end of input -> exits 0
// and announces {"event":"synced","times":n} each time it finishes a sync.
// It also serves the soak script (tests/chaos/soak.sh): --send N queues N messages (--every-ms apart),
// --forever keeps sending until stopped.
#include "chaos/chaosclient.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSocketNotifier>
#include <QtCore/QTimer>

#include <cstdio>

#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace Tertulia::Chaos;

namespace {
void print(const QJsonObject &object)
{
    const QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);
}

QJsonObject report(const ChaosClient &client)
{
    QJsonObject rooms;
    for (auto it = client.views().cbegin(); it != client.views().cend(); ++it) {
        rooms.insert(it.key(), QJsonObject{{"count"_L1, it->size()},
                                           {"max"_L1, client.maxHeld(it.key())},
                                           {"digest"_L1, QString::fromLatin1(viewDigest(*it))}});
    }
    return QJsonObject{{"event"_L1, u"report"_s},
                       {"synced"_L1, client.isSynced()},
                       {"acked"_L1, client.acked().size()},
                       {"unacked"_L1, client.unackedCount()},
                       {"drops"_L1, client.counters().drops},
                       {"anomalies"_L1, QJsonArray::fromStringList(client.anomalies())},
                       {"rooms"_L1, rooms}};
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"A chaos-suite client in a process of its own."_s);
    parser.addHelpOption();
    const QCommandLineOption url(u"url"_s, u"ws:// URL of /ws"_s, u"url"_s);
    const QCommandLineOption user(u"user"_s, u"user name (for client message ids)"_s, u"name"_s);
    const QCommandLineOption token(u"token"_s, u"access token"_s, u"token"_s);
    const QCommandLineOption tokenFile(u"token-file"_s, u"read the access token from a file"_s, u"file"_s);
    const QCommandLineOption rooms(u"rooms"_s, u"rooms it is a member of, comma-separated"_s, u"rooms"_s);
    const QCommandLineOption send(u"send"_s, u"messages to send (spread over the run)"_s, u"n"_s, u"0"_s);
    const QCommandLineOption everyMs(u"every-ms"_s, u"one message every this many ms"_s, u"ms"_s, u"20"_s);
    const QCommandLineOption forever(u"forever"_s, u"keep sending until stopped"_s);
    const QCommandLineOption textBytes(u"text-bytes"_s, u"size of each message's text in UTF-8 bytes"_s, u"n"_s, u"64"_s);
    const QCommandLineOption ensureRooms(u"ensure-rooms"_s, u"create or join the rooms after each sign-in"_s);
    parser.addOptions({url, user, token, tokenFile, rooms, send, everyMs, forever, textBytes, ensureRooms});
    parser.process(app);

    ChaosClient::Options options;
    options.user = parser.value(user);
    options.accessToken = parser.value(token);
    if (parser.isSet(tokenFile)) {
        QFile file(parser.value(tokenFile));
        if (!file.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "cannot read the token file\n");
            return 2;
        }
        options.accessToken = QString::fromLatin1(file.readAll().trimmed());
    }
    options.rooms = parser.value(rooms).split(u',', Qt::SkipEmptyParts);
    options.seed = quint32(::getpid());
    options.ensureRooms = parser.isSet(ensureRooms);
    // A restarted peer of the same user must not reuse the ids of the one before (its retries would be
    // taken for the old messages).
    options.idPrefix = u"%1.%2"_s.arg(options.user).arg(::getpid());
    if (options.user.isEmpty() || options.accessToken.isEmpty() || options.rooms.isEmpty() || !parser.isSet(url)) {
        std::fprintf(stderr, "--url, --user, --token (or --token-file) and --rooms are required\n");
        return 2;
    }
    const QUrl target(parser.value(url));
    ChaosClient client(options, [target] { return target; });

    int synced = 0;
    QObject::connect(&client, &ChaosClient::progressed, &app, [&client, &synced] {
        static bool wasSynced = false;
        if (client.isSynced() && !wasSynced)
            print(QJsonObject{{"event"_L1, u"synced"_s}, {"times"_L1, ++synced}});
        wasSynced = client.isSynced();
    });

    // Sending: one message per tick, into the rooms in turn; the outbox keeps at most a window in flight.
    int toSend = parser.value(send).toInt();
    const bool endless = parser.isSet(forever);
    const int bytes = std::max(8, parser.value(textBytes).toInt());
    int sent = 0;
    QTimer sender;
    QObject::connect(&sender, &QTimer::timeout, &app, [&] {
        if (!endless && sent >= toSend) {
            sender.stop();
            return;
        }
        if (client.unackedCount() > 256) // the server is away: do not pile up without bound
            return;
        const QString room = options.rooms.at(sent % options.rooms.size());
        const QString head = u"%1 %2 "_s.arg(options.user).arg(sent++);
        // '·' is two bytes of UTF-8: the text is `bytes` long on the wire (give or take one), not twice that.
        client.enqueue(room, head + QString(std::max<qsizetype>(0, (bytes - head.toUtf8().size()) / 2), u'·'));
    });
    if (toSend > 0 || endless)
        sender.start(std::max(1, parser.value(everyMs).toInt()));

    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    QByteArray pending;
    QObject::connect(&input, &QSocketNotifier::activated, &app, [&] {
        char buffer[256];
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n <= 0) {
            app.quit();
            return;
        }
        pending.append(buffer, n);
        for (qsizetype end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
            const QByteArray command = pending.left(end).trimmed();
            pending.remove(0, end + 1);
            if (command == "report")
                print(report(client));
            else if (command == "pause")
                sender.stop();
            else if (command == "quit")
                app.quit();
        }
    });

    client.start();
    const int code = app.exec();
    client.stop();
    return code;
}
