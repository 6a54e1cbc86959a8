// Avatar pictures (issue 12) end to end: a real in-process server, PUT/DELETE /api/v1/profile/avatar and
// GET /api/v1/avatars/<user> over real HTTP with Bearer tokens, and the picture's version heard over real
// WebSockets (native and Socket.IO) wherever the display name travels: profile_updated, member lists, the hello,
// history pages, search results and ahead of a resume's replay. Every refusal is tried. Runs on SQLite, and on
// PostgreSQL as tst_avatarapi_postgres.
#include "server/api/avatarapi.h"
#include "shared/identity.h"
#include "support/printers.h"
#include "support/sioclient.h"
#include "support/testmain.h"
#include "support/testserver.h"
#include "support/wsclient.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QtEndian>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Protocol;
using namespace Tertulia::Test;
using Testing::SioClient;
using L1 = QLatin1StringView;

namespace {
/// The header of a PNG of that size and some bytes after it (the server reads the header only); `salt` makes
/// pictures of the same size differ.
QByteArray png(quint32 width, quint32 height, char salt = 'x')
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
    bytes.append(QByteArray(64, salt));
    return bytes;
}

/// The header of a GIF of that size.
QByteArray gif(quint16 width, quint16 height)
{
    QByteArray bytes("GIF89a");
    char le[2];
    qToLittleEndian<quint16>(width, le);
    bytes.append(le, 2);
    qToLittleEndian<quint16>(height, le);
    bytes.append(le, 2);
    bytes.append(QByteArray(32, '\0'));
    return bytes;
}
} // namespace

class TestAvatarApi : public QObject
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
        return m_server->connectWith(QString::fromLatin1(tokenOf(user))); // the token the HTTP calls use too
    }

    HttpResult put(const QString &user, const QByteArray &bytes, const QByteArray &type = "image/png")
    {
        return m_server->http().sendBytes("PUT", u"/api/v1/profile/avatar"_s, bytes, type, tokenOf(user));
    }
    HttpResult remove(const QString &user)
    {
        return m_server->http().send("DELETE", u"/api/v1/profile/avatar"_s, {}, tokenOf(user));
    }
    HttpResult fetch(const QString &reader, const QString &user, const QString &version = {})
    {
        const QString query = version.isEmpty() ? QString() : u"?v="_s + version;
        return m_server->http().send("GET", u"/api/v1/avatars/"_s + user + query, {}, tokenOf(reader));
    }

    /// The avatar `member` has in the room's member list as `client` reads it.
    static std::optional<QString> memberAvatar(WsClient &client, const QString &room, const QString &member)
    {
        const Reply reply = client.request(Request::members({}, room));
        for (const Member &m : payloadOf<MembersResult>(reply.data).members) {
            if (m.user == member)
                return m.avatar;
        }
        return std::nullopt;
    }
    static qsizetype profileEvents(const WsClient &client)
    {
        return std::count_if(client.events().cbegin(), client.events().cend(),
                             [](const Event &e) { return e.type == EventType::ProfileUpdated; });
    }
    static bool heardProfile(const WsClient &client) { return profileEvents(client) > 0; }

private Q_SLOTS:
    void cleanup() { m_server.reset(); }

    /*! A picture: set with PUT (answered with the profile), heard at once by the user's other session and by
        members of a shared room (native and Socket.IO), never by someone sharing no room; served to anyone
        signed in with the headers that keep a browser safe and the caching its version allows; carried by
        member lists, a new session's hello and history pages (even after the person left). The same picture
        again tells nobody; another replaces it; DELETE removes it (404 after). */
    void setHearServeRemove()
    {
        start();
        auto ana = connectAs(u"ana"_s);
        auto anaToo = connectAs(u"ana"_s);
        auto bea = connectAs(u"bea"_s);
        auto cris = connectAs(u"cris"_s); // shares no room with ana
        QVERIFY(ana && anaToo && bea && cris);
        QVERIFY(ana->request(Request::createRoom({}, {u"plaza"_s, false})).isOk());
        QVERIFY(bea->request(Request::join({}, u"plaza"_s)).isOk());
        QVERIFY(ana->request(Request::send({}, {u"plaza"_s, u"hola"_s, u"c1"_s})).isOk());
        auto sio = std::make_unique<SioClient>(m_server->httpUrl());
        QVERIFY(sio->connect({{L1("token"), QString::fromLatin1(tokenOf(u"dani"_s))}}).startsWith(u"40{"));
        QCOMPARE(sio->request(u"join"_s, {{L1("room"), u"plaza"_s}}).value(L1("type")).toString(), u"ok"_s);
        QCOMPARE(fetch(u"bea"_s, u"ana"_s).status, 404);
        QCOMPARE(memberAvatar(*bea, u"plaza"_s, u"ana"_s), QString());

        const QByteArray picture = png(256, 256);
        const QString version = Identity::avatarVersion(picture);
        QVERIFY(Identity::isAvatarVersion(version));
        const HttpResult set = put(u"ana"_s, picture);
        QCOMPARE(set.status, 200);
        QCOMPARE(payloadOf<ProfileEvent>(set.json), (ProfileEvent{u"ana"_s, {}, version}));
        for (WsClient *session : {ana.get(), anaToo.get(), bea.get()}) {
            const auto heard = session->waitForEvent(EventType::ProfileUpdated);
            QVERIFY(heard);
            QCOMPARE(payloadOf<ProfileEvent>(heard->data), (ProfileEvent{u"ana"_s, {}, version}));
        }
        QVERIFY(sio->waitForEvents(u"profile_updated"_s, 1));
        QCOMPARE(sio->events(u"profile_updated"_s).first().at(1).toObject().value(L1("avatar")).toString(), version);
        QVERIFY(cris->request(Request::ping({})).isOk()); // anything for cris would have arrived before this
        QVERIFY(!heardProfile(*cris));

        // Anyone signed in may fetch it, cris too: as stored, safe in a browser, kept for good by its version.
        for (const QString &reader : {u"cris"_s, u"bea"_s}) {
            const HttpResult got = fetch(reader, u"ANA"_s, version); // any spelling of the name
            QCOMPARE(got.status, 200);
            QCOMPARE(got.body, picture);
            QCOMPARE(got.header("content-type"), "image/png");
            QCOMPARE(got.header("x-content-type-options"), "nosniff");
            QVERIFY(got.header("content-security-policy").startsWith("sandbox"));
            QVERIFY2(got.header("cache-control").contains("immutable"), got.header("cache-control").constData());
            QVERIFY(got.header("cache-control").startsWith("private"));
        }
        // Without its version (or with an old one) it must be asked again each time.
        QCOMPARE(fetch(u"cris"_s, u"ana"_s).header("cache-control"), "private, no-cache");
        QCOMPARE(fetch(u"cris"_s, u"ana"_s, u"old"_s).header("cache-control"), "private, no-cache");

        // Where names travel: member lists (native and Socket.IO), a new session's hello, history pages.
        QCOMPARE(memberAvatar(*bea, u"plaza"_s, u"ana"_s), version);
        const QJsonObject sioMembers = sio->request(u"members"_s, {{L1("room"), u"plaza"_s}});
        QCOMPARE(sioMembers.value(L1("type")).toString(), u"ok"_s);
        bool listed = false;
        for (const QJsonValue &member : sioMembers.value(L1("data")).toObject().value(L1("members")).toArray())
            listed = listed || member.toObject().value(L1("avatar")).toString() == version;
        QVERIFY2(listed, QJsonDocument(sioMembers).toJson().constData());
        auto anaLater = connectAs(u"ana"_s);
        QCOMPARE(payloadOf<HelloInfo>(anaLater->replies().first().data).avatar, version);
        QVERIFY(ana->request(Request::leave({}, u"plaza"_s)).isOk());
        const Reply page = bea->request(Request::history({}, {u"plaza"_s, {}, {}, 50}));
        QVERIFY(page.isOk());
        QCOMPARE(payloadOf<HistoryPage>(page.data).avatars.value(u"ana"_s), version);
        QVERIFY(!page.data.value(L1("avatars")).toObject().contains(u"bea"_s)); // none set: not written
        QVERIFY(ana->request(Request::join({}, u"plaza"_s)).isOk());

        // The same bytes again: the same version, nobody told.
        const qsizetype before = profileEvents(*anaToo);
        QCOMPARE(put(u"ana"_s, picture).status, 200);
        QVERIFY(anaToo->request(Request::ping({})).isOk());
        QCOMPARE(profileEvents(*anaToo), before);

        // Another picture (a GIF) replaces it; a rename keeps it.
        const QByteArray other = gif(64, 64);
        const QString otherVersion = Identity::avatarVersion(other);
        QVERIFY(otherVersion != version);
        QCOMPARE(put(u"ana"_s, other, "image/gif").status, 200);
        QVERIFY(QTest::qWaitFor([&] { return memberAvatar(*bea, u"plaza"_s, u"ana"_s) == otherVersion; }, 5000));
        const HttpResult gotOther = fetch(u"bea"_s, u"ana"_s, otherVersion);
        QCOMPARE(gotOther.body, other);
        QCOMPARE(gotOther.header("content-type"), "image/gif");
        const Reply renamed = ana->request(Request::setProfile({}, {u"Ana María"_s}));
        QVERIFY(renamed.isOk());
        QCOMPARE(payloadOf<ProfileEvent>(renamed.data), (ProfileEvent{u"ana"_s, u"Ana María"_s, otherVersion}));

        // Removed: heard as null, 404 with the one error body.
        QVERIFY(bea->waitForEvent(EventType::ProfileUpdated, [](const Event &e) {
            return e.data.value(L1("display_name")).toString() == u"Ana María"_s;
        }));
        const HttpResult removed = remove(u"ana"_s);
        QCOMPARE(removed.status, 200);
        QCOMPARE(payloadOf<ProfileEvent>(removed.json), (ProfileEvent{u"ana"_s, u"Ana María"_s, {}}));
        const auto removal = bea->waitForEvent(EventType::ProfileUpdated);
        QVERIFY(removal);
        QVERIFY(removal->data.value(L1("avatar")).isNull());
        const HttpResult gone = fetch(u"bea"_s, u"ana"_s, otherVersion);
        QCOMPARE(gone.status, 404);
        QCOMPARE(gone.errorCode(), u"not_found"_s);
        QCOMPARE(memberAvatar(*bea, u"plaza"_s, u"ana"_s), QString());
        QCOMPARE(remove(u"ana"_s).status, 200); // nothing to remove: still fine
    }

    /*! Search results carry their senders' picture versions (native and Socket.IO), and a resume sends the
        picture of a replayed message's sender ahead of it: a new picture set while the client was away. */
    void searchAndResumeCarryPictures()
    {
        start();
        auto ana = connectAs(u"ana"_s);
        auto bea = connectAs(u"bea"_s);
        QVERIFY(ana && bea);
        QVERIFY(ana->request(Request::createRoom({}, {u"plaza"_s, false})).isOk());
        QVERIFY(bea->request(Request::join({}, u"plaza"_s)).isOk());
        const QByteArray picture = png(64, 64);
        const QString version = Identity::avatarVersion(picture);
        QCOMPARE(put(u"ana"_s, picture).status, 200);
        QVERIFY(ana->request(Request::send({}, {u"plaza"_s, u"un café"_s, u"c1"_s})).isOk());

        SearchParams cafe;
        cafe.query = u"cafe"_s;
        const Reply found = bea->request(Request::search({}, cafe));
        QVERIFY(found.isOk());
        QCOMPARE(payloadOf<SearchResults>(found.data).avatars, (QMap<QString, QString>{{u"ana"_s, version}}));
        auto sio = std::make_unique<SioClient>(m_server->httpUrl());
        QVERIFY(sio->connect({{L1("token"), QString::fromLatin1(tokenOf(u"bea"_s))}}).startsWith(u"40{"));
        const QJsonObject sioFound = sio->request(u"search"_s, {{L1("query"), u"cafe"_s}});
        QCOMPARE(sioFound.value(L1("data")).toObject().value(L1("avatars")).toObject().value(L1("ana")).toString(), version);

        // Away at seq 1: ana's new picture reaches bea only with the replay of her next message, ahead of it.
        bea.reset();
        const QByteArray other = gif(48, 48);
        QCOMPARE(put(u"ana"_s, other, "image/gif").status, 200);
        QVERIFY(ana->request(Request::send({}, {u"plaza"_s, u"¿me ves?"_s, u"c2"_s})).isOk());
        auto beaBack = connectAs(u"bea"_s);
        QVERIFY(beaBack);
        QVERIFY(beaBack->request(Request::resume({}, ResumeParams{{{u"plaza"_s, 1}}})).isOk());
        const auto told = beaBack->waitForEvent(EventType::ProfileUpdated);
        QVERIFY(told);
        QCOMPARE(payloadOf<ProfileEvent>(told->data), (ProfileEvent{u"ana"_s, {}, Identity::avatarVersion(other)}));
        QCOMPARE(beaBack->messages(u"plaza"_s).size(), 1);
    }

    /*! A direct conversation is called after its other person (issue 12): `open_direct`'s answer, the other's
        `direct_opened` and `list_rooms` carry that person's display name and picture version in `display_names`
        and `avatars` (as search results name their senders), on the native protocol and over Socket.IO; a person
        with neither is named by user name only (nothing written). */
    void directConversationsNameThePeer()
    {
        start();
        auto ana = connectAs(u"ana"_s);
        auto bea = connectAs(u"bea"_s);
        QVERIFY(ana && bea);
        const QByteArray picture = png(64, 64);
        const QString version = Identity::avatarVersion(picture);
        QCOMPARE(put(u"ana"_s, picture).status, 200);
        QVERIFY(ana->request(Request::setProfile({}, {u"Ana María"_s})).isOk());
        const QMap<QString, QString> names{{u"ana"_s, u"Ana María"_s}};
        const QMap<QString, QString> pictures{{u"ana"_s, version}};

        // bea opens it: the answer names ana; ana hears of it with bea, who has no profile: nothing written.
        const Reply opened = bea->request(Request::openDirect({}, {u"ana"_s}));
        QVERIFY(opened.isOk());
        const RoomResult answer = payloadOf<RoomResult>(opened.data);
        QCOMPARE(answer.room.peer, u"ana"_s);
        QCOMPARE(answer.displayNames, names);
        QCOMPARE(answer.avatars, pictures);
        const auto heard = ana->waitForEvent(EventType::DirectOpened);
        QVERIFY(heard);
        QCOMPARE(payloadOf<RoomResult>(heard->data).room.peer, u"bea"_s);
        QVERIFY(!heard->data.contains(L1("display_names")) && !heard->data.contains(L1("avatars")));
        // Opened again (held in memory, no store read): the same.
        QCOMPARE(payloadOf<RoomResult>(bea->request(Request::openDirect({}, {u"ana"_s})).data).displayNames, names);

        // The room list names the people of direct conversations only (not a room's members).
        QVERIFY(bea->request(Request::createRoom({}, {u"plaza"_s, false})).isOk());
        QVERIFY(ana->request(Request::join({}, u"plaza"_s)).isOk());
        const RoomListResult list = payloadOf<RoomListResult>(bea->request(Request::listRooms({})).data);
        QCOMPARE(list.rooms.size(), 2);
        QCOMPARE(list.displayNames, names);
        QCOMPARE(list.avatars, pictures);
        const RoomListResult anasList = payloadOf<RoomListResult>(ana->request(Request::listRooms({})).data);
        QVERIFY(anasList.displayNames.isEmpty() && anasList.avatars.isEmpty());

        // Over Socket.IO: list_rooms the same; direct_opened names the one who opened it, when she has a profile.
        auto sio = std::make_unique<SioClient>(m_server->httpUrl());
        QVERIFY(sio->connect({{L1("token"), QString::fromLatin1(tokenOf(u"bea"_s))}}).startsWith(u"40{"));
        const QJsonObject sioList = sio->request(u"list_rooms"_s, {}).value(L1("data")).toObject();
        QCOMPARE(sioList.value(L1("display_names")).toObject(), (QJsonObject{{u"ana"_s, u"Ana María"_s}}));
        QCOMPARE(sioList.value(L1("avatars")).toObject(), (QJsonObject{{u"ana"_s, version}}));
        auto cris = connectAs(u"cris"_s);
        QVERIFY(cris);
        QVERIFY(cris->request(Request::setProfile({}, {u"Cristina"_s})).isOk());
        QVERIFY(cris->request(Request::openDirect({}, {u"bea"_s})).isOk());
        QVERIFY(sio->waitForEvents(u"direct_opened"_s, 1));
        const QJsonObject sioOpened = sio->events(u"direct_opened"_s).first().at(1).toObject();
        QCOMPARE(sioOpened.value(L1("room")).toObject().value(L1("peer")).toString(), u"cris"_s);
        QCOMPARE(sioOpened.value(L1("display_names")).toObject(), (QJsonObject{{u"cris"_s, u"Cristina"_s}}));
        QVERIFY(!sioOpened.contains(L1("avatars")));
    }

    /*! What is refused, and how: no or a bad token (401), not an image or a type that lies (415), an empty body
        or a picture over 1024 pixels (400), too many bytes (413, from Content-Length), another method (405),
        a user that does not exist or has no picture (404); nothing is stored by a refusal. */
    void refusals()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.maxAvatarBytes = 2000;
        start(config);
        auto ana = connectAs(u"ana"_s);
        QVERIFY(ana);
        HttpClient &http = m_server->http();

        QCOMPARE(http.sendBytes("PUT", u"/api/v1/profile/avatar"_s, png(8, 8), "image/png").status, 401);
        QCOMPARE(http.sendBytes("PUT", u"/api/v1/profile/avatar"_s, png(8, 8), "image/png", "not-a-token").status, 401);
        QCOMPARE(http.send("GET", u"/api/v1/avatars/ana"_s).status, 401);

        QCOMPARE(put(u"ana"_s, "<svg onload=alert(1)>", "image/svg+xml").status, 415);
        QCOMPARE(put(u"ana"_s, "not a picture", "image/png").status, 415);
        QCOMPARE(put(u"ana"_s, png(8, 8), "image/jpeg").status, 415);
        QCOMPARE(put(u"ana"_s, png(8, 8), {}).status, 415);
        const HttpResult empty = put(u"ana"_s, {});
        QCOMPARE(empty.status, 400);
        const HttpResult huge = put(u"ana"_s, png(2000, 10));
        QCOMPARE(huge.status, 400);
        QVERIFY(huge.json.value(L1("error")).toObject().value(L1("message")).toString().contains(u"1024"_s));
        const HttpResult large = put(u"ana"_s, png(8, 8) + QByteArray(2000, 'x'));
        QCOMPARE(large.status, 413);
        QCOMPARE(large.errorCode(), u"too_large"_s);
        const HttpResult post = http.sendBytes("POST", u"/api/v1/profile/avatar"_s, png(8, 8), "image/png", tokenOf(u"ana"_s));
        QCOMPARE(post.status, 405);
        QVERIFY(post.header("allow").contains("PUT"));
        QCOMPARE(http.sendBytes("PUT", u"/api/v1/profile/avatarx"_s, png(8, 8), "image/png", tokenOf(u"ana"_s)).status, 404);
        QCOMPARE(http.send("PUT", u"/api/v1/avatars/ana"_s, {}, tokenOf(u"ana"_s)).status, 405);
        QCOMPARE(fetch(u"ana"_s, u"nobody"_s).status, 404);
        QCOMPARE(fetch(u"ana"_s, u"not a name"_s).status, 404);
        QCOMPARE(fetch(u"ana"_s, u"ana"_s).status, 404);
        QVERIFY(!heardProfile(*ana));
        QCOMPARE(payloadOf<HelloInfo>(connectAs(u"ana"_s)->replies().first().data).avatar, QString());
    }

    /*! A change reaches everyone sharing a room, who then fetch the picture: changes have set_profile's small
        bucket (429 with Retry-After), across all of the user's devices; refusals (above) take nothing from it. */
    void changesAreLimited()
    {
        start();
        int accepted = 0;
        HttpResult last;
        for (int i = 0; i < 10; ++i) {
            last = i % 2 ? remove(u"ana"_s) : put(u"ana"_s, png(8, 8, char('a' + i)));
            if (last.status != 200)
                break;
            ++accepted;
        }
        QCOMPARE(accepted, 5);
        QCOMPARE(last.status, 429);
        QCOMPARE(last.errorCode(), u"rate_limited"_s);
        QVERIFY(last.header("retry-after").toInt() > 0);
        // Fetching is another budget: the last one set is served.
        const HttpResult got = fetch(u"ana"_s, u"ana"_s);
        QCOMPARE(got.status, 200);
        QCOMPARE(got.body, png(8, 8, 'e'));
    }

    /*! The picture is stored: after a restart the hello carries it and it is served. */
    void keptAcrossRestart()
    {
        start();
        const QByteArray picture = png(100, 100);
        QCOMPARE(put(u"ana"_s, picture).status, 200);
        QVERIFY(m_server->restart());
        auto ana = connectAs(u"ana"_s);
        QVERIFY(ana);
        QCOMPARE(payloadOf<HelloInfo>(ana->replies().first().data).avatar, Identity::avatarVersion(picture));
        const HttpResult got = fetch(u"bea"_s, u"ana"_s);
        QCOMPARE(got.status, 200);
        QCOMPARE(got.body, picture);
    }

    /*! Deleting the account removes the picture (and the display name): who shared a room hears the profile
        cleared, the picture is not served, and a restart does not bring it back. */
    void deletedWithTheAccount()
    {
        start();
        auto ana = connectAs(u"ana"_s);
        auto bea = connectAs(u"bea"_s);
        QVERIFY(ana && bea);
        QVERIFY(ana->request(Request::createRoom({}, {u"plaza"_s, false})).isOk());
        QVERIFY(bea->request(Request::join({}, u"plaza"_s)).isOk());
        QVERIFY(ana->request(Request::setProfile({}, {u"Ana"_s})).isOk());
        QCOMPARE(put(u"ana"_s, png(64, 64)).status, 200);
        QVERIFY(QTest::qWaitFor([&] { return memberAvatar(*bea, u"plaza"_s, u"ana"_s) != QString(); }, 5000));
        const qsizetype before = bea->events().size();

        const HttpResult deleted = m_server->http().send("POST", u"/api/v1/account/delete"_s,
                                                         QJsonObject{{L1("password"), u"password123"_s}}, tokenOf(u"ana"_s));
        QCOMPARE(deleted.status, 200);
        QVERIFY(QTest::qWaitFor([&] {
            const auto events = bea->events();
            return std::any_of(events.cbegin() + before, events.cend(), [](const Event &e) {
                return e.type == EventType::ProfileUpdated && payloadOf<ProfileEvent>(e.data) == ProfileEvent{u"ana"_s, {}, {}};
            });
        }, 5000));
        QCOMPARE(fetch(u"bea"_s, u"ana"_s).status, 404);
        QVERIFY(m_server->restart());
        QCOMPARE(fetch(u"bea"_s, u"ana"_s).status, 404);
    }
};

TERTULIA_SERVER_TEST_MAIN(TestAvatarApi)
#include "tst_avatarapi.moc"
