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

QTEST_GUILESS_MAIN(TestRoomListModel)
#include "tst_roomlistmodel.moc"
