// MemberListModel under QAbstractItemModelTester: the member list with presence and typing, room
// switches and a room going away.
#include "app/models/memberlistmodel.h"
#include "app/session/chatroom.h"
#include "support/manualclock.h"

#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Protocol::PresenceStatus;
using Roles = MemberListModel::Roles;

class TestMemberListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! Members load, join, leave and change presence as row signals; typing shows per member. */
    void membersPresenceTyping();
    /*! Switching rooms resets to the other room's members; a deleted room empties the model. */
    void roomSwitchAndRoomGone();
};

void TestMemberListModel::membersPresenceTyping()
{
    ManualClock clock;
    ChatRoom room({u"general"_s, false, u"alice"_s, 0, 0, true}, u"alice"_s, clock);
    MemberListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRoom(&room);
    QCOMPARE(model.rowCount(), 0);
    room.setMembers({{u"bob"_s, PresenceStatus::Online}, {u"alice"_s, PresenceStatus::Online},
                     {u"carol"_s, PresenceStatus::Offline}});
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0).data().toString(), u"alice"_s);
    QCOMPARE(model.index(2).data(Roles::PresenceRole).toInt(), int(PresenceStatus::Offline));
    QCOMPARE(model.index(2).data(Roles::PresenceTextRole).toString(), MemberListModel::tr("offline"));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    room.setPresence(u"carol"_s, PresenceStatus::Away);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex().row(), 2);
    QCOMPARE(model.index(2).data(Roles::PresenceTextRole).toString(), MemberListModel::tr("away"));

    room.setTyping(u"bob"_s, true);
    QCOMPARE(model.index(1).data(Roles::TypingRole).toBool(), true);
    QCOMPARE(model.index(0).data(Roles::TypingRole).toBool(), false);
    QVERIFY(changed.last().at(2).value<QList<int>>().contains(Roles::TypingRole));
    clock.advance(8s);
    QCOMPARE(model.index(1).data(Roles::TypingRole).toBool(), false);

    room.addMember(u"dave"_s);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.index(3).data().toString(), u"dave"_s);
    room.removeMember(u"bob"_s);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(1).data().toString(), u"carol"_s);
}

void TestMemberListModel::roomSwitchAndRoomGone()
{
    ManualClock clock;
    ChatRoom general({u"general"_s, false, u"alice"_s, 0, 0, true}, u"alice"_s, clock);
    general.setMembers({{u"alice"_s, PresenceStatus::Online}, {u"bob"_s, PresenceStatus::Online}});
    auto plans = std::make_unique<ChatRoom>(Protocol::RoomInfo{u"plans"_s, true, u"alice"_s, 0, 0, true},
                                            u"alice"_s, clock);
    plans->setMembers({{u"alice"_s, PresenceStatus::Online}});
    MemberListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setRoom(&general);
    QCOMPARE(model.rowCount(), 2);
    model.setRoom(plans.get());
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(reset.size(), 2);
    general.addMember(u"zoe"_s); // the old room no longer drives the model
    QCOMPARE(model.rowCount(), 1);
    plans.reset();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(reset.size(), 3);
}

QTEST_GUILESS_MAIN(TestMemberListModel)
#include "tst_memberlistmodel.moc"
