// The HTTP request-head parser: good heads, malformed heads, and random bytes.
#include "server/http/httprequest.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia::Http;

Q_DECLARE_METATYPE(Tertulia::Http::ParseError)

class TestHttpRequest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void goodHeads_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("queryEio");
        QTest::addColumn<bool>("keepAlive");
        QTest::addColumn<bool>("upgrade");

        QTest::newRow("get") << QByteArray("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n") << QByteArray("GET")
                             << u"/healthz"_s << QString() << true << false;
        QTest::newRow("http/1.0 closes") << QByteArray("GET / HTTP/1.0\r\n\r\n") << QByteArray("GET") << u"/"_s
                                         << QString() << false << false;
        QTest::newRow("http/1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
                                             << QByteArray("GET") << u"/"_s << QString() << true << false;
        QTest::newRow("close") << QByteArray("POST /api/v1/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}")
                               << QByteArray("POST") << u"/api/v1/login"_s << QString() << false << false;
        QTest::newRow("query") << QByteArray("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n")
                               << QByteArray("GET") << u"/socket.io/"_s << u"4"_s << true << false;
        QTest::newRow("percent path") << QByteArray("GET /a%20b HTTP/1.1\r\nHost: x\r\n\r\n") << QByteArray("GET")
                                      << u"/a b"_s << QString() << true << false;
        QTest::newRow("upgrade") << QByteArray("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n\r\n")
                                 << QByteArray("GET") << u"/ws"_s << QString() << true << true;
        // The blank line is the first CRLF CRLF, whatever follows (a body may start with CRLF).
        QTest::newRow("body starts with crlf") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n\r\n\r\n")
                                              << QByteArray("GET") << u"/"_s << QString() << true << false;
        QTest::newRow("header spacing") << QByteArray("GET / HTTP/1.1\r\nHost:x  \r\nX-A:\t v \r\n\r\n")
                                        << QByteArray("GET") << u"/"_s << QString() << true << false;
    }
    /*! Heads that must parse, with what they mean. */
    void goodHeads()
    {
        QFETCH(QByteArray, head);
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QString, queryEio);
        QFETCH(bool, keepAlive);
        QFETCH(bool, upgrade);
        const auto parsed = parseRequestHead(head, 8192);
        QVERIFY(std::holds_alternative<ParsedHead>(parsed));
        const ParsedHead &result = std::get<ParsedHead>(parsed);
        QCOMPARE(result.request.method, method);
        QCOMPARE(result.request.path, path);
        QCOMPARE(result.request.query.queryItemValue(u"EIO"_s), queryEio);
        QCOMPARE(result.request.keepAlive(), keepAlive);
        QCOMPARE(result.request.isWebSocketUpgrade(), upgrade);
        QCOMPARE(result.headLength, head.indexOf("\r\n\r\n") + 4);
    }

    void headerLookup()
    {
        const auto parsed = parseRequestHead("GET / HTTP/1.1\r\nHost: h\r\nX-Thing:  v1 \r\nContent-Length: 12\r\n\r\n", 8192);
        const Request &request = std::get<ParsedHead>(parsed).request;
        QCOMPARE(request.header("x-thing"), QByteArray("v1"));
        QCOMPARE(request.header("X-THING"), QByteArray("v1"));
        QCOMPARE(request.contentLength(), 12);
        QVERIFY(!request.hasHeader("missing"));
    }

    void badHeads_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<ParseError>("error");
        QTest::newRow("incomplete") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n") << ParseError::Incomplete;
        QTest::newRow("binary garbage") << QByteArray("\x16\x03\x01\x02\x00", 5) << ParseError::BadRequest;
        QTest::newRow("no version") << QByteArray("GET /\r\n\r\n") << ParseError::BadRequest;
        QTest::newRow("extra space") << QByteArray("GET  / HTTP/1.1\r\nHost: x\r\n\r\n") << ParseError::BadRequest;
        QTest::newRow("http/2") << QByteArray("GET / HTTP/2.0\r\nHost: x\r\n\r\n") << ParseError::BadVersion;
        QTest::newRow("absolute target") << QByteArray("GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n") << ParseError::BadRequest;
        QTest::newRow("missing host") << QByteArray("GET / HTTP/1.1\r\n\r\n") << ParseError::BadRequest;
        QTest::newRow("folded header") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n continued\r\n\r\n") << ParseError::BadRequest;
        QTest::newRow("no colon") << QByteArray("GET / HTTP/1.1\r\nHost x\r\n\r\n") << ParseError::BadRequest;
        QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : x\r\n\r\n") << ParseError::BadRequest;
        QTest::newRow("bad length") << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n") << ParseError::BadRequest;
        QTest::newRow("length with sign") << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\n") << ParseError::BadRequest;
        QTest::newRow("conflicting lengths") << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n") << ParseError::BadRequest;
        QTest::newRow("chunked") << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n") << ParseError::NotImplemented;
        QTest::newRow("control char") << QByteArray("GET / HTTP/1.1\r\nHost: x\x01y\r\n\r\n") << ParseError::BadRequest;
        QTest::newRow("stray cr before the blank line") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\r\n\r\n") << ParseError::BadRequest;
        QTest::newRow("lone cr line ends") << QByteArray("GET / HTTP/1.1\rHost: x\r\r") << ParseError::Incomplete;
        QTest::newRow("too large") << (QByteArray("GET / HTTP/1.1\r\nX: ") + QByteArray(9000, 'a')) << ParseError::HeadTooLarge;
    }
    /*! Malformed heads are refused with the right status class, never crash. */
    void badHeads()
    {
        QFETCH(QByteArray, head);
        QFETCH(ParseError, error);
        const auto parsed = parseRequestHead(head, 8192);
        QVERIFY(std::holds_alternative<HeadError>(parsed));
        QCOMPARE(std::get<HeadError>(parsed).error, error);
    }

    /*! Random and mutated heads never crash or read out of bounds (run under ASan in the asan preset). */
    void fuzz()
    {
        const QByteArray seed("POST /api/v1/login?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nConnection: Upgrade\r\n\r\nhello");
        quint32 state = 7;
        auto next = [&state] { state = state * 1103515245u + 12345u; return state >> 16; };
        int parsed = 0;
        for (int round = 0; round < 20000; ++round) {
            QByteArray bytes = seed;
            for (int e = 0, edits = 1 + int(next() % 8); e < edits; ++e) {
                const int at = int(next() % quint32(bytes.size()));
                switch (next() % 3) {
                case 0: bytes[at] = char(next()); break;
                case 1: bytes.remove(at, 1); break;
                default: bytes.insert(at, char(next())); break;
                }
            }
            const auto result = parseRequestHead(bytes, 256);
            if (std::holds_alternative<ParsedHead>(result))
                ++parsed;
        }
        QVERIFY(parsed > 0); // some mutations stay valid: the fuzzer reaches the success path too
    }
};

QTEST_APPLESS_MAIN(TestHttpRequest)
#include "tst_httprequest.moc"
