// Engine.IO v4 packet and payload codec: good rows decode and re-encode to the same bytes, malformed
// rows fail with the expected error.
#include "server/socketio/engineiopacket.h"

#include <QtCore/QRandomGenerator>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia::EngineIo;

Q_DECLARE_METATYPE(Tertulia::EngineIo::Packet)
Q_DECLARE_METATYPE(Tertulia::EngineIo::DecodeError)

namespace QTest {
template<>
char *toString(const Packet &packet)
{
    return qstrdup(QStringLiteral("Packet(type=%1, %2)")
                       .arg(int(packet.type))
                       .arg(packet.isBinary ? u"binary "_s + QString::fromLatin1(packet.binary.toHex())
                                            : u"text \""_s + packet.text + u'"')
                       .toUtf8()
                       .constData());
}
} // namespace QTest

class TestEngineIoPacket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! Text packets of every type decode to the right value and encode back to the same text. */
    void textRoundTrip_data()
    {
        QTest::addColumn<QString>("wire");
        QTest::addColumn<Packet>("packet");
        QTest::newRow("open") << u"0{\"sid\":\"x\"}"_s << Packet::of(PacketType::Open, u"{\"sid\":\"x\"}"_s);
        QTest::newRow("close") << u"1"_s << Packet::of(PacketType::Close);
        QTest::newRow("ping") << u"2"_s << Packet::of(PacketType::Ping);
        QTest::newRow("probe ping") << u"2probe"_s << Packet::of(PacketType::Ping, u"probe"_s);
        QTest::newRow("pong") << u"3"_s << Packet::of(PacketType::Pong);
        QTest::newRow("probe pong") << u"3probe"_s << Packet::of(PacketType::Pong, u"probe"_s);
        QTest::newRow("message") << u"4hello"_s << Packet::message(u"hello"_s);
        QTest::newRow("empty message") << u"4"_s << Packet::message(QString());
        QTest::newRow("unicode message") << u"4¡hola, señora! ✓"_s << Packet::message(u"¡hola, señora! ✓"_s);
        QTest::newRow("socket.io event") << u"42[\"a\",1]"_s << Packet::message(u"2[\"a\",1]"_s);
        QTest::newRow("upgrade") << u"5"_s << Packet::of(PacketType::Upgrade);
        QTest::newRow("noop") << u"6"_s << Packet::of(PacketType::Noop);
        QTest::newRow("binary as base64") << u"bAQIDBA=="_s << Packet::binaryMessage(QByteArray("\x01\x02\x03\x04", 4));
        QTest::newRow("empty binary") << u"b"_s << Packet::binaryMessage(QByteArray());
    }
    void textRoundTrip()
    {
        QFETCH(QString, wire);
        QFETCH(Packet, packet);
        const auto decoded = decodeText(wire);
        QVERIFY(std::holds_alternative<Packet>(decoded));
        QCOMPARE(std::get<Packet>(decoded), packet);
        QCOMPARE(encodeText(packet), wire);
    }

    /*! Rainy day: what is not a packet. */
    void malformedText_data()
    {
        QTest::addColumn<QString>("wire");
        QTest::addColumn<DecodeError>("error");
        QTest::newRow("empty") << QString() << DecodeError::Empty;
        QTest::newRow("letters") << u"abc"_s << DecodeError::UnknownType;
        QTest::newRow("type 7") << u"7"_s << DecodeError::UnknownType;
        QTest::newRow("type 9") << u"9x"_s << DecodeError::UnknownType;
        QTest::newRow("space first") << u" 4hi"_s << DecodeError::UnknownType;
        QTest::newRow("bad base64") << u"b@@@"_s << DecodeError::BadBase64;
    }
    void malformedText()
    {
        QFETCH(QString, wire);
        QFETCH(DecodeError, error);
        const auto decoded = decodeText(wire);
        QVERIFY(std::holds_alternative<DecodeError>(decoded));
        QCOMPARE(std::get<DecodeError>(decoded), error);
        QVERIFY(!describe(error).isEmpty());
    }

    /*! Polling payloads: packets joined by the record separator, binary as base64, UTF-8 bodies. */
    void payloadRoundTrip_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QList<Packet>>("packets");
        QTest::newRow("one") << QByteArray("4hello") << QList<Packet>{Packet::message(u"hello"_s)};
        QTest::newRow("three") << QByteArray("4test1\x1e" "4test2\x1e" "4test3")
                               << QList<Packet>{Packet::message(u"test1"_s), Packet::message(u"test2"_s),
                                                Packet::message(u"test3"_s)};
        QTest::newRow("text and binary") << QByteArray("4hello\x1e" "bAQIDBA==")
                                         << QList<Packet>{Packet::message(u"hello"_s),
                                                          Packet::binaryMessage(QByteArray("\x01\x02\x03\x04", 4))};
        QTest::newRow("ping and close") << QByteArray("2\x1e" "1")
                                        << QList<Packet>{Packet::of(PacketType::Ping), Packet::of(PacketType::Close)};
        QTest::newRow("utf-8") << QByteArray("4\xc3\xb1" "and\xc3\xba") << QList<Packet>{Packet::message(u"ñandú"_s)};
    }
    void payloadRoundTrip()
    {
        QFETCH(QByteArray, body);
        QFETCH(QList<Packet>, packets);
        const auto decoded = decodePayload(body);
        QVERIFY(std::holds_alternative<QList<Packet>>(decoded));
        QCOMPARE(std::get<QList<Packet>>(decoded), packets);
        QCOMPARE(encodePayload(packets), body);
    }

    /*! A payload with one bad packet is refused as a whole. */
    void malformedPayload_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<DecodeError>("error");
        QTest::newRow("not a packet") << QByteArray("abc") << DecodeError::UnknownType;
        QTest::newRow("empty body") << QByteArray() << DecodeError::Empty;
        QTest::newRow("trailing separator") << QByteArray("4a\x1e") << DecodeError::Empty;
        QTest::newRow("bad second") << QByteArray("4a\x1ez") << DecodeError::UnknownType;
        QTest::newRow("bad base64 second") << QByteArray("4a\x1e" "b%%") << DecodeError::BadBase64;
    }
    void malformedPayload()
    {
        QFETCH(QByteArray, body);
        QFETCH(DecodeError, error);
        const auto decoded = decodePayload(body);
        QVERIFY(std::holds_alternative<DecodeError>(decoded));
        QCOMPARE(std::get<DecodeError>(decoded), error);
    }

    /*! Hostile input: random bodies never crash the payload decoder; what decodes re-encodes to a body that
        decodes to the same packets. */
    void randomPayloads()
    {
        QRandomGenerator random(20261126);
        for (int i = 0; i < 20000; ++i) {
            QByteArray body(random.bounded(0, 40), Qt::Uninitialized);
            for (char &c : body)
                c = "0123456b" "\x1e" "AQID=+/ x"[random.bounded(18)];
            const auto decoded = decodePayload(body);
            if (const auto *packets = std::get_if<QList<Packet>>(&decoded)) {
                const auto again = decodePayload(encodePayload(*packets));
                QVERIFY(std::holds_alternative<QList<Packet>>(again));
                QCOMPARE(std::get<QList<Packet>>(again), *packets);
            }
        }
    }

    /*! The queue weight counts bytes of binary and UTF-16 units of text. */
    void weight()
    {
        QCOMPARE(Packet::binaryMessage(QByteArray(10, 'x')).weight(), 10);
        QCOMPARE(Packet::message(u"abc"_s).weight(), 6);
    }
};

QTEST_APPLESS_MAIN(TestEngineIoPacket)
#include "tst_engineiopacket.moc"
