// The RFC 6455 codec every path shares (server/websocket) on bytes alone: frame headers, what a server must
// refuse, message assembly with fragments and control frames, UTF-8 across fragments, close frames, server
// encoding, the handshake; good and malformed rows, and fuzz loops (random bytes in random chunks; random
// valid conversations).
#include "support/clientframes.h"

#include "server/websocket/utf8validator.h"
#include "server/websocket/websocketdecoder.h"
#include "server/websocket/websocketframe.h"
#include "server/websocket/websockethandshake.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QRandomGenerator>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::WebSocket;
using namespace Tertulia::Test;

namespace {

/// Feeds `input` to a decoder in chunks of the given sizes (the last repeats), keeping unconsumed bytes as the
/// connection does, and describes every result: "text:hello|ping:|close:1000:bye|failed:1002".
QByteArray decodeAll(const QByteArray &input, qint64 maxMessage, const QList<int> &chunks)
{
    WebSocketDecoder decoder(maxMessage);
    QByteArray pending;
    QByteArrayList out;
    qsizetype offset = 0;
    int chunkIndex = 0;
    while (offset < input.size()) {
        const int size = chunks.isEmpty() ? int(input.size()) : chunks.at(std::min<qsizetype>(chunkIndex++, chunks.size() - 1));
        pending += input.mid(offset, size);
        offset += size;
        QByteArrayView view(pending);
        for (;;) {
            WebSocketDecoder::Result r = decoder.next(view);
            using Kind = WebSocketDecoder::Kind;
            if (r.kind == Kind::NeedMore)
                break;
            switch (r.kind) {
            case Kind::Text: out << "text:" + r.payload; break;
            case Kind::Binary: out << "binary:" + r.payload.toHex(); break;
            case Kind::Ping: out << "ping:" + r.payload; break;
            case Kind::Pong: out << "pong:" + r.payload; break;
            case Kind::Close: out << "close:" + QByteArray::number(r.closeCode) + ':' + r.payload; break;
            case Kind::Failed: out << "failed:" + QByteArray::number(r.closeCode); break;
            case Kind::NeedMore: break;
            }
            if (r.kind == Kind::Failed)
                return out.join('|');
        }
        pending = view.toByteArray();
    }
    return out.join('|');
}

QByteArray bytesOf(const char *text) { return QByteArray(text); }

Http::Request upgradeRequest(QList<std::pair<QByteArray, QByteArray>> headers)
{
    Http::Request request;
    request.method = "GET";
    request.target = "/ws";
    request.path = u"/ws"_s;
    request.headers = {{"host", "127.0.0.1"},
                       {"upgrade", "websocket"},
                       {"connection", "Upgrade"},
                       {"sec-websocket-version", "13"},
                       {"sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="},
                       {"sec-websocket-protocol", "tertulia.v1"}};
    for (const auto &[name, value] : headers) {
        auto it = std::find_if(request.headers.begin(), request.headers.end(), [&](const auto &h) { return h.first == name; });
        if (it == request.headers.end())
            request.headers.append({name, value});
        else if (value.isNull())
            request.headers.erase(it);
        else
            it->second = value;
    }
    return request;
}

} // namespace

class TestWebSocketCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headers_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("headerLength");   // -1: need more, -2: error
        QTest::addColumn<bool>("fin");
        QTest::addColumn<int>("rsv");
        QTest::addColumn<int>("opcode");
        QTest::addColumn<bool>("masked");
        QTest::addColumn<quint64>("length");

        QTest::newRow("empty") << QByteArray() << -1 << true << 0 << 0 << false << quint64(0);
        QTest::newRow("one byte") << QByteArray("\x81", 1) << -1 << true << 0 << 0 << false << quint64(0);
        QTest::newRow("unmasked text 5") << QByteArray("\x81\x05hello") << 2 << true << 0 << 1 << false << quint64(5);
        QTest::newRow("masked, key missing") << QByteArray("\x81\x85\x01\x02", 4) << -1 << true << 0 << 1 << true << quint64(5);
        QTest::newRow("masked text 5") << textFrame("hello") << 6 << true << 0 << 1 << true << quint64(5);
        QTest::newRow("continuation, not fin") << continuationFrame("x", false) << 6 << false << 0 << 0 << true << quint64(1);
        QTest::newRow("rsv bits") << ClientFrame{0x1, "x", true, 5}.bytes() << 6 << true << 5 << 1 << true << quint64(1);
        QTest::newRow("16-bit length") << textFrame(QByteArray(300, 'a')) << 8 << true << 0 << 1 << true << quint64(300);
        QTest::newRow("16-bit length cut") << textFrame(QByteArray(300, 'a')).first(3) << -1 << true << 0 << 0 << false << quint64(0);
        QTest::newRow("64-bit length") << textFrame(QByteArray(70000, 'a')) << 14 << true << 0 << 1 << true << quint64(70000);
        QTest::newRow("64-bit length cut") << textFrame(QByteArray(70000, 'a')).first(9) << -1 << true << 0 << 0 << false << quint64(0);
        QTest::newRow("non-minimal 16-bit") << ClientFrame{0x1, "abc", true, 0, true, {1, 2, 3, 4}, 2}.bytes() << 8 << true << 0 << 1 << true << quint64(3);
        QTest::newRow("non-minimal 64-bit") << ClientFrame{0x1, "abc", true, 0, true, {1, 2, 3, 4}, 8}.bytes() << 14 << true << 0 << 1 << true << quint64(3);
        QTest::newRow("64-bit top bit") << ClientFrame{0x2, {}, true, 0, true, {1, 2, 3, 4}, 8, quint64(1) << 63}.bytes() << -2 << true << 0 << 0 << false << quint64(0);
        QTest::newRow("reserved opcode kept raw") << ClientFrame{0xB, {}}.bytes() << 6 << true << 0 << 0xB << true << quint64(0);
    }
    /*! Header parsing alone: lengths in all three forms, partial headers, the one structural error. */
    void headers()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, headerLength);
        const auto parsed = parseFrameHeader(bytes);
        if (headerLength == -1) {
            QVERIFY(std::holds_alternative<NeedMoreBytes>(parsed));
            return;
        }
        if (headerLength == -2) {
            QVERIFY(std::holds_alternative<FrameError>(parsed));
            QCOMPARE(std::get<FrameError>(parsed).closeCode, CloseStatus::ProtocolError);
            return;
        }
        QVERIFY(std::holds_alternative<FrameHeader>(parsed));
        const FrameHeader &h = std::get<FrameHeader>(parsed);
        QTEST(h.headerLength, "headerLength");
        QTEST(h.fin, "fin");
        QTEST(int(h.rsv), "rsv");
        QTEST(int(h.opcode), "opcode");
        QTEST(h.masked, "masked");
        QTEST(h.payloadLength, "length");
    }

    void decoding_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<qint64>("maxMessage");
        QTest::addColumn<QByteArray>("expected");
        const qint64 cap = 100000;

        // Sunny days.
        QTest::newRow("text") << textFrame("hello") << cap << QByteArray("text:hello");
        QTest::newRow("empty text") << textFrame("") << cap << QByteArray("text:");
        QTest::newRow("binary") << binaryFrame(QByteArray("\x00\xff", 2)) << cap << QByteArray("binary:00ff");
        QTest::newRow("binary not UTF-8 is fine") << binaryFrame("\xc0\x80") << cap << QByteArray("binary:c080");
        QTest::newRow("16-bit length") << textFrame(QByteArray(300, 'a')) << cap << "text:" + QByteArray(300, 'a');
        QTest::newRow("64-bit length") << textFrame(QByteArray(70000, 'b')) << cap << "text:" + QByteArray(70000, 'b');
        QTest::newRow("non-minimal length") << ClientFrame{0x1, "abc", true, 0, true, {9, 8, 7, 6}, 8}.bytes() << cap << QByteArray("text:abc");
        QTest::newRow("zero mask key") << ClientFrame{0x1, "abc", true, 0, true, {0, 0, 0, 0}}.bytes() << cap << QByteArray("text:abc");
        QTest::newRow("two messages") << textFrame("a") + textFrame("b") << cap << QByteArray("text:a|text:b");
        QTest::newRow("three fragments") << textFrame("hel", false) + continuationFrame("lo ", false) + continuationFrame("world", true)
                                         << cap << QByteArray("text:hello world");
        QTest::newRow("empty fragments") << textFrame("", false) + continuationFrame("", false) + continuationFrame("x", true)
                                         << cap << QByteArray("text:x");
        QTest::newRow("binary fragments") << binaryFrame("\x01", false) + continuationFrame("\x02", true) << cap << QByteArray("binary:0102");
        QTest::newRow("ping inside a fragmented message") << textFrame("a", false) + pingFrame("p") + continuationFrame("b", true)
                                                          << cap << QByteArray("ping:p|text:ab");
        QTest::newRow("close inside a fragmented message") << textFrame("a", false) + clientClose(1000) << cap << QByteArray("close:1000:");
        QTest::newRow("2-byte char split over fragments") << textFrame("\xc3", false) + continuationFrame("\xb1", true)
                                                          << cap << QByteArray("text:\xc3\xb1");
        QTest::newRow("4-byte char split in three") << textFrame("\xf0", false) + continuationFrame("\x9f\x98", false) + continuationFrame("\x80!", true)
                                                    << cap << QByteArray("text:\xf0\x9f\x98\x80!");
        QTest::newRow("largest code point") << textFrame("\xf4\x8f\xbf\xbf") << cap << QByteArray("text:\xf4\x8f\xbf\xbf");
        QTest::newRow("ping") << pingFrame("abc") << cap << QByteArray("ping:abc");
        QTest::newRow("ping 125 bytes") << pingFrame(QByteArray(125, 'p')) << cap << "ping:" + QByteArray(125, 'p');
        QTest::newRow("pong") << pongFrame("") << cap << QByteArray("pong:");
        QTest::newRow("close without payload") << ClientFrame{0x8, {}}.bytes() << cap << QByteArray("close:1005:");
        QTest::newRow("close 1000 with reason") << clientClose(1000, "bye") << cap << QByteArray("close:1000:bye");
        QTest::newRow("close UTF-8 reason") << clientClose(1001, "adi\xc3\xb3s") << cap << QByteArray("close:1001:adi\xc3\xb3s");
        for (int code : {1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
            QTest::addRow("close code %d", code) << clientClose(quint16(code)) << cap << "close:" + QByteArray::number(code) + ':';
        QTest::newRow("exactly the cap") << textFrame(QByteArray(1000, 'c')) << qint64(1000) << "text:" + QByteArray(1000, 'c');
        QTest::newRow("fragments up to the cap") << textFrame(QByteArray(500, 'c'), false) + continuationFrame(QByteArray(500, 'd'), true)
                                                 << qint64(1000) << "text:" + QByteArray(500, 'c') + QByteArray(500, 'd');

        // Rainy days.
        QTest::newRow("unmasked") << ClientFrame{0x1, "x", true, 0, false}.bytes() << cap << QByteArray("failed:1002");
        for (int rsv = 1; rsv < 8; ++rsv)
            QTest::addRow("rsv %d", rsv) << ClientFrame{0x1, "x", true, quint8(rsv)}.bytes() << cap << QByteArray("failed:1002");
        for (int opcode : {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF})
            QTest::addRow("opcode %d", opcode) << ClientFrame{quint8(opcode), {}}.bytes() << cap << QByteArray("failed:1002");
        QTest::newRow("continuation first") << continuationFrame("x", true) << cap << QByteArray("failed:1002");
        QTest::newRow("text inside a fragmented text") << textFrame("a", false) + textFrame("b") << cap << QByteArray("failed:1002");
        QTest::newRow("binary inside a fragmented text") << textFrame("a", false) + binaryFrame("b") << cap << QByteArray("failed:1002");
        QTest::newRow("fragmented ping") << ClientFrame{0x9, "p", false}.bytes() << cap << QByteArray("failed:1002");
        QTest::newRow("ping 126 bytes") << pingFrame(QByteArray(126, 'p')) << cap << QByteArray("failed:1002");
        QTest::newRow("close 126 bytes") << ClientFrame{0x8, closePayload(1000, QByteArray(124, 'r'))}.bytes() << cap << QByteArray("failed:1002");
        QTest::newRow("close 1 byte") << ClientFrame{0x8, "\x03"}.bytes() << cap << QByteArray("failed:1002");
        for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
            QTest::addRow("close code %d", code) << clientClose(quint16(code)) << cap << QByteArray("failed:1002");
        QTest::newRow("close reason not UTF-8") << clientClose(1000, "\xff") << cap << QByteArray("failed:1007");
        QTest::newRow("64-bit length top bit") << ClientFrame{0x2, {}, true, 0, true, {1, 2, 3, 4}, 8, quint64(1) << 63}.bytes() << cap << QByteArray("failed:1002");
        QTest::newRow("overlong 2 bytes") << textFrame("\xc0\x80") << cap << QByteArray("failed:1007");
        QTest::newRow("overlong 3 bytes") << textFrame("\xe0\x80\xaf") << cap << QByteArray("failed:1007");
        QTest::newRow("overlong 4 bytes") << textFrame("\xf0\x80\x80\xaf") << cap << QByteArray("failed:1007");
        QTest::newRow("surrogate") << textFrame("\xed\xa0\x80") << cap << QByteArray("failed:1007");
        QTest::newRow("above U+10FFFF") << textFrame("\xf4\x90\x80\x80") << cap << QByteArray("failed:1007");
        QTest::newRow("F5 lead") << textFrame("\xf5\x80\x80\x80") << cap << QByteArray("failed:1007");
        QTest::newRow("FF byte") << textFrame("a\xff") << cap << QByteArray("failed:1007");
        QTest::newRow("lone continuation") << textFrame("\x80") << cap << QByteArray("failed:1007");
        QTest::newRow("ends inside a character") << textFrame("ok\xc3") << cap << QByteArray("failed:1007");
        QTest::newRow("fragments end inside a character") << textFrame("ok", false) + continuationFrame("\xe2\x82", true)
                                                          << cap << QByteArray("failed:1007");
        // Fails on the bad fragment, before the message's last fragment is even sent.
        QTest::newRow("bad fragment fails at once") << textFrame("ok", false) + continuationFrame("\xff", false)
                                                    << cap << QByteArray("failed:1007");
        QTest::newRow("over the cap") << textFrame(QByteArray(1001, 'c')) << qint64(1000) << QByteArray("failed:1009");
        QTest::newRow("fragments over the cap") << textFrame(QByteArray(600, 'c'), false) + continuationFrame(QByteArray(600, 'd'), true)
                                                << qint64(1000) << QByteArray("failed:1009");
        // Only the header of a frame announcing 1 TiB: refused on the header, nothing buffered.
        QTest::newRow("huge announced length") << ClientFrame{0x2, {}, true, 0, true, {1, 2, 3, 4}, 8, quint64(1) << 40}.bytes()
                                               << cap << QByteArray("failed:1009");
        QTest::newRow("good, then bad") << textFrame("a") + ClientFrame{0x1, "x", true, 0, false}.bytes() + textFrame("never")
                                        << cap << QByteArray("text:a|failed:1002");
    }
    /*! Message assembly: every row gives the same results whether the bytes come at once, one by one, or in
        odd chunks. */
    void decoding()
    {
        QFETCH(QByteArray, input);
        QFETCH(qint64, maxMessage);
        QFETCH(QByteArray, expected);
        QCOMPARE(decodeAll(input, maxMessage, {}), expected);
        QCOMPARE(decodeAll(input, maxMessage, {1}), expected);
        QCOMPARE(decodeAll(input, maxMessage, {3, 7, 2, 5}), expected);
    }

    /*! After a failure the decoder answers Failed with the same code and consumes nothing more. */
    void failureSticks()
    {
        WebSocketDecoder decoder(100);
        const QByteArray bytes = ClientFrame{0x1, "x", true, 0, false}.bytes() + textFrame("ok");
        QByteArrayView view(bytes);
        QCOMPARE(decoder.next(view).kind, WebSocketDecoder::Kind::Failed);
        const qsizetype left = view.size();
        const auto again = decoder.next(view);
        QCOMPARE(again.kind, WebSocketDecoder::Kind::Failed);
        QCOMPARE(again.closeCode, CloseStatus::ProtocolError);
        QCOMPARE(view.size(), left);
    }

    void utf8_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("valid");
        QTest::newRow("empty") << QByteArray() << true;
        QTest::newRow("ascii") << QByteArray("{\"type\":\"ping\",\"id\":\"1\"}") << true;
        QTest::newRow("spanish") << bytesOf("\xc2\xa1hola, se\xc3\xb1or!") << true;
        QTest::newRow("euro") << bytesOf("\xe2\x82\xac") << true;
        QTest::newRow("U+FFFF") << bytesOf("\xef\xbf\xbf") << true;
        QTest::newRow("emoji") << bytesOf("\xf0\x9f\x98\x80") << true;
        QTest::newRow("U+10FFFF") << bytesOf("\xf4\x8f\xbf\xbf") << true;
        QTest::newRow("U+D7FF") << bytesOf("\xed\x9f\xbf") << true;
        QTest::newRow("U+E000") << bytesOf("\xee\x80\x80") << true;
        QTest::newRow("nul byte") << QByteArray("a\0b", 3) << true;
        QTest::newRow("long ascii then emoji") << QByteArray(37, 'x') + bytesOf("\xf0\x9f\x98\x80") << true;
        QTest::newRow("C0 80") << bytesOf("\xc0\x80") << false;
        QTest::newRow("C1 BF") << bytesOf("\xc1\xbf") << false;
        QTest::newRow("E0 9F BF overlong") << bytesOf("\xe0\x9f\xbf") << false;
        QTest::newRow("F0 8F BF BF overlong") << bytesOf("\xf0\x8f\xbf\xbf") << false;
        QTest::newRow("ED A0 80 surrogate") << bytesOf("\xed\xa0\x80") << false;
        QTest::newRow("ED BF BF surrogate") << bytesOf("\xed\xbf\xbf") << false;
        QTest::newRow("F4 90 80 80") << bytesOf("\xf4\x90\x80\x80") << false;
        QTest::newRow("F8") << bytesOf("\xf8\x88\x80\x80\x80") << false;
        QTest::newRow("truncated 2") << bytesOf("\xc3") << false;
        QTest::newRow("truncated 3") << bytesOf("\xe2\x82") << false;
        QTest::newRow("truncated 4") << bytesOf("\xf0\x9f\x98") << false;
        QTest::newRow("continuation missing") << bytesOf("\xc3" "a") << false;
        QTest::newRow("bad after 8 ascii") << QByteArray(8, 'a') + bytesOf("\xff") << false;
    }
    /*! Strict UTF-8, and the same verdict when the bytes come split at any point. */
    void utf8()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, valid);
        Utf8Validator whole;
        QCOMPARE(whole.feed(bytes) && whole.isComplete(), valid);
        for (qsizetype cut = 0; cut <= bytes.size(); ++cut) {
            Utf8Validator split;
            const bool ok = split.feed(QByteArrayView(bytes).first(cut)) && split.feed(QByteArrayView(bytes).sliced(cut));
            QCOMPARE(ok && split.isComplete(), valid);
        }
        QCOMPARE(QByteArrayView(bytes).isValidUtf8(), valid); // Qt agrees on the whole buffer
    }

    /*! Random byte strings, biased towards UTF-8 lead and continuation bytes: the incremental validator, fed
        in random pieces, agrees with Qt's whole-buffer check. */
    void utf8Fuzz()
    {
        QRandomGenerator random(4242);
        static const quint8 interesting[] = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2,
                                             0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff};
        int valid = 0;
        for (int round = 0; round < 20000; ++round) {
            QByteArray bytes;
            const int length = int(random.bounded(12));
            for (int i = 0; i < length; ++i)
                bytes.append(char(random.bounded(2) ? interesting[random.bounded(int(std::size(interesting)))]
                                                    : random.bounded(256)));
            Utf8Validator validator;
            bool ok = true;
            for (qsizetype at = 0; at < bytes.size() && ok;) {
                const qsizetype piece = 1 + random.bounded(int(bytes.size() - at));
                ok = validator.feed(QByteArrayView(bytes).sliced(at, piece));
                at += piece;
            }
            const bool expected = QByteArrayView(bytes).isValidUtf8();
            QVERIFY2((ok && validator.isComplete()) == expected, bytes.toHex().constData());
            valid += expected;
        }
        QVERIFY(valid > 1000); // the generator does produce valid text too
    }

    void serverFrames_data()
    {
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("headerLength");
        for (int size : {0, 1, 125})
            QTest::addRow("%d bytes", size) << size << 2;
        for (int size : {126, 65535})
            QTest::addRow("%d bytes", size) << size << 4;
        for (int size : {65536, 200000})
            QTest::addRow("%d bytes", size) << size << 10;
    }
    /*! Server frames are unmasked, FIN set, with the minimal length form; they parse back to their payload. */
    void serverFrames()
    {
        QFETCH(int, size);
        QFETCH(int, headerLength);
        const QByteArray payload(size, 'q');
        const QByteArray frame = serverFrame(Opcode::Text, payload);
        QCOMPARE(frame.size(), headerLength + size);
        const auto parsed = parseFrameHeader(frame);
        QVERIFY(std::holds_alternative<FrameHeader>(parsed));
        const FrameHeader &h = std::get<FrameHeader>(parsed);
        QCOMPARE(h.headerLength, headerLength);
        QVERIFY(h.fin);
        QVERIFY(!h.masked);
        QCOMPARE(h.rsv, 0);
        QCOMPARE(h.opcode, quint8(Opcode::Text));
        QCOMPARE(h.payloadLength, quint64(size));
        QCOMPARE(frame.sliced(headerLength), payload);
        const QByteArray fragment = serverFrame(Opcode::Binary, "x", false);
        QCOMPARE(fragment, QByteArray("\x02\x01x"));
    }

    /*! Close frames: code and reason, no payload for 1005, reasons cut on a character boundary. */
    void closeFrames()
    {
        QCOMPARE(closeFrame(1000, "bye"), QByteArray("\x88\x05\x03\xe8" "bye"));
        QCOMPARE(closeFrame(4001, {}), QByteArray("\x88\x02\x0f\xa1"));
        QCOMPARE(closeFrame(CloseStatus::NoStatus, "ignored"), QByteArray("\x88\x00", 2));
        QByteArray longReason;
        for (int i = 0; i < 100; ++i)
            longReason += "\xc3\xa9"; // é: two bytes each, 200 bytes
        const QByteArray frame = closeFrame(1001, longReason);
        QCOMPARE(frame.size(), 2 + 2 + 122); // 123 would split the 62nd é
        QVERIFY(QByteArrayView(frame).sliced(4).isValidUtf8());
        QCOMPARE(truncateUtf8("\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 7), QByteArrayView("\xf0\x9f\x98\x80"));
        QCOMPARE(truncateUtf8("abc", 3), QByteArrayView("abc"));
        // A server close frame is a valid client-side close frame apart from masking: decode its payload.
        QCOMPARE(decodeAll(ClientFrame{0x8, frame.sliced(2)}.bytes(), 1000, {}), "close:1001:" + longReason.first(122));
    }

    /*! isValidWireCloseCode follows RFC 6455 7.4 and the IANA registry. */
    void closeCodes()
    {
        for (int code = 0; code < 70000; ++code) {
            const bool expected = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014)
                || (code >= 3000 && code <= 4999);
            QCOMPARE(isValidWireCloseCode(code), expected);
        }
    }

    /*! Unmasking eight bytes at a time matches the bytewise definition, at every length and key offset. */
    void unmasking()
    {
        QRandomGenerator random(7);
        const std::array<quint8, 4> key{0xde, 0xad, 0xbe, 0xef};
        for (int length = 0; length < 40; ++length) {
            for (int offset = 0; offset < 4; ++offset) {
                QByteArray in(length, Qt::Uninitialized);
                for (char &c : in)
                    c = char(random.bounded(256));
                QByteArray fast(length, Qt::Uninitialized);
                unmask(in.constData(), fast.data(), length, key, offset);
                for (int i = 0; i < length; ++i)
                    QCOMPARE(quint8(fast[i]), quint8(quint8(in[i]) ^ key[std::size_t((i + offset) % 4)]));
            }
        }
    }

    /*! Random bytes in random chunks never crash the decoder, and chunking never changes what it reports. */
    void decoderFuzz()
    {
        QRandomGenerator random(1234);
        for (int round = 0; round < 3000; ++round) {
            QByteArray bytes;
            // Mostly well-formed frames with random damage, sometimes pure noise.
            if (round % 4 == 0) {
                for (int i = 0, n = int(random.bounded(200)); i < n; ++i)
                    bytes.append(char(random.bounded(256)));
            } else {
                for (int f = 0, n = 1 + int(random.bounded(5)); f < n; ++f) {
                    ClientFrame frame;
                    frame.opcode = quint8(random.bounded(3) == 0 ? random.bounded(16) : random.bounded(3));
                    frame.fin = random.bounded(4) != 0;
                    frame.rsv = random.bounded(10) == 0 ? quint8(random.bounded(8)) : 0;
                    frame.masked = random.bounded(20) != 0;
                    for (int i = 0, len = int(random.bounded(140)); i < len; ++i)
                        frame.payload.append(char(random.bounded(3) ? 'a' + random.bounded(26) : random.bounded(256)));
                    bytes += frame.bytes();
                }
                if (random.bounded(3) == 0 && !bytes.isEmpty())
                    bytes[random.bounded(int(bytes.size()))] = char(random.bounded(256));
            }
            const QByteArray whole = decodeAll(bytes, 4096, {});
            const int chunk = 1 + int(random.bounded(9));
            QCOMPARE(decodeAll(bytes, 4096, {chunk}), whole);
        }
    }

    /*! Random valid conversations (text with multibyte characters and binary, fragmented at random byte
        positions, pings in between) come out exactly as sent. */
    void conversationFuzz()
    {
        QRandomGenerator random(99);
        static const QByteArray alphabet[] = {"a", "Z", " ", "\xc3\xb1", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "{", "\""};
        for (int round = 0; round < 500; ++round) {
            QByteArray bytes;
            QByteArrayList expected;
            for (int m = 0, n = 1 + int(random.bounded(6)); m < n; ++m) {
                const bool isText = random.bounded(4) != 0;
                QByteArray message;
                for (int i = 0, len = int(random.bounded(60)); i < len; ++i)
                    message += isText ? alphabet[random.bounded(int(std::size(alphabet)))] : QByteArray(1, char(random.bounded(256)));
                // Cut anywhere, even inside a character.
                QList<qsizetype> cuts;
                for (int c = 0, k = int(random.bounded(4)); c < k; ++c)
                    cuts << random.bounded(int(message.size()) + 1);
                std::sort(cuts.begin(), cuts.end());
                cuts << message.size();
                qsizetype from = 0;
                for (qsizetype i = 0; i < cuts.size(); ++i) {
                    ClientFrame frame;
                    frame.opcode = i == 0 ? (isText ? 0x1 : 0x2) : 0x0;
                    frame.fin = i == cuts.size() - 1;
                    frame.payload = message.mid(from, cuts[i] - from);
                    frame.key = {quint8(random.bounded(256)), quint8(random.bounded(256)), quint8(random.bounded(256)),
                                 quint8(random.bounded(256))};
                    bytes += frame.bytes();
                    from = cuts[i];
                    if (frame.fin)
                        expected << (isText ? "text:" + message : "binary:" + message.toHex());
                    if (random.bounded(5) == 0) {
                        bytes += pingFrame("k");
                        expected << "ping:k";
                    }
                }
            }
            QCOMPARE(decodeAll(bytes, 1 << 20, {1 + int(random.bounded(17))}), expected.join('|'));
        }
    }

    /*! The RFC 6455 example: key "dGhlIHNhbXBsZSBub25jZQ==" gives "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=". */
    void acceptKey()
    {
        QCOMPARE(secWebSocketAccept("dGhlIHNhbXBsZSBub25jZQ=="), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    }

    void handshake_data()
    {
        using Headers = QList<std::pair<QByteArray, QByteArray>>;
        QTest::addColumn<Headers>("headers");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<int>("minorVersion");
        QTest::addColumn<int>("status");
        QTest::newRow("good") << Headers{} << QByteArray("GET") << 1 << 101;
        QTest::newRow("protocol among others") << Headers{{"sec-websocket-protocol", "chat, tertulia.v1"}} << QByteArray("GET") << 1 << 101;
        QTest::newRow("header case and lists") << Headers{{"upgrade", "WebSocket"}, {"connection", "keep-alive, upgrade"}}
                                               << QByteArray("GET") << 1 << 101;
        QTest::newRow("deflate offer ignored") << Headers{{"sec-websocket-extensions", "permessage-deflate"}} << QByteArray("GET") << 1 << 101;
        QTest::newRow("version 8") << Headers{{"sec-websocket-version", "8"}} << QByteArray("GET") << 1 << 426;
        QTest::newRow("no version") << Headers{{"sec-websocket-version", QByteArray()}} << QByteArray("GET") << 1 << 426;
        QTest::newRow("no key") << Headers{{"sec-websocket-key", QByteArray()}} << QByteArray("GET") << 1 << 400;
        QTest::newRow("short key") << Headers{{"sec-websocket-key", "c2hvcnQ="}} << QByteArray("GET") << 1 << 400;
        QTest::newRow("key not base64") << Headers{{"sec-websocket-key", "!!!!!!!!!!!!!!!!!!!!!!=="}} << QByteArray("GET") << 1 << 400;
        QTest::newRow("no subprotocol") << Headers{{"sec-websocket-protocol", QByteArray()}} << QByteArray("GET") << 1 << 400;
        QTest::newRow("subprotocol case differs") << Headers{{"sec-websocket-protocol", "Tertulia.V1"}} << QByteArray("GET") << 1 << 400;
        QTest::newRow("no host") << Headers{{"host", QByteArray()}} << QByteArray("GET") << 1 << 400;
        QTest::newRow("HTTP/1.0") << Headers{} << QByteArray("GET") << 0 << 400;
        QTest::newRow("POST") << Headers{} << QByteArray("POST") << 1 << 400;
        QTest::newRow("no upgrade") << Headers{{"upgrade", QByteArray()}} << QByteArray("GET") << 1 << 400;
        QTest::newRow("no connection upgrade") << Headers{{"connection", "keep-alive"}} << QByteArray("GET") << 1 << 400;
    }
    /*! The opening handshake: a 101 with the accept key and our subprotocol, or an HTTP error with the
        project's JSON error body (426 names the version we speak). */
    void handshake()
    {
        using Headers = QList<std::pair<QByteArray, QByteArray>>;
        QFETCH(Headers, headers);
        QFETCH(QByteArray, method);
        QFETCH(int, minorVersion);
        QFETCH(int, status);
        Http::Request request = upgradeRequest(headers);
        request.method = method;
        request.minorVersion = minorVersion;
        const auto answer = acceptHandshake(request, "tertulia.v1");
        if (status == 101) {
            QVERIFY(std::holds_alternative<QByteArray>(answer));
            const QByteArray bytes = std::get<QByteArray>(answer);
            QVERIFY(bytes.startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
            QVERIFY(bytes.contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
            QVERIFY(bytes.contains("\r\nSec-WebSocket-Protocol: tertulia.v1\r\n"));
            QVERIFY(bytes.contains("\r\nUpgrade: websocket\r\n"));
            QVERIFY(!bytes.contains("Extensions"));
            QVERIFY(bytes.endsWith("\r\n\r\n"));
            return;
        }
        QVERIFY(std::holds_alternative<Http::Response>(answer));
        const Http::Response &response = std::get<Http::Response>(answer);
        QCOMPARE(response.status, status);
        const QJsonObject error = QJsonDocument::fromJson(response.body).object().value(QLatin1StringView("error")).toObject();
        QCOMPARE(error.value(QLatin1StringView("code")).toString(), u"bad_request"_s);
        QVERIFY(!error.value(QLatin1StringView("message")).toString().isEmpty());
        if (status == 426)
            QCOMPARE(response.header("Sec-WebSocket-Version"), QByteArray("13"));
    }

    /*! Without a required subprotocol none is asked for nor answered (as the Socket.IO layer would use it). */
    void handshakeWithoutSubprotocol()
    {
        const auto answer = acceptHandshake(upgradeRequest({{"sec-websocket-protocol", QByteArray()}}), {});
        QVERIFY(std::holds_alternative<QByteArray>(answer));
        QVERIFY(!std::get<QByteArray>(answer).contains("Sec-WebSocket-Protocol"));
    }
};

QTEST_APPLESS_MAIN(TestWebSocketCodec)
#include "tst_websocketcodec.moc"
