// Display names (issue 12) end to end on the native protocol: a real in-process server and real QWebSocket
// clients. set_profile is validated (the same rules as Identity::validateDisplayName), stored, heard at once by
// the user's other sessions and by everyone sharing a room with them (not by anyone else), carried by member
// lists, the hello, history pages and search results, sent ahead of a resume's replay, kept across a restart, and
// limited. Runs on SQLite, and on PostgreSQL
// as tst_profiles_postgres.
#include "support/printers.h"
#include "support/testmain.h"
#include "support/testserver.h"
#include "support/wsclient.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Protocol;
using namespace Tertulia::Test;
using L1 = QLatin1StringView;

class TestProfiles : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;

    static Reply setName(WsClient &client, const QJsonValue &displayName)
    {
        return client.request({RequestType::SetProfile, client.nextId(), QJsonObject{{L1("display_name"), displayName}}, {}});
    }

    /// The display name `member` has in the room's member list as `client` reads it.
    static std::optional<QString> memberName(WsClient &client, const QString &room, const QString &member)
    {
        const Reply reply = client.request(Request::members({}, room));
        for (const Member &m : payloadOf<MembersResult>(reply.data).members) {
            if (m.user == member)
                return m.displayName;
        }
        return std::nullopt;
    }

    static QString helloName(WsClient &client) { return payloadOf<HelloInfo>(client.replies().first().data).displayName; }

    static bool heardProfile(const WsClient &client)
    {
        return std::any_of(client.events().cbegin(), client.events().cend(),
                           [](const Event &e) { return e.type == EventType::ProfileUpdated; });
    }

private Q_SLOTS:
    void init() { m_server = std::make_unique<TestServer>(); }
    void cleanup() { m_server.reset(); }

    /*! A display name is heard at once by the user's other session and by a member of a shared room, never by
        someone sharing no room; member lists, a new session's hello and history pages carry it (history even
        after the person left the room); clearing it is heard too. */
    void setAndHear()
    {
        auto ana = m_server->connectAs(u"ana"_s);
        auto anaToo = m_server->connectAs(u"ana"_s);
        auto bea = m_server->connectAs(u"bea"_s);
        auto cris = m_server->connectAs(u"cris"_s); // shares no room with ana
        QVERIFY(ana && anaToo && bea && cris);
        QVERIFY(ana->request(Request::createRoom({}, {u"plaza"_s, false})).isOk());
        QVERIFY(bea->request(Request::join({}, u"plaza"_s)).isOk());
        QVERIFY(ana->request(Request::send({}, {u"plaza"_s, u"hola"_s, u"c1"_s})).isOk());
        QVERIFY(helloName(*ana).isEmpty());
        QCOMPARE(memberName(*bea, u"plaza"_s, u"ana"_s), QString());

        // Trimmed and NFC-normalised ("e" + combining acute becomes "é").
        const Reply set = setName(*ana, u"  Ana Mari\u0301a Pe\u0301rez  "_s);
        QVERIFY2(set.isOk(), qPrintable(set.error ? describe(*set.error) : QString()));
        const QString expected = u"Ana María Pérez"_s;
        QCOMPARE(payloadOf<ProfileEvent>(set.data), (ProfileEvent{u"ana"_s, expected}));
        for (WsClient *session : {anaToo.get(), bea.get()}) {
            const auto heard = session->waitForEvent(EventType::ProfileUpdated);
            QVERIFY(heard);
            QCOMPARE(payloadOf<ProfileEvent>(heard->data), (ProfileEvent{u"ana"_s, expected}));
        }
        QVERIFY(cris->request(Request::ping({})).isOk()); // anything for cris would have arrived before this
        QVERIFY(!heardProfile(*cris));

        QCOMPARE(memberName(*bea, u"plaza"_s, u"ana"_s), expected);
        auto anaLater = m_server->connectAs(u"ana"_s);
        QCOMPARE(helloName(*anaLater), expected);

        // History names senders, those who left included.
        QVERIFY(ana->request(Request::leave({}, u"plaza"_s)).isOk());
        const Reply page = bea->request(Request::history({}, {u"plaza"_s, {}, {}, 50}));
        QVERIFY(page.isOk());
        QCOMPARE(payloadOf<HistoryPage>(page.data).displayNames.value(u"ana"_s), expected);
        QVERIFY(!page.data.value(L1("display_names")).toObject().contains(u"bea"_s)); // none set: not written

        // Clearing (null) is heard as null; setting the same name again tells nobody.
        QVERIFY(setName(*ana, QJsonValue::Null).isOk());
        const auto cleared = anaToo->waitForEvent(EventType::ProfileUpdated);
        QVERIFY(cleared);
        QVERIFY(cleared->data.value(L1("display_name")).isNull());
        QCOMPARE(payloadOf<ProfileEvent>(cleared->data).displayName, QString());
        const qsizetype before = anaToo->events().size();
        QVERIFY(setName(*ana, u""_s).isOk());
        QVERIFY(anaToo->request(Request::ping({})).isOk());
        QCOMPARE(anaToo->events().size(), before);
    }

    /*! Search results name their senders as history pages do, whoever searches (no member list needed); a
        resume sends, before the missed messages, `profile_updated` for each of their senders that has a profile,
        as it is now: a rename missed while away is known before the messages show. Not for senders without a
        profile, nor for the one resuming (the hello has that). */
    void searchAndResumeNameSenders()
    {
        auto ana = m_server->connectAs(u"ana"_s);
        auto bea = m_server->connectAs(u"bea"_s);
        auto beaToo = m_server->connectAs(u"bea"_s);
        auto cris = m_server->connectAs(u"cris"_s);
        QVERIFY(ana && bea && beaToo && cris);
        QVERIFY(ana->request(Request::createRoom({}, {u"plaza"_s, false})).isOk());
        for (WsClient *member : {bea.get(), cris.get()})
            QVERIFY(member->request(Request::join({}, u"plaza"_s)).isOk());
        QVERIFY(setName(*ana, u"Ana Pérez"_s).isOk());
        QVERIFY(setName(*beaToo, u"Bea"_s).isOk());
        QVERIFY(ana->request(Request::send({}, {u"plaza"_s, u"un café"_s, u"c1"_s})).isOk());
        QVERIFY(cris->request(Request::send({}, {u"plaza"_s, u"otro café"_s, u"c2"_s})).isOk());

        // Search: the senders' display names beside the results, only those who have one.
        SearchParams cafe;
        cafe.query = u"cafe"_s;
        const Reply found = bea->request(Request::search({}, cafe));
        QVERIFY(found.isOk());
        const auto results = payloadOf<SearchResults>(found.data);
        QCOMPARE(results.results.size(), 2);
        QCOMPARE(results.displayNames, (QMap<QString, QString>{{u"ana"_s, u"Ana Pérez"_s}}));
        QVERIFY(!found.data.contains(L1("avatars"))); // nobody has a picture: not written

        // Bea goes away at seq 2; meanwhile ana renames herself (bea hears nothing of it), dani (a stranger with a
        // name) joins and writes, cris writes, and bea writes from her other device.
        bea.reset();
        QVERIFY(setName(*ana, u"Ana María"_s).isOk());
        auto dani = m_server->connectAs(u"dani"_s);
        QVERIFY(dani && setName(*dani, u"Daniel"_s).isOk());
        QVERIFY(dani->request(Request::join({}, u"plaza"_s)).isOk());
        QVERIFY(ana->request(Request::send({}, {u"plaza"_s, u"vuelvo"_s, u"c3"_s})).isOk());
        QVERIFY(dani->request(Request::send({}, {u"plaza"_s, u"hola a todos"_s, u"c4"_s})).isOk());
        QVERIFY(cris->request(Request::send({}, {u"plaza"_s, u"hola, Daniel"_s, u"c5"_s})).isOk());
        QVERIFY(beaToo->request(Request::send({}, {u"plaza"_s, u"ya llego"_s, u"c6"_s})).isOk());

        auto beaBack = m_server->connectAs(u"bea"_s);
        QVERIFY(beaBack);
        const qsizetype before = beaBack->events().size();
        const Reply resumed = beaBack->request(Request::resume({}, ResumeParams{{{u"plaza"_s, 2}}}));
        QVERIFY(resumed.isOk());
        QVERIFY(payloadOf<ResumeResult>(resumed.data).rooms.value(u"plaza"_s).recovered);
        QList<ProfileEvent> profiles;
        QList<qint64> seqs;
        for (const Event &event : beaBack->events().mid(before)) {
            if (event.type == EventType::ProfileUpdated) {
                QVERIFY2(seqs.isEmpty(), "the profiles come before the messages");
                profiles.append(payloadOf<ProfileEvent>(event.data));
            } else if (event.type == EventType::Message) {
                seqs.append(payloadOf<ChatMessage>(event.data).seq);
            }
        }
        QCOMPARE(seqs, (QList<qint64>{3, 4, 5, 6}));
        QCOMPARE(profiles, (QList<ProfileEvent>{{u"ana"_s, u"Ana María"_s}, {u"dani"_s, u"Daniel"_s}}));

        // Nothing missed: nothing replayed, no profile either.
        const auto told = [&] {
            return std::count_if(beaBack->events().cbegin(), beaBack->events().cend(), [](const Event &e) {
                return e.type == EventType::ProfileUpdated || e.type == EventType::Message;
            });
        };
        const auto toldBefore = told();
        QVERIFY(beaBack->request(Request::resume({}, ResumeParams{{{u"plaza"_s, 6}}})).isOk());
        QCOMPARE(told(), toldBefore);
    }

    void validation_data()
    {
        QTest::addColumn<QJsonValue>("name");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("stored");
        QTest::newRow("spaces inside") << QJsonValue(u"Ana de la Cruz"_s) << true << u"Ana de la Cruz"_s;
        QTest::newRow("arabic") << QJsonValue(u"محمد علي"_s) << true << u"محمد علي"_s;
        QTest::newRow("cjk") << QJsonValue(u"王小明"_s) << true << u"王小明"_s;
        QTest::newRow("persian with zwnj") << QJsonValue(u"می\u200Cخواهم"_s) << true << u"می\u200Cخواهم"_s;
        QTest::newRow("emoji zwj sequence") << QJsonValue(u"Fam 👩\u200D👩\u200D👧"_s) << true << u"Fam 👩\u200D👩\u200D👧"_s;
        QTest::newRow("64 emoji (128 UTF-16 units)") << QJsonValue(QString(64, u'x').replace(u"x"_s, u"😀"_s)) << true
                                                    << QString(64, u'x').replace(u"x"_s, u"😀"_s);
        QTest::newRow("65 characters") << QJsonValue(QString(65, u'a')) << false << QString();
        QTest::newRow("line break") << QJsonValue(u"Ana\nMaría"_s) << false << QString();
        QTest::newRow("tab") << QJsonValue(u"Ana\tMaría"_s) << false << QString();
        QTest::newRow("bidi override") << QJsonValue(u"Ana\u202Egnp.exe"_s) << false << QString();
        QTest::newRow("zero-width space") << QJsonValue(u"ad\u200Bmin"_s) << false << QString();
        QTest::newRow("lone surrogate") << QJsonValue(QString(QChar(0xD800))) << false << QString();
        QTest::newRow("a number") << QJsonValue(42) << false << QString();
        QTest::newRow("far too long") << QJsonValue(QString(10000, u'a')) << false << QString();
        QTest::newRow("only spaces: cleared") << QJsonValue(u"   "_s) << true << QString();
    }
    /*! What set_profile accepts and refuses: bad_request with the reason (too_large far past the limit),
        nothing stored. */
    void validation()
    {
        QFETCH(QJsonValue, name);
        QFETCH(bool, valid);
        QFETCH(QString, stored);
        auto ana = m_server->connectAs(u"ana"_s);
        QVERIFY(ana);
        QVERIFY(ana->request(Request::createRoom({}, {u"plaza"_s, false})).isOk());
        const Reply reply = setName(*ana, name);
        QCOMPARE(reply.isOk(), valid);
        if (!valid) {
            // Over the parser's bound (256 UTF-16 units) the frame's field is too_large; otherwise bad_request.
            QCOMPARE(reply.error->code, name.toString().size() > 256 ? ErrorCode::TooLarge : ErrorCode::BadRequest);
            QVERIFY(!reply.error->message.isEmpty());
        }
        QCOMPARE(memberName(*ana, u"plaza"_s, u"ana"_s), stored);
    }

    /*! Display names are stored: after a restart the hello and member lists still have them. */
    void keptAcrossRestart()
    {
        {
            auto ana = m_server->connectAs(u"ana"_s);
            QVERIFY(ana);
            QVERIFY(ana->request(Request::createRoom({}, {u"plaza"_s, false})).isOk());
            QVERIFY(setName(*ana, u"Ana Pérez"_s).isOk());
        }
        QVERIFY(m_server->restart());
        auto ana = m_server->connectAs(u"ana"_s);
        auto bea = m_server->connectAs(u"bea"_s);
        QVERIFY(ana && bea);
        QCOMPARE(helloName(*ana), u"Ana Pérez"_s);
        QVERIFY(bea->request(Request::join({}, u"plaza"_s)).isOk());
        QCOMPARE(memberName(*bea, u"plaza"_s, u"ana"_s), u"Ana Pérez"_s);
    }

    /*! A change reaches everyone sharing a room, so changes have a small bucket of their own. */
    void changesAreLimited()
    {
        auto ana = m_server->connectAs(u"ana"_s);
        QVERIFY(ana);
        int accepted = 0;
        Reply last;
        for (int i = 0; i < 10; ++i) {
            last = setName(*ana, u"Ana %1"_s.arg(i));
            if (!last.isOk())
                break;
            ++accepted;
        }
        QCOMPARE(accepted, 5);
        QCOMPARE(last.error->code, ErrorCode::RateLimited);
        QVERIFY(last.error->message.contains(u"retry in"_s));
    }
};

TERTULIA_SERVER_TEST_MAIN(TestProfiles)
#include "tst_profiles.moc"
