// RoomListModel under QAbstractItemModelTester: rooms appear, change (unread, joined) and go, and a
// sign-out resets the list.
#include "app/models/roomlistmodel.h"
#include "app/session/chatroom.h"
#include "app/session/roomdirectory.h"
#include "support/manualclock.h"

#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;
using Roles = RoomListModel::Roles;

class TestRoomListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! Rows follow the directory: added, changed with named roles, removed, reset; data per role. */
    void followsDirectory();
    /*! Attaching to a directory that already has rooms shows them; detaching empties. */
    void attachAndDetach();
    /*! The mention badge counts unread messages from others that mention us (not an e-mail address,
     *  not our own); reading the room clears it. Muting keeps the unread count and says so per row. */
    void mentionBadgeAndMute();
};

void TestRoomListModel::followsDirectory()
{
    ManualClock clock;
    RoomDirectory directory(clock);
    directory.setOwnUser(u"alice"_s);
    RoomListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDirectory(&directory);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    ChatRoom *general = directory.ensure({u"general"_s, false, u"alice"_s, 41, 3, true});
    directory.ensure({u"plans"_s, true, u"bob"_s, 3, 2, false});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(inserted.size(), 2);
    const QModelIndex first = model.index(0);
    QCOMPARE(first.data().toString(), u"general"_s);
    QCOMPARE(first.data(Roles::UnreadCountRole).toInt(), 0);
    QCOMPARE(first.data(Roles::HasUnreadRole).toBool(), false);
    QCOMPARE(first.data(Roles::MemberCountRole).toInt(), 3);
    QCOMPARE(first.data(Roles::CreatorRole).toString(), u"alice"_s);
    QCOMPARE(first.data(Roles::RoomObjectRole).value<QObject *>(), general);
    QCOMPARE(model.index(1).data(Roles::PrivateRole).toBool(), true);
    QCOMPARE(model.index(1).data(Roles::JoinedRole).toBool(), false);

    // Unread goes up: a dataChanged on that row naming the unread roles.
    general->merge({{u"general"_s, 42, u"bob"_s, u"hi"_s, u"x"_s, 1}});
    QVERIFY(!changed.isEmpty());
    const auto last = changed.last();
    QCOMPARE(last.at(0).toModelIndex().row(), 0);
    QVERIFY(last.at(2).value<QList<int>>().contains(Roles::UnreadCountRole));
    QCOMPARE(first.data(Roles::UnreadCountRole).toInt(), 1);
    QCOMPARE(first.data(Roles::HasUnreadRole).toBool(), true);

    // Same name in another case is the same room.
    directory.ensure({u"GENERAL"_s, false, u"alice"_s, 42, 4, true});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(first.data(Roles::MemberCountRole).toInt(), 4);

    directory.remove(u"general"_s);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0).data().toString(), u"plans"_s);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    directory.clear();
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.roleNames().value(Roles::UnreadCountRole), QByteArray("unreadCount"));
}

void TestRoomListModel::attachAndDetach()
{
    ManualClock clock;
    RoomDirectory directory(clock);
    directory.ensure({u"a"_s, false, u"x"_s, 0, 1, true});
    directory.ensure({u"b"_s, false, u"x"_s, 0, 1, true});
    RoomListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDirectory(&directory);
    QCOMPARE(model.rowCount(), 2);
    model.setDirectory(nullptr);
    QCOMPARE(model.rowCount(), 0);
    directory.ensure({u"c"_s, false, u"x"_s, 0, 1, true}); // not watched any more
    QCOMPARE(model.rowCount(), 0);
}

void TestRoomListModel::mentionBadgeAndMute()
{
    ManualClock clock;
    RoomDirectory directory(clock);
    directory.setOwnUser(u"alice"_s);
    RoomListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDirectory(&directory);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    ChatRoom *general = directory.ensure({u"general"_s, false, u"bob"_s, 41, 3, true});
    const QModelIndex row = model.index(0);
    QCOMPARE(row.data(Roles::MentionCountRole).toInt(), 0);
    QCOMPARE(row.data(Roles::MutedRole).toBool(), false);

    general->merge({{u"general"_s, 42, u"bob"_s, u"hi @Alice, look"_s, u"b1"_s, 1}});
    QCOMPARE(row.data(Roles::MentionCountRole).toInt(), 1);
    QVERIFY(changed.last().at(2).value<QList<int>>().contains(Roles::MentionCountRole));
    general->merge({{u"general"_s, 43, u"carol"_s, u"write to alice@example.org"_s, u"c1"_s, 2},
                    {u"general"_s, 44, u"carol"_s, u"@alicia? @bob"_s, u"c2"_s, 3},
                    {u"general"_s, 45, u"carol"_s, u"@ALICE!"_s, u"c3"_s, 4}});
    QCOMPARE(row.data(Roles::UnreadCountRole).toInt(), 4);
    QCOMPARE(row.data(Roles::MentionCountRole).toInt(), 2);
    QCOMPARE(general->mentionCount(), 2);

    // Reading up to the first mention leaves the second.
    general->setReadSeq(42);
    QCOMPARE(row.data(Roles::MentionCountRole).toInt(), 1);

    // Muted: still counted, the row says muted; a muted room's mention still counts.
    changed.clear();
    general->setMuted(true);
    QCOMPARE(row.data(Roles::MutedRole).toBool(), true);
    QCOMPARE(changed.size(), 1);
    QVERIFY(changed.last().at(2).value<QList<int>>().contains(Roles::MutedRole));
    QCOMPARE(row.data(Roles::UnreadCountRole).toInt(), 3);
    QCOMPARE(directory.totalUnread(), 3);
    general->setMuted(true); // no change, no signal
    QCOMPARE(changed.size(), 1);

    // Reading the room clears both badges.
    general->markRead();
    QCOMPARE(row.data(Roles::UnreadCountRole).toInt(), 0);
    QCOMPARE(row.data(Roles::MentionCountRole).toInt(), 0);

    // Our own message naming ourselves is no mention; a room we left counts none.
    general->merge({{u"general"_s, 46, u"alice"_s, u"note to @alice"_s, u"a1"_s, 5}});
    QCOMPARE(row.data(Roles::MentionCountRole).toInt(), 0);
    general->merge({{u"general"_s, 47, u"bob"_s, u"@alice?"_s, u"b2"_s, 6}});
    QCOMPARE(row.data(Roles::MentionCountRole).toInt(), 1);
    general->setJoined(false);
    QCOMPARE(row.data(Roles::MentionCountRole).toInt(), 0);
}

QTEST_GUILESS_MAIN(TestRoomListModel)
#include "tst_roomlistmodel.moc"
