// MessageListModel under QAbstractItemModelTester: live messages, scroll-back pages, pending rows
// and their echoes, grouping and day separators, room switches and a room going away.
#include "app/models/messagelistmodel.h"
#include "app/session/chatroom.h"
#include "support/manualclock.h"

#include <QtCore/QTimeZone>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;
using Protocol::ChatMessage;
using Roles = MessageListModel::Roles;
using Delivery = TimelineItem::Delivery;

namespace {
const QDateTime kStart(QDate(2025, 3, 14), QTime(9, 30), QTimeZone::utc());

ChatMessage msg(qint64 seq, const QString &sender, qint64 minutesAfterStart, const QString &cmid = {})
{
    return {u"general"_s, seq, sender, u"message %1"_s.arg(seq), cmid.isEmpty() ? u"c%1"_s.arg(seq) : cmid,
            kStart.addSecs(minutesAfterStart * 60).toMSecsSinceEpoch()};
}

/// An edit (or, without text, a deletion) of `target` by `sender`.
ChatMessage change(qint64 seq, qint64 target, const QString &sender, const std::optional<QString> &text)
{
    ChatMessage m = msg(seq, sender, seq);
    m.kind = text ? Protocol::MessageKind::Edit : Protocol::MessageKind::Delete;
    m.target = target;
    m.text = text.value_or(QString());
    return m;
}

OutboxEntry entry(const QString &id, OutboxEntry::State state = OutboxEntry::State::Queued)
{
    OutboxEntry e;
    e.clientMsgId = id;
    e.room = u"general"_s;
    e.text = u"pending "_s + id;
    e.createdAt = kStart.addSecs(3600);
    e.state = state;
    return e;
}
} // namespace

class TestMessageListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    /*! Every role of a server message, and the role names for QML. */
    void roles();
    /*! The "New messages" line: above the first stored message after the marker the room was opened at;
        none when nothing was unread; it follows a page of older messages; a switch clears it. */
    void unreadLine();
    /*! Consecutive messages of one sender within 5 minutes group; a new day gets a separator. */
    void groupingAndDaySeparators();
    /*! Prepending a page updates the hints of the row that used to be first. */
    void prependUpdatesNeighbour();
    /*! Pending rows: sending, failed (with the error), then replaced by the echo. */
    void pendingRows();
    /*! Edits and deletions are no rows: they change the row they target (text, edited, tombstone) with
        dataChanged; older ones never undo a newer state, and they work from live events, pages and gaps. */
    void editsAndDeletions();
    /*! A reply quotes its original (sender, first line) when it is loaded, says when it is not, follows its
        edits and deletion, and learns the original when an older page brings it (dataChanged). Pending
        replies quote too. */
    void replies();
    /*! Reactions: react entries are no rows; the row's ReactionsRole counts who gave each (ours marked) and
        changes with dataChanged; a page read later (reaction_seq) is not undone by older entries. */
    void reactions();
    /*! Switching rooms resets; the old room no longer drives the model; a deleted room empties it. */
    void roomSwitchAndRoomGone();
    /*! Mentions of members (and of us) come with their positions; ours stand out (MentionsYouRole) only in
     *  others' messages; a member arriving turns their name into a mention (dataChanged), leaving undoes it. */
    void mentions();

private:
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<ChatRoom> m_room;
    std::unique_ptr<MessageListModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestMessageListModel::init()
{
    m_clock = std::make_unique<ManualClock>();
    m_room = std::make_unique<ChatRoom>(Protocol::RoomInfo{u"general"_s, false, u"alice"_s, 0, 2, true},
                                        u"alice"_s, *m_clock);
    m_model = std::make_unique<MessageListModel>();
    // The tester watches the model from before it has any data.
    m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(),
                                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model->setRoom(m_room.get());
}

void TestMessageListModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
    m_room.reset();
}

void TestMessageListModel::roles()
{
    m_room->merge({msg(1, u"bob"_s, 0), msg(2, u"Alice"_s, 1)});
    QCOMPARE(m_model->rowCount(), 2);
    const QModelIndex bob = m_model->index(0);
    QCOMPARE(bob.data().toString(), u"message 1"_s);
    QCOMPARE(bob.data(Roles::TextRole).toString(), u"message 1"_s);
    QCOMPARE(bob.data(Roles::SenderRole).toString(), u"bob"_s);
    QCOMPARE(bob.data(Roles::TimestampRole).toDateTime(), kStart.toLocalTime());
    QCOMPARE(bob.data(Roles::SeqRole).toLongLong(), 1);
    QCOMPARE(bob.data(Roles::ClientMsgIdRole).toString(), u"c1"_s);
    QCOMPARE(bob.data(Roles::DeliveryRole).toInt(), int(Delivery::Sent));
    QCOMPARE(bob.data(Roles::PendingRole).toBool(), false);
    QCOMPARE(bob.data(Roles::OwnRole).toBool(), false);
    QCOMPARE(m_model->index(1).data(Roles::OwnRole).toBool(), true);
    QVERIFY(!m_model->index(0).data(Qt::DecorationRole).isValid());
    const auto names = m_model->roleNames();
    QCOMPARE(names.value(Roles::DaySeparatorRole), QByteArray("daySeparator"));
    QCOMPARE(names.value(Qt::DisplayRole), QByteArray("display"));
}

void TestMessageListModel::unreadLine()
{
    const auto lineAt = [this] {
        QList<int> rows;
        for (int row = 0; row < m_model->rowCount(); ++row) {
            if (m_model->index(row).data(Roles::UnreadLineRole).toBool())
                rows << row;
        }
        return rows;
    };
    m_room->merge({msg(5, u"bob"_s, 0), msg(6, u"bob"_s, 1), msg(7, u"bob"_s, 2), msg(8, u"bob"_s, 3)});
    QCOMPARE(m_model->firstUnreadRow(), -1);
    QVERIFY(lineAt().isEmpty());
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    m_model->setUnreadAfter(6);
    QCOMPARE(m_model->firstUnreadRow(), 2);
    QCOMPARE(lineAt(), QList<int>{2});
    QCOMPARE(changed.size(), 1); // the row that gained the line
    QCOMPARE(m_model->roleNames().value(Roles::UnreadLineRole), QByteArray("unreadLine"));
    // Older pages above: the line stays on the same message.
    m_room->merge({msg(3, u"bob"_s, 0), msg(4, u"bob"_s, 0)});
    QCOMPARE(lineAt(), QList<int>{4});
    // Everything loaded is unread: the line tops the timeline.
    m_model->setUnreadAfter(2);
    QCOMPARE(lineAt(), QList<int>{0});
    m_model->setUnreadAfter(8); // all read
    QVERIFY(lineAt().isEmpty());
    m_model->setUnreadAfter(0);
    QCOMPARE(m_model->firstUnreadRow(), -1);
}

void TestMessageListModel::groupingAndDaySeparators()
{
    // carol's 7 was written offline a quarter of an hour before it arrived (written_at): its own header, both times.
    ChatMessage late = msg(7, u"carol"_s, 24 * 60 + 2);
    late.writtenAt = kStart.addSecs((24 * 60 - 13) * 60).toMSecsSinceEpoch();
    m_room->merge({msg(1, u"bob"_s, 0), msg(2, u"bob"_s, 2), msg(3, u"bob"_s, 9), msg(4, u"carol"_s, 10),
                   msg(5, u"carol"_s, 24 * 60), msg(6, u"carol"_s, 24 * 60 + 1), late});
    const auto grouped = [this](int row) { return m_model->index(row).data(Roles::GroupedWithPreviousRole).toBool(); };
    const auto day = [this](int row) { return m_model->index(row).data(Roles::DaySeparatorRole).toDate(); };
    QCOMPARE(grouped(0), false);
    QCOMPARE(grouped(1), true);  // 2 minutes later
    QCOMPARE(grouped(2), false); // 7 minutes later
    QCOMPARE(grouped(3), false); // another sender
    QCOMPARE(grouped(4), false); // next day
    QCOMPARE(grouped(5), true);
    QCOMPARE(grouped(6), false); // a minute later, but written long before
    QCOMPARE(m_model->index(6).data(Roles::WrittenRole).toDateTime(), QDateTime::fromMSecsSinceEpoch(late.writtenAt).toLocalTime());
    QCOMPARE(m_model->index(6).data(Roles::TimestampRole).toDateTime().toMSecsSinceEpoch(), late.timestamp);
    QVERIFY(!m_model->index(5).data(Roles::WrittenRole).isValid());
    QCOMPARE(day(0), QDate(2025, 3, 14));
    QVERIFY(!day(1).isValid());
    QVERIFY(!day(3).isValid());
    QCOMPARE(day(4), QDate(2025, 3, 15));
    QVERIFY(!day(5).isValid());
}

void TestMessageListModel::prependUpdatesNeighbour()
{
    m_room->merge({msg(10, u"bob"_s, 10), msg(11, u"bob"_s, 11)});
    QCOMPARE(m_model->index(0).data(Roles::DaySeparatorRole).toDate(), QDate(2025, 3, 14));
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    m_room->merge({msg(8, u"bob"_s, 8), msg(9, u"bob"_s, 9)});
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(inserted.first().at(2).toInt(), 1);
    // Row 2 (seq 10) lost its day separator and became grouped: the model says so.
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex().row(), 2);
    const auto roles = changed.first().at(2).value<QList<int>>();
    QVERIFY(roles.contains(Roles::GroupedWithPreviousRole));
    QVERIFY(roles.contains(Roles::DaySeparatorRole));
    QVERIFY(!m_model->index(2).data(Roles::DaySeparatorRole).toDate().isValid());
    QCOMPARE(m_model->index(2).data(Roles::GroupedWithPreviousRole).toBool(), true);
}

void TestMessageListModel::pendingRows()
{
    m_room->merge({msg(1, u"bob"_s, 0)});
    m_room->addPending(entry(u"p1"_s));
    m_room->addPending(entry(u"p2"_s));
    QCOMPARE(m_model->rowCount(), 3);
    const QModelIndex p1 = m_model->index(1);
    QCOMPARE(p1.data(Roles::PendingRole).toBool(), true);
    QCOMPARE(p1.data(Roles::OwnRole).toBool(), true);
    QCOMPARE(p1.data(Roles::SenderRole).toString(), u"alice"_s);
    QCOMPARE(p1.data(Roles::DeliveryRole).toInt(), int(Delivery::Sending));
    QCOMPARE(p1.data(Roles::SeqRole).toLongLong(), 0);

    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    OutboxEntry failed = entry(u"p2"_s, OutboxEntry::State::Failed);
    failed.error = Protocol::Error{Protocol::ErrorCode::Forbidden, u"join first"_s};
    m_room->updatePending(failed);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex().row(), 2);
    QCOMPARE(m_model->index(2).data(Roles::DeliveryRole).toInt(), int(Delivery::Failed));
    QCOMPARE(m_model->index(2).data(Roles::ErrorRole).toString(), u"join first"_s);

    // p1's echo: the row count stays 3 and p1 is a server message at row 1.
    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    m_room->merge({msg(2, u"alice"_s, 60, u"p1"_s)});
    QCOMPARE(removed.size(), 1);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(m_model->index(1).data(Roles::SeqRole).toLongLong(), 2);
    QCOMPARE(m_model->index(1).data(Roles::PendingRole).toBool(), false);
    QCOMPARE(m_model->index(2).data(Roles::ClientMsgIdRole).toString(), u"p2"_s);
}

void TestMessageListModel::editsAndDeletions()
{
    m_room->merge({msg(1, u"bob"_s, 0), msg(2, u"alice"_s, 1), msg(3, u"bob"_s, 2)});
    QCOMPARE(m_model->rowCount(), 3);
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);

    // A live edit: no row, the target changes.
    m_room->merge({change(4, 1, u"bob"_s, u"edited text"_s)});
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex().row(), 0);
    const auto roles = changed.first().at(2).value<QList<int>>();
    QVERIFY(roles.contains(Roles::TextRole) && roles.contains(Roles::EditedRole) && roles.contains(Roles::DeletedRole));
    const QModelIndex first = m_model->index(0);
    QCOMPARE(first.data(Roles::TextRole).toString(), u"edited text"_s);
    QCOMPARE(first.data(Roles::EditedRole).toDateTime(), kStart.addSecs(4 * 60).toLocalTime());
    QVERIFY(!first.data(Roles::DeletedRole).toBool());
    QVERIFY(!m_model->index(1).data(Roles::EditedRole).isValid());
    QCOMPARE(m_room->lastLoadedSeq(), std::optional<qint64>(4)); // the run goes on: no gap to page in
    // Nothing new to read for someone who had read everything before it.
    m_room->markRead();
    QCOMPARE(m_room->unreadCount(), 0);
    m_room->merge({change(5, 3, u"bob"_s, u"typo fixed"_s)});
    QCOMPARE(m_room->unreadCount(), 0);
    QCOMPARE(m_room->readSeq(), 5);

    // A deletion: a tombstone that keeps sender and time.
    m_room->merge({change(6, 2, u"alice"_s, std::nullopt)});
    const QModelIndex second = m_model->index(1);
    QVERIFY(second.data(Roles::DeletedRole).toBool());
    QVERIFY(second.data(Roles::TextRole).toString().isEmpty());
    QCOMPARE(second.data(Roles::SenderRole).toString(), u"alice"_s);
    QCOMPARE(second.data(Roles::TimestampRole).toDateTime(), kStart.addSecs(60).toLocalTime());
    QVERIFY(!m_room->lastOwnMessage()); // nothing of ours left to edit

    // A replay of the same entries (a resume racing live delivery) changes nothing.
    changed.clear();
    m_room->merge({change(4, 1, u"bob"_s, u"edited text"_s), change(6, 2, u"alice"_s, std::nullopt)});
    QCOMPARE(changed.size(), 0);

    // Entries beyond a hole wait like messages; once the hole fills they apply in order.
    auto gap = m_room->merge({change(8, 3, u"bob"_s, u"second edit"_s)});
    QCOMPARE(gap.gapAfter, std::optional<qint64>(6));
    QCOMPARE(m_model->index(2).data(Roles::TextRole).toString(), u"typo fixed"_s);
    m_room->merge({change(7, 3, u"bob"_s, u"first edit"_s)});
    QCOMPARE(m_model->index(2).data(Roles::TextRole).toString(), u"second edit"_s);

    // History shows a message as it is now: an older entry of the same page does not take it back.
    ChatRoom other(Protocol::RoomInfo{u"other"_s, false, u"bob"_s, 0, 2, true}, u"alice"_s, *m_clock);
    MessageListModel otherModel;
    QAbstractItemModelTester tester(&otherModel, QAbstractItemModelTester::FailureReportingMode::QtTest);
    otherModel.setRoom(&other);
    ChatMessage current = msg(1, u"alice"_s, 0);
    current.text = u"v3"_s;
    current.editSeq = 3;
    current.editedAt = kStart.addSecs(180).toMSecsSinceEpoch();
    other.merge({current, change(2, 1, u"alice"_s, u"v2"_s), change(3, 1, u"alice"_s, u"v3"_s)});
    QCOMPARE(otherModel.rowCount(), 1);
    QCOMPARE(otherModel.index(0).data(Roles::TextRole).toString(), u"v3"_s);
    QCOMPARE(other.lastOwnMessage()->seq, 1);
    QCOMPARE(other.firstLoadedSeq(), 1);
    QVERIFY(!other.hasOlder());
}

void TestMessageListModel::replies()
{
    ChatMessage original = msg(11, u"bob"_s, 0);
    original.text = u"¿Vamos al cine?\nEl sábado, a las 8"_s;
    ChatMessage reply = msg(12, u"alice"_s, 1);
    reply.replyTo = 11;
    ChatMessage toOlder = msg(13, u"carol"_s, 2);
    toOlder.replyTo = 3; // not loaded
    m_room->merge({original, reply, toOlder});
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(m_model->index(0).data(Roles::ReplyToRole).toLongLong(), 0);
    QCOMPARE(m_model->index(0).data(Roles::ReplyQuoteRole).toMap(), QVariantMap());
    QCOMPARE(m_model->index(1).data(Roles::ReplyToRole).toLongLong(), 11);
    const QVariantMap quote = m_model->index(1).data(Roles::ReplyQuoteRole).toMap();
    QCOMPARE(quote.value(u"loaded"_s).toBool(), true);
    QCOMPARE(quote.value(u"sender"_s).toString(), u"bob"_s);
    QCOMPARE(quote.value(u"excerpt"_s).toString(), u"¿Vamos al cine?"_s); // the first line only
    QCOMPARE(quote.value(u"deleted"_s).toBool(), false);
    QCOMPARE(m_model->index(2).data(Roles::ReplyQuoteRole).toMap(), (QVariantMap{{u"loaded"_s, false}}));
    QCOMPARE(m_room->rowOf(12), 1);
    QCOMPARE(m_room->rowOf(3), -1);

    // The original edited, then deleted: the reply's quote follows (dataChanged on the reply's row).
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    m_room->merge({change(14, 11, u"bob"_s, u"¿Vamos al teatro?"_s)});
    const auto quoteChangedAt = [&](int row) {
        return std::any_of(changed.cbegin(), changed.cend(), [row](const QList<QVariant> &args) {
            return args.at(0).toModelIndex().row() == row
                   && args.at(2).value<QList<int>>().contains(int(Roles::ReplyQuoteRole));
        });
    };
    QVERIFY(quoteChangedAt(1));
    QCOMPARE(m_model->index(1).data(Roles::ReplyQuoteRole).toMap().value(u"excerpt"_s).toString(), u"¿Vamos al teatro?"_s);
    changed.clear();
    m_room->merge({change(15, 11, u"bob"_s, std::nullopt)});
    QVERIFY(quoteChangedAt(1));
    const QVariantMap gone = m_model->index(1).data(Roles::ReplyQuoteRole).toMap();
    QCOMPARE(gone.value(u"deleted"_s).toBool(), true);
    QCOMPARE(gone.value(u"excerpt"_s).toString(), QString());

    // An older page brings carol's original: her quote turns loaded.
    changed.clear();
    ChatMessage older = msg(3, u"dave"_s, -10);
    older.text = u"una pregunta"_s;
    QList<ChatMessage> page{older};
    for (qint64 seq = 4; seq <= 10; ++seq)
        page.append(msg(seq, u"dave"_s, -10 + seq));
    m_room->merge(page);
    QCOMPARE(m_model->rowCount(), 11);
    const int carol = m_room->rowOf(13);
    QVERIFY(quoteChangedAt(carol));
    QCOMPARE(m_model->index(carol).data(Roles::ReplyQuoteRole).toMap().value(u"sender"_s).toString(), u"dave"_s);

    // A reply still in the outbox quotes too.
    OutboxEntry pending = entry(u"p1"_s);
    pending.replyTo = 3;
    m_room->addPending(pending);
    const QModelIndex last = m_model->index(m_model->rowCount() - 1);
    QCOMPARE(last.data(Roles::ReplyToRole).toLongLong(), 3);
    QCOMPARE(last.data(Roles::ReplyQuoteRole).toMap().value(u"excerpt"_s).toString(), u"una pregunta"_s);

    // Long first lines are shortened, never in the middle of a character.
    const QString longLine = QString(MessageListModel::kExcerptLength - 1, u'a') + u"😀tail"_s;
    const QString shortened = MessageListModel::excerpt(longLine);
    QVERIFY(shortened.endsWith(u'…'));
    QVERIFY(shortened.size() <= MessageListModel::kExcerptLength + 1);
    QVERIFY(!shortened.at(shortened.size() - 2).isHighSurrogate());
    QCOMPARE(MessageListModel::excerpt(u"  hola  \nadiós"_s), u"hola"_s);
}

void TestMessageListModel::reactions()
{
    m_room->merge({msg(1, u"bob"_s, 0)});
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    auto react = [](qint64 seq, const QString &who, const QString &reaction, bool remove = false) {
        ChatMessage m = msg(seq, who, seq);
        m.kind = remove ? Protocol::MessageKind::Unreact : Protocol::MessageKind::React;
        m.target = 1;
        m.text = reaction;
        return m;
    };
    m_room->merge({react(2, u"carol"_s, u"👍"_s), react(3, u"Alice"_s, u"👍"_s), react(4, u"carol"_s, u"🎉"_s)});
    QCOMPARE(m_model->rowCount(), 1);
    QVERIFY(std::any_of(changed.cbegin(), changed.cend(), [](const QList<QVariant> &args) {
        return args.at(2).value<QList<int>>().contains(int(Roles::ReactionsRole));
    }));
    QVariantList reactions = m_model->index(0).data(Roles::ReactionsRole).toList();
    QCOMPARE(reactions.size(), 2);
    QCOMPARE(reactions.at(0).toMap().value(u"reaction"_s).toString(), u"👍"_s);
    QCOMPARE(reactions.at(0).toMap().value(u"count"_s).toInt(), 2);
    QCOMPARE(reactions.at(0).toMap().value(u"users"_s).toStringList(), (QStringList{u"carol"_s, u"Alice"_s}));
    QCOMPARE(reactions.at(0).toMap().value(u"mine"_s).toBool(), true); // alice is us, whatever the case
    QCOMPARE(reactions.at(1).toMap().value(u"mine"_s).toBool(), false);

    m_room->merge({react(5, u"alice"_s, u"👍"_s, true)});
    reactions = m_model->index(0).data(Roles::ReactionsRole).toList();
    QCOMPARE(reactions.at(0).toMap().value(u"count"_s).toInt(), 1);
    QCOMPARE(reactions.at(0).toMap().value(u"mine"_s).toBool(), false);

    // History's state (reaction_seq 9) wins over an older entry arriving after it.
    ChatMessage now = msg(1, u"bob"_s, 0);
    now.reactions = {{u"😮"_s, {u"dave"_s}}};
    now.reactionSeq = 9;
    m_room->resetTimeline({now});
    m_room->merge({react(8, u"erin"_s, u"👀"_s)});
    reactions = m_model->index(0).data(Roles::ReactionsRole).toList();
    QCOMPARE(reactions.size(), 1);
    QCOMPARE(reactions.at(0).toMap().value(u"reaction"_s).toString(), u"😮"_s);
}

void TestMessageListModel::roomSwitchAndRoomGone()
{
    m_room->merge({msg(1, u"bob"_s, 0), msg(2, u"bob"_s, 1)});
    auto other = std::make_unique<ChatRoom>(Protocol::RoomInfo{u"plans"_s, true, u"alice"_s, 0, 1, true},
                                            u"alice"_s, *m_clock);
    other->merge({{u"plans"_s, 7, u"carol"_s, u"secret"_s, u"s"_s, kStart.toMSecsSinceEpoch()}});
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    m_model->setRoom(other.get());
    QCOMPARE(reset.size(), 1);
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_model->index(0).data().toString(), u"secret"_s);
    m_room->merge({msg(3, u"bob"_s, 2)}); // not the current room any more
    QCOMPARE(m_model->rowCount(), 1);
    m_model->setRoom(m_room.get());
    QCOMPARE(m_model->rowCount(), 3);
    m_model->setRoom(other.get());
    other.reset();
    QCOMPARE(m_model->rowCount(), 0);
    m_model->setRoom(nullptr);
    QCOMPARE(m_model->rowCount(), 0);
}

void TestMessageListModel::mentions()
{
    m_room->setMembers({{u"alice"_s, Protocol::PresenceStatus::Online}, {u"Bob"_s, Protocol::PresenceStatus::Online}});
    ChatMessage toAlice = msg(1, u"bob"_s, 0);
    toAlice.text = u"@ALICE see @bob and @carol, or mail alice@example.org"_s;
    ChatMessage toBob = msg(2, u"carol"_s, 1);
    toBob.text = u"@bob."_s;
    ChatMessage mine = msg(3, u"alice"_s, 2);
    mine.text = u"I am @alice"_s;
    m_room->merge({toAlice, toBob, mine});

    const QVariantList first = m_model->index(0).data(Roles::MentionsRole).toList();
    QCOMPARE(first.size(), 2); // carol is no member, the address no mention
    QCOMPARE(first.at(0).toMap(), (QVariantMap{{u"start"_s, 0}, {u"length"_s, 6}, {u"user"_s, u"alice"_s},
                                               {u"you"_s, true}}));
    QCOMPARE(first.at(1).toMap().value(u"user"_s).toString(), u"bob"_s);
    QCOMPARE(first.at(1).toMap().value(u"start"_s).toInt(), 11);
    QCOMPARE(first.at(1).toMap().value(u"you"_s).toBool(), false);
    QCOMPARE(m_model->index(0).data(Roles::MentionsYouRole).toBool(), true);
    QCOMPARE(m_model->index(1).data(Roles::MentionsYouRole).toBool(), false);
    QCOMPARE(m_model->index(1).data(Roles::MentionsRole).toList().size(), 1);
    QCOMPARE(m_model->index(2).data(Roles::MentionsRole).toList().size(), 1); // highlighted...
    QCOMPARE(m_model->index(2).data(Roles::MentionsYouRole).toBool(), false); // ...but we wrote it

    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    m_room->addMember(u"carol"_s);
    QVERIFY(!changed.isEmpty());
    QVERIFY(changed.last().at(2).value<QList<int>>().contains(Roles::MentionsRole));
    QCOMPARE(m_model->index(0).data(Roles::MentionsRole).toList().size(), 3);
    m_room->removeMember(u"carol"_s); // left: no longer mentionable
    QCOMPARE(m_model->index(0).data(Roles::MentionsRole).toList().size(), 2);

    m_room->merge({change(4, 1, u"bob"_s, std::nullopt)}); // deleted: nothing to highlight
    QVERIFY(m_model->index(0).data(Roles::MentionsRole).toList().isEmpty());
    QCOMPARE(m_model->index(0).data(Roles::MentionsYouRole).toBool(), false);
}

QTEST_GUILESS_MAIN(TestMessageListModel)
#include "tst_messagelistmodel.moc"
