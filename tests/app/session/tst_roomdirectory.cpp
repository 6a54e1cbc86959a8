// The rooms an account can see, as the room list shows them: rooms first, then direct conversations, each in
// the order it became known, with the about-to/done pairs a list model needs.
#include "app/session/chatroom.h"
#include "app/session/roomdirectory.h"
#include "support/manualclock.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;

namespace {
Protocol::RoomInfo room(const QString &name)
{
    Protocol::RoomInfo info;
    info.name = name;
    return info;
}

Protocol::RoomInfo direct(const QString &me, const QString &peer)
{
    Protocol::RoomInfo info;
    info.name = u"@"_s + me + u"+"_s + peer;
    info.isPrivate = true;
    info.direct = true;
    info.peer = peer;
    return info;
}

QStringList names(const RoomDirectory &directory)
{
    QStringList names;
    for (const ChatRoom *room : directory.rooms())
        names.append(room->name());
    return names;
}
} // namespace

class TestRoomDirectory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roomsComeBeforeDirectConversations()
    {
        ManualClock clock;
        RoomDirectory directory(clock);
        directory.setOwnUser(u"alice"_s);
        // As list_rooms gives them (sorted by name, so the `@` addresses first), then news of this session.
        directory.ensure(direct(u"alice"_s, u"bob"_s));
        directory.ensure(room(u"general"_s));
        directory.ensure(room(u"random"_s));
        QCOMPARE(names(directory), (QStringList{u"general"_s, u"random"_s, u"@alice+bob"_s}));

        QSignalSpy aboutToAdd(&directory, &RoomDirectory::roomAboutToBeAdded);
        QSignalSpy added(&directory, &RoomDirectory::roomAdded);
        directory.ensure(direct(u"alice"_s, u"carol"_s)); // opened mid-session: last of the conversations
        directory.ensure(room(u"café"_s));                // created mid-session: last of the rooms
        QCOMPARE(names(directory), (QStringList{u"general"_s, u"random"_s, u"café"_s, u"@alice+bob"_s, u"@alice+carol"_s}));
        QCOMPARE(aboutToAdd.size(), 2);
        QCOMPARE(aboutToAdd.at(0).at(0).toInt(), 3);
        QCOMPARE(aboutToAdd.at(1).at(0).toInt(), 2);
        QCOMPARE(added.at(1).at(0).toInt(), 2);
        QCOMPARE(directory.indexOf(directory.find(u"CAFÉ"_s)), 2);

        // Known rooms are updated in place, wherever they are.
        directory.ensure(room(u"general"_s));
        QCOMPARE(aboutToAdd.size(), 2);
        QCOMPARE(directory.count(), 5);
    }

    void onlyRoomsOrOnlyConversations()
    {
        ManualClock clock;
        RoomDirectory directory(clock);
        directory.ensure(room(u"b"_s));
        directory.ensure(room(u"a"_s));
        QCOMPARE(names(directory), (QStringList{u"b"_s, u"a"_s}));
        directory.clear();
        directory.ensure(direct(u"alice"_s, u"bob"_s));
        directory.ensure(direct(u"alice"_s, u"ana"_s));
        QCOMPARE(names(directory), (QStringList{u"@alice+bob"_s, u"@alice+ana"_s}));
    }
};

QTEST_GUILESS_MAIN(TestRoomDirectory)
#include "tst_roomdirectory.moc"
