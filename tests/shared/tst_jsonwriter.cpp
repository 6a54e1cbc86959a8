// JsonWriter against Qt's own JSON writer, byte for byte: its values, and the connect path's frames written
// straight from their values (hello, the answer to join, member_joined) against the same frames encoded
// through an Event or a Reply and its QJsonObject.
#include "shared/protocol/frames.h"
#include "shared/protocol/jsonwriter.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtTest/QTest>

#include <limits>

using namespace Qt::StringLiterals;

using namespace Tertulia::Protocol;
using L1 = QLatin1StringView;

Q_DECLARE_METATYPE(Tertulia::Protocol::HelloInfo)
Q_DECLARE_METATYPE(Tertulia::Protocol::RoomResult)
Q_DECLARE_METATYPE(Tertulia::Protocol::MembershipEvent)
Q_DECLARE_METATYPE(Tertulia::Protocol::PresenceEvent)

namespace {
QByteArray qtJson(const QJsonObject &object) { return QJsonDocument(object).toJson(QJsonDocument::Compact); }

/// {"k":<value>} written by JsonWriter: `write` writes the member "k".
template<typename WriteMember>
QByteArray writtenMember(WriteMember write)
{
    QByteArray out;
    JsonWriter writer(out);
    writer.beginObject();
    write(writer);
    writer.endObject();
    return out;
}

QByteArray writtenString(QStringView text)
{
    return writtenMember([text](JsonWriter &writer) { writer.string(L1("k"), text); });
}

QByteArray writtenInteger(qint64 value)
{
    return writtenMember([value](JsonWriter &writer) { writer.integer(L1("k"), value); });
}

QString units(std::initializer_list<char16_t> list)
{
    QString text;
    for (char16_t unit : list)
        text.append(QChar(unit));
    return text;
}
} // namespace

class TestJsonWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! Strings as Qt writes them: escapes, control characters, DEL, non-ASCII, non-BMP, lone surrogates. */
    void strings_data();
    void strings();
    /*! Every UTF-16 code unit alone and between ASCII, and surrogate pairs, as Qt writes them. */
    void everyCodeUnit();
    /*! Keys are escaped as strings are, from UTF-16 and from Latin-1. */
    void keys();
    /*! Integers exact at any size (Qt 6 keeps a qint64 as an integer, not a double), booleans, null. */
    void integers_data();
    void integers();
    void literals();
    /*! Nesting and commas: objects in arrays in objects, empty ones, string maps in QMap's order. */
    void structure();

    /*! `hello` written from its value equals encode(Event::hello(info)), every optional field on and off. */
    void helloFrame_data();
    void helloFrame();
    /*! The answer to join equals encode(Reply::ok(id, result.toJson())), every optional field on and off. */
    void joinReply_data();
    void joinReply();
    /*! `member_joined` equals encode(Event::memberJoined(m)). */
    void memberJoinedFrame_data();
    void memberJoinedFrame();
    /*! `presence` equals encode(Event::presence(p)): every status, escapes in the user. */
    void presenceFrame_data();
    void presenceFrame();
};

void TestJsonWriter::strings_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("empty, not null") << u""_s;
    QTest::newRow("ascii") << u"hello, world 0123456789 ~!@#$%^&*()_+{}[]|:;'<>?,./`"_s;
    QTest::newRow("quote and backslash") << u"say \"hi\" \\ bye \\\" \"\\"_s;
    QTest::newRow("slash") << u"a/b</script>"_s;
    QTest::newRow("named escapes") << u"\b\f\n\r\t"_s;
    for (char16_t c = 0; c < 0x20; ++c)
        QTest::addRow("control 0x%02x", unsigned(c)) << units({u'a', c, u'b'});
    QTest::newRow("every control character") << [] {
        QString text;
        for (char16_t c = 0; c < 0x20; ++c)
            text.append(QChar(c));
        return text;
    }();
    QTest::newRow("DEL") << units({0x7f});
    QTest::newRow("latin-1") << u"Ñandú, ¿qué tal? ÿ ©"_s;
    QTest::newRow("two-byte boundary") << units({0x80, 0x7ff, 0x800});
    QTest::newRow("BMP") << u"中文 русский עברית €"_s;
    QTest::newRow("BOM and noncharacters") << units({0xfeff, 0xfffe, 0xffff});
    QTest::newRow("emoji") << u"👋🏽 hi 😀"_s;
    QTest::newRow("non-BMP edges") << units({0xd800, 0xdc00, 0xdbff, 0xdfff});
    QTest::newRow("lone high surrogate") << units({u'a', 0xd83d, u'b'});
    QTest::newRow("lone high surrogate at the end") << units({u'a', 0xd83d});
    QTest::newRow("lone low surrogate") << units({u'a', 0xde00, u'b'});
    QTest::newRow("reversed pair") << units({0xde00, 0xd83d});
    QTest::newRow("two highs then a low") << units({0xd800, 0xd800, 0xdc00});
    QTest::newRow("high then escape") << units({0xd800, u'\n'});
    QTest::newRow("long") << [] {
        QString text;
        for (int i = 0; i < 20000; ++i)
            text += u"aé€😀\"\n\u0001"_s + QChar(0xd800 + i % 0x800);
        return text;
    }();
    QTest::newRow("long ascii") << QString(100000, u'x');
    QTest::newRow("long escapes") << QString(50000, QChar(0x1f)); // the worst case: 6 bytes a unit
}

void TestJsonWriter::strings()
{
    QFETCH(QString, text);
    QCOMPARE(writtenString(text), qtJson({{u"k"_s, text}}));
}

void TestJsonWriter::everyCodeUnit()
{
    for (char32_t unit = 0; unit <= 0xffff; ++unit) {
        const QString alone = units({char16_t(unit)});
        const QString between = units({u'a', char16_t(unit), u'z'});
        QCOMPARE(writtenString(alone), qtJson({{u"k"_s, alone}}));
        QCOMPARE(writtenString(between), qtJson({{u"k"_s, between}}));
    }
    // Every high surrogate with low ones of each end and the middle, and every low with a high.
    for (char16_t high = 0xd800; high <= 0xdbff; ++high) {
        for (char16_t low : {char16_t(0xdc00), char16_t(0xde5a), char16_t(0xdfff)}) {
            const QString pair = units({high, low});
            QCOMPARE(writtenString(pair), qtJson({{u"k"_s, pair}}));
            const QString lows = units({0xd800, low});
            QCOMPARE(writtenString(lows), qtJson({{u"k"_s, lows}}));
        }
    }
    for (char16_t low = 0xdc00; low <= 0xdfff; ++low) {
        const QString pair = units({0xdbff, low});
        QCOMPARE(writtenString(pair), qtJson({{u"k"_s, pair}}));
    }
}

void TestJsonWriter::keys()
{
    const QList<QString> texts{u"plain"_s, u"q\"b\\"_s, units({0, 0x1f, 0x7f}), u"é😀"_s, units({0xd800, u'x'}),
                               QString(300, u'k')};
    for (const QString &text : texts) {
        QByteArray out;
        JsonWriter writer(out);
        writer.beginObject();
        writer.key(text);
        writer.integer(1);
        writer.endObject();
        QCOMPARE(out, qtJson({{text, 1}}));
    }
    // Every Latin-1 character in a Latin-1 key.
    for (int c = 0; c < 256; ++c) {
        const char bytes[] = {'a', char(c), 'z'};
        const L1 name(bytes, 3);
        QByteArray out;
        JsonWriter writer(out);
        writer.beginObject();
        writer.boolean(name, true);
        writer.endObject();
        QCOMPARE(out, qtJson({{QString(name), true}}));
    }
}

void TestJsonWriter::integers_data()
{
    QTest::addColumn<qint64>("value");
    constexpr qint64 twoTo53 = qint64(1) << 53;
    QTest::newRow("0") << qint64(0);
    QTest::newRow("1") << qint64(1);
    QTest::newRow("-1") << qint64(-1);
    QTest::newRow("9") << qint64(9);
    QTest::newRow("10") << qint64(10);
    QTest::newRow("-10") << qint64(-10);
    QTest::newRow("int max") << qint64(std::numeric_limits<int>::max());
    QTest::newRow("int min") << qint64(std::numeric_limits<int>::min());
    QTest::newRow("uint max") << qint64(std::numeric_limits<uint>::max());
    QTest::newRow("2^53 - 1") << twoTo53 - 1;
    QTest::newRow("2^53") << twoTo53;
    QTest::newRow("2^53 + 1") << twoTo53 + 1;
    QTest::newRow("-(2^53 + 1)") << -(twoTo53 + 1);
    QTest::newRow("10^18") << qint64(1'000'000'000'000'000'000);
    QTest::newRow("qint64 max") << std::numeric_limits<qint64>::max();
    QTest::newRow("qint64 min") << std::numeric_limits<qint64>::min();
    QTest::newRow("qint64 min + 1") << std::numeric_limits<qint64>::min() + 1;
    QTest::newRow("timestamp") << qint64(1'765'000'000'123);
}

void TestJsonWriter::integers()
{
    QFETCH(qint64, value);
    QCOMPARE(writtenInteger(value), qtJson({{u"k"_s, value}}));
}

void TestJsonWriter::literals()
{
    QByteArray out;
    JsonWriter writer(out);
    writer.beginObject();
    writer.boolean(L1("f"), false);
    writer.key(L1("n"));
    writer.null();
    writer.boolean(L1("t"), true);
    writer.endObject();
    QCOMPARE(out, qtJson({{u"f"_s, false}, {u"n"_s, QJsonValue(QJsonValue::Null)}, {u"t"_s, true}}));
}

void TestJsonWriter::structure()
{
    QMap<QString, QString> map{{u"zed"_s, u"1"_s}, {u"Zed"_s, u"2"_s}, {u"é"_s, u"3"_s}, {u"😀"_s, u"4"_s},
                               {units({0xffff}), u"5"_s}, {u"a\"b"_s, u"6\n"_s}};
    QByteArray out;
    JsonWriter writer(out);
    writer.beginObject();
    writer.key(L1("a"));
    writer.beginArray();
    writer.beginObject();
    writer.endObject();
    writer.beginArray();
    writer.endArray();
    writer.integer(1);
    writer.string(u"two");
    writer.beginObject();
    writer.integer(L1("x"), -3);
    writer.object(L1("y"), [](JsonWriter &inner) { inner.boolean(L1("z"), true); });
    writer.endObject();
    writer.null();
    writer.boolean(false);
    writer.endArray();
    writer.object(L1("b"), [](JsonWriter &) { });
    writer.stringMap(L1("m"), map);
    writer.stringMap(L1("n"), {});
    writer.endObject();

    QJsonObject mapObject;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        mapObject.insert(it.key(), it.value());
    const QJsonObject expected{
        {u"a"_s, QJsonArray{QJsonObject(), QJsonArray(), 1, u"two"_s,
                            QJsonObject{{u"x"_s, -3}, {u"y"_s, QJsonObject{{u"z"_s, true}}}},
                            QJsonValue(QJsonValue::Null), false}},
        {u"b"_s, QJsonObject()},
        {u"m"_s, mapObject},
        {u"n"_s, QJsonObject()}};
    QCOMPARE(out, qtJson(expected));

    // Appends: what the buffer held stays.
    QByteArray appended("prefix:");
    JsonWriter after(appended);
    after.beginArray();
    after.endArray();
    QCOMPARE(appended, "prefix:[]");
}

void TestJsonWriter::helloFrame_data()
{
    QTest::addColumn<HelloInfo>("info");
    QTest::newRow("empty") << HelloInfo{};
    const HelloInfo base{u"alice"_s, {u"tertulia \"dev\"\n"_s, u"1.2.3"_s, 64 * 1024}, 900};
    for (int optional = 0; optional < 8; ++optional) {
        HelloInfo info = base;
        if (optional & 1)
            info.displayName = u"Alicia 😀 \u0001"_s;
        info.admin = optional & 2;
        if (optional & 4)
            info.avatar = u"3f2a"_s;
        QTest::addRow("filled, optional %d", optional) << info;
        HelloInfo empty;
        empty.displayName = info.displayName;
        empty.admin = info.admin;
        empty.avatar = info.avatar;
        QTest::addRow("empty, optional %d", optional) << empty;
    }
    HelloInfo large = base;
    large.expiresIn = std::numeric_limits<qint64>::max();
    large.server.maxTextBytes = (qint64(1) << 53) + 1;
    large.user = units({0xd800, u'é'});
    QTest::newRow("large numbers, lone surrogate") << large;
}

void TestJsonWriter::helloFrame()
{
    QFETCH(HelloInfo, info);
    QCOMPARE(encodeHello(info), encode(Event::hello(info)));
    // The value's own JSON, both ways, and the QJsonObject still reads back.
    QByteArray written;
    JsonWriter writer(written);
    info.writeJson(writer);
    QCOMPARE(written, qtJson(info.toJson()));
}

void TestJsonWriter::joinReply_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<RoomResult>("result");
    QTest::newRow("empty") << QString() << RoomResult{};
    QTest::newRow("empty, with id") << u"7"_s << RoomResult{};
    // Each optional field of RoomResult and RoomInfo on and off: all 2^8 combinations.
    for (int optional = 0; optional < 256; ++optional) {
        RoomResult result;
        RoomInfo &room = result.room;
        room.name = u"general"_s;
        room.creator = u"bob"_s;
        room.lastSeq = 12345;
        room.memberCount = 3;
        room.joined = true;
        room.isPrivate = optional & 1;
        if (optional & 2)
            room.readSeq = 12000;
        if (optional & 4) {
            room.direct = true;
            room.peer = u"carol"_s;
            room.name = u"@bob+carol"_s;
        }
        if (optional & 8)
            room.title = u"Tertulia \"general\""_s;
        if (optional & 16)
            room.topic = u"todo sobre\tla tertulia 😀"_s;
        room.archived = optional & 32;
        if (optional & 64)
            result.by = u"dave"_s;
        if (optional & 128) {
            result.displayNames = {{u"carol"_s, u"Carol ✓"_s}, {u"bob"_s, u"Bob"_s}};
            result.avatars = {{u"carol"_s, u"a1"_s}};
        }
        QTest::addRow("optional %d", optional) << (optional % 3 ? u"r%1"_s.arg(optional) : QString()) << result;
    }
    RoomResult odd;
    odd.room.name = units({u'x', 0xdc00});
    odd.room.lastSeq = std::numeric_limits<qint64>::max();
    odd.room.memberCount = std::numeric_limits<int>::max();
    odd.displayNames = {{u"é"_s, u"1"_s}};
    odd.avatars = {{u"😀"_s, u"2"_s}, {u"z"_s, u"3"_s}};
    QTest::newRow("odd values, id with escapes") << u"id \"1\"\n"_s << odd;
}

void TestJsonWriter::joinReply()
{
    QFETCH(QString, id);
    QFETCH(RoomResult, result);
    QCOMPARE(encodeOk(id, result), encode(Reply::ok(id, result.toJson())));
    QByteArray written;
    JsonWriter writer(written);
    result.room.writeJson(writer);
    QCOMPARE(written, qtJson(result.room.toJson()));
}

void TestJsonWriter::memberJoinedFrame_data()
{
    QTest::addColumn<MembershipEvent>("membership");
    QTest::newRow("empty") << MembershipEvent{};
    QTest::newRow("filled") << MembershipEvent{u"general"_s, u"alice"_s};
    QTest::newRow("with by") << MembershipEvent{u"general"_s, u"alice"_s, u"bob"_s};
    QTest::newRow("only by") << MembershipEvent{{}, {}, u"bob"_s};
    QTest::newRow("escapes") << MembershipEvent{u"a\"b"_s, units({0x1f, 0xd800}), u"é😀"_s};
}

void TestJsonWriter::memberJoinedFrame()
{
    QFETCH(MembershipEvent, membership);
    QCOMPARE(encodeMemberJoined(membership), encode(Event::memberJoined(membership)));
}

void TestJsonWriter::presenceFrame_data()
{
    QTest::addColumn<PresenceEvent>("presence");
    QTest::newRow("empty") << PresenceEvent{};
    QTest::newRow("online") << PresenceEvent{u"alice"_s, PresenceStatus::Online};
    QTest::newRow("away") << PresenceEvent{u"Bob"_s, PresenceStatus::Away};
    QTest::newRow("offline, escapes") << PresenceEvent{units({0x1f, 0xd800}) + u"é😀\\"_s, PresenceStatus::Offline};
}

void TestJsonWriter::presenceFrame()
{
    QFETCH(PresenceEvent, presence);
    QCOMPARE(encodePresence(presence), encode(Event::presence(presence)));
}

QTEST_APPLESS_MAIN(TestJsonWriter)
#include "tst_jsonwriter.moc"
