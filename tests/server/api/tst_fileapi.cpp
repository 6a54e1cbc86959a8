// Files and images (issue 12) end to end: a real in-process server, uploads and downloads over real HTTP with
// Bearer tokens, messages carrying files over real WebSockets (native and Socket.IO). Every refusal is tried:
// no or a bad token, a room the user may not use, too large, a type that lies, too many, someone else's or an
// already sent file, a deleted message or room. Runs on SQLite, and on PostgreSQL as tst_fileapi_postgres.
#include "server/api/fileapi.h"
#include "support/printers.h"
#include "support/sioclient.h"
#include "support/testmain.h"
#include "support/testserver.h"
#include "support/wsclient.h"

#include <QtCore/QDir>
#include <QtCore/QJsonArray>
#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>
#include <QtCore/QtEndian>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Protocol;
using namespace Tertulia::Test;
using Testing::SioClient;
using L1 = QLatin1StringView;

namespace {
/// The header of a PNG of that size and some bytes after it (the server reads the header only).
QByteArray png(quint32 width, quint32 height)
{
    QByteArray bytes("\x89PNG\r\n\x1a\n", 8);
    char be[4];
    qToBigEndian<quint32>(13, be);
    bytes.append(be, 4).append("IHDR");
    qToBigEndian<quint32>(width, be);
    bytes.append(be, 4);
    qToBigEndian<quint32>(height, be);
    bytes.append(be, 4);
    bytes.append("\x08\x02\x00\x00\x00", 5);
    bytes.append(QByteArray(64, 'x'));
    return bytes;
}
} // namespace

class TestFileApi : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;

    void start(const ServerConfig &config = TestServer::testConfig())
    {
        m_server = std::make_unique<TestServer>(config);
    }
    QByteArray tokenOf(const QString &user) { return m_server->tokenOf(user); }

    std::unique_ptr<WsClient> connectAs(const QString &user)
    {
        return m_server->connectWith(QString::fromLatin1(tokenOf(user))); // the token the uploads use too
    }

    HttpResult upload(const QString &user, const QString &room, const QByteArray &bytes, const QByteArray &type,
                      const QString &name = u"cat.png"_s)
    {
        return m_server->http().post(u"/api/v1/rooms/%1/files?name=%2"_s.arg(room, QString::fromLatin1(QUrl::toPercentEncoding(name))),
                                     bytes, type, tokenOf(user));
    }
    QString uploaded(const QString &user, const QString &room, const QByteArray &bytes = png(640, 480),
                     const QByteArray &type = "image/png")
    {
        const HttpResult result = upload(user, room, bytes, type);
        return result.status == 201 ? result.json.value(L1("id")).toString() : QString();
    }
    HttpResult download(const QString &user, const QString &id)
    {
        return m_server->http().send("GET", u"/api/v1/files/"_s + id, {}, tokenOf(user));
    }

    static Reply sendFile(WsClient &client, const QString &room, const QString &fileId, const QString &clientId,
                          const QString &text = {})
    {
        SendParams params{room, text, clientId};
        params.fileId = fileId;
        return client.request(Request::send({}, params));
    }
    static HistoryPage history(WsClient &client, const QString &room)
    {
        return payloadOf<HistoryPage>(client.request(Request::history({}, {room, {}, {}, 50})).data);
    }

private Q_SLOTS:
    void cleanup() { m_server.reset(); }

    /*! An image: uploaded (201 with its size read from the header), sent as a message without text, delivered
        live to every member with the same file, in history, by resume after a reconnect, and over Socket.IO;
        downloaded with the headers that keep a browser safe. */
    void imageEndToEnd()
    {
        start();
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        QVERIFY(alice->request(Request::createRoom({}, {u"general"_s, false})).isOk());
        QVERIFY(bob->request(Request::join({}, u"general"_s)).isOk());
        auto sio = std::make_unique<SioClient>(m_server->httpUrl());
        QVERIFY(sio->connect({{L1("token"), QString::fromLatin1(tokenOf(u"carol"_s))}}).startsWith(u"40{"));
        QCOMPARE(sio->request(u"join"_s, {{L1("room"), u"general"_s}}).value(L1("type")).toString(), u"ok"_s);

        const QByteArray bytes = png(640, 480);
        const HttpResult stored = upload(u"alice"_s, u"general"_s, bytes, "image/png", u"gato ñ \"1\".png"_s);
        QCOMPARE(stored.status, 201);
        const FileInfo info = payloadOf<FileInfo>(stored.json);
        QCOMPARE(info.name, u"gato ñ \"1\".png"_s);
        QCOMPARE(info.type, u"image/png"_s);
        QCOMPARE(info.size, bytes.size());
        QCOMPARE(info.width, 640);
        QCOMPARE(info.height, 480);
        QVERIFY(info.id.size() >= 22);

        // Sent with no text: everyone gets it with its file.
        const Reply sent = sendFile(*alice, u"general"_s, info.id, u"a1"_s);
        QVERIFY2(sent.isOk(), qPrintable(sent.error ? sent.error->message : QString()));
        QTRY_COMPARE(bob->messages(u"general"_s).size(), 1);
        QCOMPARE(bob->messages(u"general"_s).first().file, info);
        QVERIFY(bob->messages(u"general"_s).first().text.isEmpty());
        QVERIFY(sio->waitForEvents(u"message"_s, 1));
        const QJsonObject sioMessage = sio->events(u"message"_s).first().at(1).toObject();
        QCOMPARE(sioMessage.value(L1("file")).toObject(), info.toJson());
        QCOMPARE(history(*bob, u"general"_s).messages.first().file, info);
        // A retry is the same message.
        const Reply retry = sendFile(*alice, u"general"_s, info.id, u"a1"_s);
        QVERIFY(retry.isOk() && payloadOf<SendResult>(retry.data).duplicate);

        // Downloaded by a member: the bytes, as an image, inline, kept from doing anything else.
        const HttpResult got = download(u"bob"_s, info.id);
        QCOMPARE(got.status, 200);
        QCOMPARE(got.body, bytes);
        QCOMPARE(got.header("content-type"), "image/png");
        QCOMPARE(got.header("x-content-type-options"), "nosniff");
        QVERIFY(got.header("content-security-policy").startsWith("sandbox"));
        QVERIFY(got.header("cache-control").startsWith("private"));
        QCOMPARE(got.header("content-disposition"),
                 "inline; filename=\"gato _ _1_.png\"; filename*=UTF-8''gato%20%C3%B1%20%221%22.png");

        // Bob away: a second file by Socket.IO; his resume brings it with its file.
        bob.reset();
        const QString second = uploaded(u"carol"_s, u"general"_s, png(16, 9));
        QVERIFY(!second.isEmpty());
        const QJsonObject ack = sio->request(u"send"_s, {{L1("room"), u"general"_s}, {L1("client_msg_id"), u"c1"_s},
                                                         {L1("text"), u"look"_s}, {L1("file"), QJsonObject{{L1("id"), second}}}});
        QCOMPARE(ack.value(L1("type")).toString(), u"ok"_s);
        bob = connectAs(u"bob"_s);
        ResumeParams params;
        params.rooms.insert(u"general"_s, 1);
        QVERIFY(bob->request(Request::resume({}, params)).isOk());
        QTRY_COMPARE(bob->messages(u"general"_s).size(), 1);
        const ChatMessage resumed = bob->messages(u"general"_s).first();
        QCOMPARE(resumed.text, u"look"_s);
        QVERIFY(resumed.file);
        QCOMPARE(resumed.file->id, second);
        QCOMPARE(resumed.file->width, 16);
        QCOMPARE(resumed.file->height, 9);
    }

    /*! Anything but the four image types is stored as it came and served as bytes to save; declaring an
        image's type for what is not one, or another image type, is refused (415), as are a missing name and
        an empty body. */
    void typesAndNames()
    {
        start();
        auto alice = connectAs(u"alice"_s);
        QVERIFY(alice->request(Request::createRoom({}, {u"general"_s, false})).isOk());

        const HttpResult text = upload(u"alice"_s, u"general"_s, "<script>alert(1)</script>", "text/html", u"../../x.html"_s);
        QCOMPARE(text.status, 201);
        const FileInfo info = payloadOf<FileInfo>(text.json);
        QCOMPARE(info.type, u"application/octet-stream"_s);
        QCOMPARE(info.name, u"x.html"_s); // the last path component only
        QCOMPARE(info.width, 0);
        QVERIFY(sendFile(*alice, u"general"_s, info.id, u"a1"_s, u"the page"_s).isOk());
        const HttpResult got = download(u"alice"_s, info.id);
        QCOMPARE(got.status, 200);
        QCOMPARE(got.header("content-type"), "application/octet-stream");
        QVERIFY(got.header("content-disposition").startsWith("attachment; "));

        QCOMPARE(upload(u"alice"_s, u"general"_s, "not a picture", "image/png").status, 415);
        QCOMPARE(upload(u"alice"_s, u"general"_s, png(2, 2), "image/jpeg").status, 415);
        QCOMPARE(upload(u"alice"_s, u"general"_s, png(2, 2), "application/octet-stream").status, 415);
        QCOMPARE(upload(u"alice"_s, u"general"_s, png(0, 2), "image/png").status, 415); // no size: not an image
        QCOMPARE(upload(u"alice"_s, u"general"_s, png(2, 2), "image/png", u""_s).status, 400);
        QCOMPARE(upload(u"alice"_s, u"general"_s, {}, "application/octet-stream").status, 400);
    }

    /*! Who may upload: a member of the room who is not banned or muted, with a valid token, into a room that is
        not archived; a private room is unknown to others. */
    void uploadRefusals()
    {
        start();
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        QVERIFY(alice->request(Request::createRoom({}, {u"general"_s, false})).isOk());
        QVERIFY(alice->request(Request::createRoom({}, {u"secret"_s, true})).isOk());
        QVERIFY(bob->request(Request::join({}, u"general"_s)).isOk());

        const HttpResult anonymous = m_server->http().post(u"/api/v1/rooms/general/files?name=a.png"_s, png(1, 1), "image/png");
        QCOMPARE(anonymous.status, 401);
        const HttpResult forged = m_server->http().post(u"/api/v1/rooms/general/files?name=a.png"_s, png(1, 1), "image/png",
                                                        "eyJhbGciOiJIUzI1NiJ9.e30.AAAA");
        QCOMPARE(forged.status, 401);
        QCOMPARE(upload(u"carol"_s, u"general"_s, png(1, 1), "image/png").status, 403);   // not a member
        QCOMPARE(upload(u"carol"_s, u"general"_s, png(1, 1), "image/png").errorCode(), u"forbidden"_s);
        QCOMPARE(upload(u"carol"_s, u"secret"_s, png(1, 1), "image/png").status, 404);    // cannot see it
        QCOMPARE(upload(u"carol"_s, u"nowhere"_s, png(1, 1), "image/png").status, 404);
        QCOMPARE(upload(u"alice"_s, u"bad name!"_s, png(1, 1), "image/png").status, 400);
        QCOMPARE(m_server->http().send("PUT", u"/api/v1/rooms/general/files"_s, {}, tokenOf(u"alice"_s)).status, 405);

        QVERIFY(alice->request(Request::moderation(RequestType::Mute, {}, {u"general"_s, u"bob"_s, {}, {}, {}})).isOk());
        QCOMPARE(upload(u"bob"_s, u"general"_s, png(1, 1), "image/png").status, 403);
        QVERIFY(alice->request(Request::moderation(RequestType::Unmute, {}, {u"general"_s, u"bob"_s, {}, {}, {}})).isOk());
        QCOMPARE(upload(u"bob"_s, u"general"_s, png(1, 1), "image/png").status, 201);
        QVERIFY(alice->request(Request::updateRoom({}, {u"general"_s, {}, {}, {}, true, {}})).isOk());
        const HttpResult archived = upload(u"alice"_s, u"general"_s, png(1, 1), "image/png");
        QCOMPARE(archived.status, 403);
        QCOMPARE(archived.errorCode(), u"archived"_s);
    }

    /*! The size limit is answered from Content-Length (413, the body not read), and uploads per user are
        limited (429 with Retry-After) across all of the user's devices. */
    void limits()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.maxFileBytes = 1000;
        config.limits.uploadBurst = 3;
        config.limits.uploadPerSecond = 0.01;
        start(config);
        auto alice = connectAs(u"alice"_s);
        QVERIFY(alice->request(Request::createRoom({}, {u"general"_s, false})).isOk());

        const HttpResult large = upload(u"alice"_s, u"general"_s, png(1, 1) + QByteArray(1000, 'x'), "image/png");
        QCOMPARE(large.status, 413);
        QCOMPARE(large.errorCode(), u"too_large"_s);
        // The refused one took nothing from the budget: three go through, the fourth waits.
        for (int i = 0; i < 3; ++i)
            QCOMPARE(upload(u"alice"_s, u"general"_s, png(1, 1), "image/png").status, 201);
        const HttpResult limited = upload(u"alice"_s, u"general"_s, png(1, 1), "image/png");
        QCOMPARE(limited.status, 429);
        QVERIFY(limited.header("retry-after").toInt() > 0);
    }

    /*! A body is timed by its progress, not in total (issue 12: a large file on a slow link): an upload sent
        slowly but steadily for several times the window is stored; one that stalls, and one that only trickles
        (slowloris), is cut with 408 a window later. The socket is driven by a timer, nothing sleeps. */
    void slowUploads()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.bodyTimeoutMs = 300;
        config.limits.minBodyBytesPerSecond = 500; // 150 bytes a window
        start(config);
        auto alice = connectAs(u"alice"_s);
        QVERIFY(alice->request(Request::createRoom({}, {u"general"_s, false})).isOk());
        const QByteArray body = png(64, 64) + QByteArray(12000, 'x');

        // Sends the head, then `chunk` bytes of the body every 50 ms (all of it, or `stallAfter` bytes), and
        // returns what the server answered and how long the body took to send.
        const auto trickle = [&](qsizetype chunk, qsizetype stallAfter, qint64 *sendingMs) {
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, m_server->server().port());
            if (!socket.waitForConnected(5000))
                return QByteArray();
            socket.write("POST /api/v1/rooms/general/files?name=slow.png HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                         + tokenOf(u"alice"_s) + "\r\nContent-Type: image/png\r\nContent-Length: "
                         + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n");
            QElapsedTimer clock;
            clock.start();
            qsizetype sent = 0;
            QTimer ticks;
            QObject::connect(&ticks, &QTimer::timeout, &socket, [&] {
                const qsizetype until = std::min(body.size(), stallAfter);
                if (sent < until) {
                    socket.write(body.mid(sent, std::min(chunk, until - sent)));
                    sent = std::min(until, sent + chunk);
                    *sendingMs = clock.elapsed();
                }
            });
            ticks.start(50);
            QByteArray answer;
            QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [&] { answer += socket.readAll(); });
            QSignalSpy closed(&socket, &QTcpSocket::disconnected);
            closed.wait(20000);
            return answer + socket.readAll();
        };

        // 300 bytes every 50 ms: about 2 s for the body, several times the window (the old rule: all in one).
        qint64 steadyMs = 0;
        const QByteArray steady = trickle(300, body.size(), &steadyMs);
        QVERIFY2(steady.startsWith("HTTP/1.1 201 "), steady.constData());
        QVERIFY2(steadyMs > 4 * config.limits.bodyTimeoutMs, qPrintable(QString::number(steadyMs)));

        // Stalls after 1 000 bytes: cut a window or two later, not at the end of the body.
        qint64 stalledMs = 0;
        const QByteArray stalled = trickle(250, 1000, &stalledMs);
        QVERIFY2(stalled.startsWith("HTTP/1.1 408 "), stalled.constData());
        QVERIFY(stalled.contains("stalled"));

        // 10 bytes every 50 ms is 60 a window, under the 150 asked for: cut after the first window.
        qint64 tricklingMs = 0;
        const QByteArray trickling = trickle(10, body.size(), &tricklingMs);
        QVERIFY2(trickling.startsWith("HTTP/1.1 408 "), trickling.constData());
        QVERIFY2(tricklingMs < 4 * config.limits.bodyTimeoutMs, qPrintable(QString::number(tricklingMs)));
    }

    /*! Uploads nobody sent are bounded per user: past the limit a new one waits until one is sent. */
    void unsentUploads()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.maxUnsentFiles = 2;
        start(config);
        auto alice = connectAs(u"alice"_s);
        QVERIFY(alice->request(Request::createRoom({}, {u"general"_s, false})).isOk());
        const QString first = uploaded(u"alice"_s, u"general"_s);
        QVERIFY(!uploaded(u"alice"_s, u"general"_s).isEmpty());
        const HttpResult third = upload(u"alice"_s, u"general"_s, png(1, 1), "image/png");
        QCOMPARE(third.status, 429);
        QCOMPARE(third.errorCode(), u"rate_limited"_s);
        QCOMPARE(upload(u"bob"_s, u"general"_s, png(1, 1), "image/png").status, 403); // others: their own count
        QVERIFY(sendFile(*alice, u"general"_s, first, u"a1"_s).isOk());
        QCOMPARE(upload(u"alice"_s, u"general"_s, png(1, 1), "image/png").status, 201);
    }

    /*! A message carries only a file its sender uploaded to that room and no message carries yet. */
    void sendRefusals()
    {
        start();
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        QVERIFY(alice->request(Request::createRoom({}, {u"general"_s, false})).isOk());
        QVERIFY(alice->request(Request::createRoom({}, {u"other"_s, false})).isOk());
        QVERIFY(bob->request(Request::join({}, u"general"_s)).isOk());
        const QString inOther = uploaded(u"alice"_s, u"other"_s);
        const QString bobs = uploaded(u"bob"_s, u"general"_s);
        const QString mine = uploaded(u"alice"_s, u"general"_s);
        QVERIFY(!inOther.isEmpty() && !bobs.isEmpty() && !mine.isEmpty());

        QCOMPARE(errorCodeOf(sendFile(*alice, u"general"_s, inOther, u"a1"_s)), ErrorCode::NotFound);
        QCOMPARE(errorCodeOf(sendFile(*alice, u"general"_s, bobs, u"a2"_s)), ErrorCode::NotFound);
        QCOMPARE(errorCodeOf(sendFile(*alice, u"general"_s, u"AAAAAAAAAAAAAAAAAAAAAAAA"_s, u"a3"_s)), ErrorCode::NotFound);
        QVERIFY(sendFile(*alice, u"general"_s, mine, u"a4"_s).isOk());
        QCOMPARE(errorCodeOf(sendFile(*alice, u"general"_s, mine, u"a5"_s)), ErrorCode::NotFound); // sent already
        // Nothing was stored for the refused ones; without a file the text is still required.
        QCOMPARE(history(*alice, u"general"_s).messages.size(), 1);
        QCOMPARE(errorCodeOf(alice->request(Request::send({}, {u"general"_s, {}, u"a6"_s}))), ErrorCode::BadRequest);
        // An unsent upload is its uploader's alone.
        QCOMPARE(download(u"alice"_s, bobs).status, 404);
        QCOMPARE(download(u"bob"_s, bobs).status, 200);
    }

    /*! Who may download: whoever may read the room now (a public room's readers too); a private room's files
        are unknown to others, a banned user is refused, a deleted message's file and a deleted room's files are
        gone (from the disk too, with SQLite). */
    void downloadAuthorisation()
    {
        start();
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        QVERIFY(alice->request(Request::createRoom({}, {u"general"_s, false})).isOk());
        QVERIFY(alice->request(Request::createRoom({}, {u"secret"_s, true})).isOk());
        QVERIFY(bob->request(Request::join({}, u"general"_s)).isOk());
        const QString pub = uploaded(u"alice"_s, u"general"_s);
        const QString priv = uploaded(u"alice"_s, u"secret"_s);
        QVERIFY(sendFile(*alice, u"general"_s, pub, u"a1"_s).isOk());
        QVERIFY(sendFile(*alice, u"secret"_s, priv, u"a2"_s).isOk());

        QCOMPARE(download(u"carol"_s, pub).status, 200);  // a public room is readable
        QCOMPARE(download(u"carol"_s, priv).status, 404); // a private one is not even there
        QCOMPARE(download(u"alice"_s, priv).status, 200);
        QCOMPARE(m_server->http().get(u"/api/v1/files/"_s + pub).status, 401);
        QCOMPARE(download(u"alice"_s, u"no-such-file"_s).status, 404);
        QCOMPARE(download(u"alice"_s, u"..%2F..%2Fsecret.key"_s).status, 404);

        QVERIFY(alice->request(Request::moderation(RequestType::Ban, {}, {u"general"_s, u"bob"_s, {}, {}, {}})).isOk());
        QCOMPARE(download(u"bob"_s, pub).status, 403);
        QVERIFY(alice->request(Request::moderation(RequestType::Unban, {}, {u"general"_s, u"bob"_s, {}, {}, {}})).isOk());
        QCOMPARE(download(u"bob"_s, pub).status, 200);

        // The message deleted: its file is gone, and history shows no file.
        const qint64 seq = history(*alice, u"general"_s).messages.first().seq;
        QVERIFY(alice->request(Request::deleteMessage({}, {u"general"_s, seq, u"d1"_s})).isOk());
        QCOMPARE(download(u"alice"_s, pub).status, 404);
        QVERIFY(!history(*alice, u"general"_s).messages.first().file);
        const bool onDisk = m_server->databaseUrl().isEmpty();
        if (onDisk)
            QVERIFY(!QFile::exists(m_server->dataDir() + u"/files/"_s + pub));

        // The room deleted with its history: its files go.
        if (onDisk)
            QVERIFY(QFile::exists(m_server->dataDir() + u"/files/"_s + priv));
        QVERIFY(alice->request(Request::deleteRoom({}, {u"secret"_s, false, {}})).isOk());
        QCOMPARE(download(u"alice"_s, priv).status, 404);
        if (onDisk)
            QVERIFY(!QFile::exists(m_server->dataDir() + u"/files/"_s + priv));
    }

    /*! A direct conversation takes files as any room; nobody else sees them. */
    void directConversation()
    {
        start();
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        const Reply opened = alice->request(Request::openDirect({}, {u"bob"_s}));
        QVERIFY(opened.isOk());
        const QString room = payloadOf<RoomResult>(opened.data).room.name;
        const QString id = uploaded(u"alice"_s, room);
        QVERIFY(!id.isEmpty());
        QVERIFY(sendFile(*alice, room, id, u"a1"_s).isOk());
        QCOMPARE(download(u"bob"_s, id).status, 200);
        QCOMPARE(download(u"carol"_s, id).status, 404);
    }

    /*! The file survives a restart (stored durably, bytes and all). */
    void restart()
    {
        start();
        auto alice = connectAs(u"alice"_s);
        QVERIFY(alice->request(Request::createRoom({}, {u"general"_s, false})).isOk());
        const QByteArray bytes = png(3, 4);
        const QString id = uploaded(u"alice"_s, u"general"_s, bytes);
        QVERIFY(sendFile(*alice, u"general"_s, id, u"a1"_s).isOk());
        alice.reset();
        QVERIFY(m_server->restart());
        QCOMPARE(download(u"alice"_s, id).body, bytes);
        alice = connectAs(u"alice"_s);
        QCOMPARE(history(*alice, u"general"_s).messages.first().file->height, 4);
    }

    /*! Content-Disposition for any name (RFC 6266 and 5987). */
    void contentDisposition()
    {
        FileInfo image{u"x"_s, u"a b.png"_s, u"image/png"_s, 1, 1, 1};
        QCOMPARE(FileApi::contentDisposition(image), "inline; filename=\"a b.png\"; filename*=UTF-8''a%20b.png");
        FileInfo other{u"x"_s, u"informe\r\n€;\\.pdf"_s, u"application/octet-stream"_s, 1, 0, 0};
        QCOMPARE(FileApi::contentDisposition(other),
                 "attachment; filename=\"informe___;_.pdf\"; filename*=UTF-8''informe%0D%0A%E2%82%AC%3B%5C.pdf");
    }
};

TERTULIA_SERVER_TEST_MAIN(TestFileApi)
#include "tst_fileapi.moc"
