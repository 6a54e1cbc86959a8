// tertulia-native-peer: a desktop-protocol (tertulia.v1) client for the Node tests' mixed rooms. Qt,
// QWebSocket and the shared protocol codec, as the desktop app uses them. It signs in with the token in
// the Authorization header, then:
//   stdin:  one command per line: {"cmd":"join","room":"r"} | {"cmd":"send","room":"r","text":"..",
//           "client_msg_id":".."} | {"cmd":"quit"}
//   stdout: {"peer":"ready"} once `hello` arrived, then every frame the server sends, one per line.
#include "shared/protocol/frames.h"
#include "shared/version.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSocketNotifier>
#include <QtNetwork/QNetworkRequest>
#include <QtWebSockets/QWebSocket>

#include <cstdio>

#include <unistd.h>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Protocol;

namespace {
void emitLine(const QByteArray &line)
{
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Native-protocol test peer driven over stdin/stdout."_s);
    parser.addHelpOption();
    const QCommandLineOption urlOption(u"url"_s, u"WebSocket URL of the native protocol (ws://host:port/ws)."_s, u"URL"_s);
    const QCommandLineOption tokenOption(u"token"_s, u"Access token."_s, u"TOKEN"_s);
    parser.addOptions({urlOption, tokenOption});
    parser.process(app);
    if (!parser.isSet(urlOption) || !parser.isSet(tokenOption)) {
        std::fputs("tertulia-native-peer: --url and --token are required\n", stderr);
        return 2;
    }

    QWebSocket socket;
    QNetworkRequest request(QUrl(parser.value(urlOption)));
    request.setRawHeader("Sec-WebSocket-Protocol", kSubprotocol);
    request.setRawHeader("Authorization", "Bearer " + parser.value(tokenOption).toLatin1());
    int nextId = 0;

    QObject::connect(&socket, &QWebSocket::textMessageReceived, &app, [](const QString &text) {
        const auto frame = decodeServerFrame(text.toUtf8());
        if (const auto *event = std::get_if<Event>(&frame); event && event->type == EventType::Hello)
            emitLine(R"({"peer":"ready"})");
        emitLine(text.toUtf8());
    });
    QObject::connect(&socket, &QWebSocket::disconnected, &app, [&socket] {
        std::fprintf(stderr, "tertulia-native-peer: disconnected (%d %s)\n", int(socket.closeCode()),
                     qPrintable(socket.closeReason()));
        QCoreApplication::exit(socket.closeCode() == QWebSocketProtocol::CloseCodeNormal ? 0 : 1);
    });

    // Commands arrive on stdin; a notifier keeps the event loop free between lines. Read with read(2):
    // std::cin would buffer lines the notifier never announces again.
    QByteArray pending;
    auto runCommand = [&](const QByteArray &line) {
        const QJsonObject command = QJsonDocument::fromJson(line).object();
        const QString cmd = command.value(QLatin1StringView("cmd")).toString();
        const QString id = QString::number(++nextId);
        const QString room = command.value(QLatin1StringView("room")).toString();
        if (cmd == u"join") {
            socket.sendTextMessage(QString::fromUtf8(encode(Request::join(id, room))));
        } else if (cmd == u"send") {
            const SendParams params{room, command.value(QLatin1StringView("text")).toString(),
                                    command.value(QLatin1StringView("client_msg_id")).toString()};
            socket.sendTextMessage(QString::fromUtf8(encode(Request::send(id, params))));
        } else if (cmd == u"quit") {
            socket.close();
        }
    };
    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&input, &QSocketNotifier::activated, &app, [&] {
        char buffer[4096];
        const ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (got <= 0) {
            input.setEnabled(false);
            socket.close();
            return;
        }
        pending.append(buffer, qsizetype(got));
        qsizetype newline;
        while ((newline = pending.indexOf('\n')) >= 0) {
            const QByteArray line = pending.first(newline);
            pending.remove(0, newline + 1);
            if (!line.trimmed().isEmpty())
                runCommand(line);
        }
    });

    socket.open(request);
    return QCoreApplication::exec();
}
