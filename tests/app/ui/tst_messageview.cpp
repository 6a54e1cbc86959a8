// The timeline view and its delegate on a room of the client core (no server): Retry and Discard on
// a failed message by mouse and keyboard, grouping and day separators, following new messages,
// asking for older ones at the top and keeping the reader's place when they arrive.
#include "app/models/messagelistmodel.h"
#include "app/session/chatroom.h"
#include "app/ui/messagedelegate.h"
#include "app/ui/emojipicker.h"
#include "app/ui/messageview.h"
#include "support/manualclock.h"
#include "support/messagefixtures.h"

#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtGui/QClipboard>
#include <QtGui/QFontDatabase>
#include <QtWidgets/QScrollBar>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;

namespace {
Protocol::RoomInfo generalInfo(qint64 lastSeq)
{
    Protocol::RoomInfo info;
    info.name = u"general"_s;
    info.joined = true;
    info.lastSeq = lastSeq;
    info.memberCount = 2;
    return info;
}

OutboxEntry pendingEntry(const QString &id, OutboxEntry::State state)
{
    OutboxEntry entry;
    entry.clientMsgId = id;
    entry.room = u"general"_s;
    entry.text = u"mine: "_s + id;
    entry.createdAt = QDateTime::fromMSecsSinceEpoch(kFixtureEpochMs + 500'000, QTimeZone::utc());
    entry.state = state;
    if (state == OutboxEntry::State::Failed)
        entry.error = Protocol::Error{Protocol::ErrorCode::Forbidden, u"you are not a member"_s};
    return entry;
}
} // namespace

class TestMessageView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    /*! Clicking Retry or Discard on a failed row asks for exactly that message; Ctrl+R and Delete on
     *  the selected row do the same, and nothing for a row that did not fail. */
    void failedRowActions();
    /*! A sender's consecutive messages share one header; a new day starts with a separator; ours on
     *  the way say "Sending…". */
    void groupingDaysAndStates();
    /*! At the bottom, new messages keep the view at the bottom; scrolled up, they do not move it. */
    void followsNewMessages();
    /*! A message in a right-to-left script sits against the right edge; a left-to-right one against the left. */
    void rightToLeftMessagesAlignRight();
    /*! Shift+F10 (and the Menu key) open the current message's menu from the keyboard; Escape asks to
     *  go back to writing. */
    void keyboardMenuAndEscape();
    /*! Scrolling to the top asks for older messages; when they arrive above, the message that was
     *  at the top stays where it was. */
    void scrollBackKeepsPlace();
    /*! A click on a bare link opens it through the view's opener; a link whose text is not its address
     *  asks first; a click beside a link opens nothing; the pointer is a hand over links only. */
    void linksOpenOnClick();
    /*! Formatted rows are sized for what is drawn: markers take no room, a code block's lines in the
     *  monospace font fit, and the view's rows are as tall as the delegate says. */
    void formattedRowsAreSized();
    /*! React ▸ More… opens the emoji picker; the emoji chosen there is the reaction to that message. */
    void reactWithAnyEmoji();

private:
    QModelIndex rowOf(const QString &text) const;

    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<ChatRoom> m_room;
    std::unique_ptr<MessageListModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::unique_ptr<MessageView> m_view;
};

void TestMessageView::init()
{
    m_clock = std::make_unique<ManualClock>();
    m_room = std::make_unique<ChatRoom>(generalInfo(100), u"alice"_s, *m_clock);
    m_model = std::make_unique<MessageListModel>();
    m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model->setRoom(m_room.get());
    m_view = std::make_unique<MessageView>();
    m_view->setModel(m_model.get());
    m_view->resize(480, 360);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void TestMessageView::cleanup()
{
    m_view.reset();
    m_tester.reset();
    m_model.reset();
    m_room.reset();
    m_clock.reset();
}

QModelIndex TestMessageView::rowOf(const QString &text) const
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->index(row).data(MessageListModel::TextRole).toString() == text)
            return m_model->index(row);
    }
    return {};
}

void TestMessageView::failedRowActions()
{
    m_room->merge(messages(95, 100));
    m_room->addPending(pendingEntry(u"f1"_s, OutboxEntry::State::Failed));
    m_room->addPending(pendingEntry(u"s1"_s, OutboxEntry::State::Sending));
    QSignalSpy retried(m_view.get(), &MessageView::retryRequested);
    QSignalSpy discarded(m_view.get(), &MessageView::discardRequested);

    const QModelIndex failed = rowOf(u"mine: f1"_s);
    QVERIFY(failed.isValid());
    m_view->scrollTo(failed);
    const MessageDelegate::Layout layout = m_view->rowLayout(failed);
    QVERIFY(!layout.retry.isEmpty() && !layout.discard.isEmpty());
    QVERIFY(m_view->viewport()->rect().contains(layout.retry.center()));

    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, layout.retry.center());
    QCOMPARE(retried.size(), 1);
    QCOMPARE(retried.first().first().toString(), u"f1"_s);
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, layout.discard.center());
    QCOMPARE(discarded.size(), 1);
    QCOMPARE(discarded.first().first().toString(), u"f1"_s);
    // Clicking the text of the row only selects it.
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, layout.text.center());
    QCOMPARE(retried.size(), 1);
    QCOMPARE(m_view->currentIndex(), failed);

    m_view->setFocus();
    QTest::keyClick(m_view.get(), Qt::Key_R, Qt::ControlModifier);
    QCOMPARE(retried.size(), 2);
    QTest::keyClick(m_view.get(), Qt::Key_Delete);
    QCOMPARE(discarded.size(), 2);

    // Not for a message that did not fail.
    m_view->setCurrentIndex(rowOf(u"mine: s1"_s));
    QTest::keyClick(m_view.get(), Qt::Key_R, Qt::ControlModifier);
    QTest::keyClick(m_view.get(), Qt::Key_Delete);
    QCOMPARE(retried.size(), 2);
    QCOMPARE(discarded.size(), 2);
    QVERIFY(m_view->rowLayout(rowOf(u"mine: s1"_s)).retry.isEmpty());
}

void TestMessageView::groupingDaysAndStates()
{
    // Two messages from bob a second apart, then carol, then bob again the next day.
    QList<Protocol::ChatMessage> list = messages(1, 2);
    list << message(3, u"carol"_s);
    Protocol::ChatMessage nextDay = message(4);
    nextDay.timestamp += 24 * 3600 * 1000;
    list << nextDay;
    m_room = std::make_unique<ChatRoom>(generalInfo(4), u"alice"_s, *m_clock);
    m_model->setRoom(m_room.get());
    m_room->merge(list);
    m_room->addPending(pendingEntry(u"s1"_s, OutboxEntry::State::Sending));
    QCOMPARE(m_model->rowCount(), 5);

    const auto rowLayout = [this](int row) { return m_view->rowLayout(m_model->index(row)); };
    QVERIFY(!rowLayout(0).separator.isEmpty()); // the first day
    QVERIFY(!rowLayout(0).avatar.isEmpty());
    QVERIFY(rowLayout(1).avatar.isEmpty());     // bob again: grouped
    QVERIFY(rowLayout(1).separator.isEmpty());
    QVERIFY(rowLayout(1).height < rowLayout(0).height);
    QVERIFY(!rowLayout(2).avatar.isEmpty());    // carol
    QVERIFY(!rowLayout(3).separator.isEmpty()); // a new day
    QVERIFY(!rowLayout(3).avatar.isEmpty());    // and a new group, even from bob
    QVERIFY(!rowLayout(4).status.isEmpty());    // ours, sending
    QVERIFY(rowLayout(3).status.isEmpty());

    // Long text wraps within the view's width instead of running off it.
    Protocol::ChatMessage longOne = message(5);
    longOne.text = QString(600, u'x');
    m_room->merge({longOne});
    const auto layout = rowLayout(m_model->rowCount() - 2); // before our pending row
    QVERIFY(layout.text.right() <= m_view->viewport()->width());
    QVERIFY(layout.text.height() > 3 * m_view->fontMetrics().height());
}

namespace {
/// The horizontal extent of whatever was drawn in rect (pixels that differ from its corner's colour).
std::pair<int, int> inkColumns(const QImage &image, const QRect &rect)
{
    const QRgb background = image.pixel(rect.topLeft());
    int first = -1;
    int last = -1;
    for (int x = rect.left(); x <= rect.right(); ++x) {
        for (int y = rect.top(); y <= rect.bottom(); ++y) {
            if (image.pixel(x, y) != background) {
                if (first < 0)
                    first = x;
                last = x;
                break;
            }
        }
    }
    return {first, last};
}
} // namespace

void TestMessageView::rightToLeftMessagesAlignRight()
{
    Protocol::ChatMessage hebrew = message(101);
    hebrew.text = u"שלום לכולם"_s;
    Protocol::ChatMessage english = message(102);
    english.text = u"hello all"_s;
    m_room->merge({hebrew, english});
    QTRY_COMPARE(m_model->rowCount(), 2);
    QTest::qWait(0);
    const QImage image = m_view->viewport()->grab().toImage().convertToFormat(QImage::Format_RGB32);
    const qreal ratio = image.devicePixelRatio();
    const auto textRect = [&](int row) {
        const QRect rect = m_view->rowLayout(m_model->index(row)).text;
        return QRect((rect.topLeft() * ratio), rect.size() * ratio).intersected(image.rect());
    };
    const QRect rtl = textRect(0);
    const auto [rtlFirst, rtlLast] = inkColumns(image, rtl);
    QVERIFY2(rtlFirst >= 0, "the Hebrew text drew nothing");
    QVERIFY2(rtlLast >= rtl.right() - 6 * ratio && rtlFirst > rtl.center().x(),
             qPrintable(u"Hebrew ink %1..%2 in %3..%4"_s.arg(rtlFirst).arg(rtlLast).arg(rtl.left()).arg(rtl.right())));
    const QRect ltr = textRect(1);
    const auto [ltrFirst, ltrLast] = inkColumns(image, ltr);
    QVERIFY2(ltrFirst >= 0 && ltrFirst <= ltr.left() + 6 * ratio && ltrLast < ltr.center().x(),
             qPrintable(u"English ink %1..%2 in %3..%4"_s.arg(ltrFirst).arg(ltrLast).arg(ltr.left()).arg(ltr.right())));
}

void TestMessageView::keyboardMenuAndEscape()
{
    m_room->merge(messages(99, 100));
    QTRY_COMPARE(m_model->rowCount(), 2);
    m_view->setFocus();
    m_view->setCurrentIndex(m_model->index(0));
    QTest::keyClick(m_view.get(), Qt::Key_F10, Qt::ShiftModifier);
    QTRY_VERIFY(m_view->contextMenu() && m_view->contextMenu()->isVisible());
    QVERIFY(!m_view->contextMenu()->actions().isEmpty());
    m_view->contextMenu()->close();
    QTRY_VERIFY(!m_view->contextMenu());
    QTest::keyClick(m_view.get(), Qt::Key_Menu);
    QTRY_VERIFY(m_view->contextMenu() && m_view->contextMenu()->isVisible());
    m_view->contextMenu()->close();
    QTRY_VERIFY(!m_view->contextMenu());

    QSignalSpy leave(m_view.get(), &MessageView::leaveRequested);
    QTest::keyClick(m_view.get(), Qt::Key_Escape);
    QCOMPARE(leave.size(), 1);
}

void TestMessageView::followsNewMessages()
{
    m_room->merge(messages(41, 100));
    QTRY_VERIFY(m_view->verticalScrollBar()->maximum() > 0);
    m_view->scrollToNewest();
    QTRY_VERIFY(m_view->isAtBottom());
    m_room->noteLastSeq(101);
    m_room->merge({message(101)});
    QTRY_VERIFY(m_view->isAtBottom());
    QVERIFY(m_view->visualRect(rowOf(u"text 101"_s)).intersects(m_view->viewport()->rect()));

    // Reading older messages: a new one does not pull the view down.
    m_view->verticalScrollBar()->setValue(m_view->verticalScrollBar()->maximum() / 2);
    const int value = m_view->verticalScrollBar()->value();
    m_room->noteLastSeq(102);
    m_room->merge({message(102)});
    QTest::qWait(0); // the layout runs from the event loop
    QCOMPARE(m_view->verticalScrollBar()->value(), value);
    QVERIFY(!m_view->isAtBottom());
}

void TestMessageView::scrollBackKeepsPlace()
{
    m_room->merge(messages(41, 100));
    QTRY_VERIFY(m_view->verticalScrollBar()->maximum() > 0);
    QSignalSpy wanted(m_view.get(), &MessageView::olderMessagesWanted);
    m_view->verticalScrollBar()->setValue(m_view->verticalScrollBar()->minimum());
    QVERIFY(wanted.size() >= 1);

    const QModelIndex top = m_view->indexAt(QPoint(10, 10));
    const QString topText = top.data(MessageListModel::TextRole).toString();
    // Its bottom edge: the row itself gets shorter (no day separator or header once older messages
    // of the same day and sender are above it), its text stays put.
    const int topBottom = m_view->visualRect(top).bottom();
    m_room->merge(messages(1, 40)); // the page of older messages
    QCOMPARE(m_model->rowCount(), 100);
    QTRY_COMPARE(m_view->visualRect(rowOf(topText)).bottom(), topBottom);
    QVERIFY(m_view->viewport()->rect().contains(m_view->visualRect(rowOf(topText))));
    QVERIFY(!m_view->isAtBottom());
}

QTEST_MAIN(TestMessageView)
#include "tst_messageview.moc"

void TestMessageView::linksOpenOnClick()
{
    QList<QUrl> opened;
    m_view->setLinkOpener([&opened](const QUrl &url) { opened.append(url); });
    Protocol::ChatMessage linked = message(101);
    linked.text = u"see https://example.org/a and [the docs](https://example.org/d) or [x](javascript:alert(1))"_s;
    m_room->merge({linked});
    QTRY_COMPARE(m_model->rowCount(), 1);
    const QModelIndex index = m_model->index(0);
    const MessageDelegate::Layout rows = m_view->rowLayout(index);
    QCOMPARE(rows.links.size(), 2); // javascript: is no link
    QCOMPARE(rows.links.at(0).second.url, u"https://example.org/a"_s);
    QVERIFY(rows.text.contains(rows.links.at(0).first));
    QVERIFY(rows.links.at(0).first.width() > 20);

    // The pointer: a hand over a link, the arrow over plain text.
    QTest::mouseMove(m_view->viewport(), rows.links.at(0).first.center());
    QTRY_COMPARE(m_view->viewport()->cursor().shape(), Qt::PointingHandCursor);
    QTest::mouseMove(m_view->viewport(), QPoint(rows.text.left() + 3, rows.links.at(0).first.center().y()));
    QTRY_COMPARE(m_view->viewport()->cursor().shape(), Qt::ArrowCursor);

    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, QPoint(rows.text.left() + 3, rows.text.top() + 3));
    QVERIFY(opened.isEmpty());
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, rows.links.at(0).first.center());
    QCOMPARE(opened, QList<QUrl>{QUrl(u"https://example.org/a"_s)});
    QVERIFY(!m_view->linkQuestion());

    // "the docs" is not its address: the view asks, naming the address, and opens on Open only.
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, rows.links.at(1).first.center());
    QTRY_VERIFY(m_view->linkQuestion());
    QCOMPARE(opened.size(), 1);
    QVERIFY(m_view->linkQuestion()->informativeText().contains(u"https://example.org/d"_s));
    QVERIFY(m_view->linkQuestion()->informativeText().contains(u"the docs"_s));
    QAbstractButton *open = nullptr;
    for (QAbstractButton *button : m_view->linkQuestion()->buttons()) {
        if (m_view->linkQuestion()->buttonRole(button) == QMessageBox::AcceptRole)
            open = button;
    }
    QVERIFY(open);
    open->click();
    QCOMPARE(opened, (QList<QUrl>{QUrl(u"https://example.org/a"_s), QUrl(u"https://example.org/d"_s)}));

    // The same from the keyboard: the context menu lists the message's links.
    m_view->setCurrentIndex(index);
    m_view->openContextMenuForCurrent();
    QTRY_VERIFY(m_view->contextMenu() && m_view->contextMenu()->isVisible());
    QAction *openAction = nullptr;
    for (QAction *action : m_view->contextMenu()->actions()) {
        if (action->text().contains(u"https://example.org/a"_s))
            openAction = action;
    }
    QVERIFY(openAction);
    openAction->trigger();
    QCOMPARE(opened.size(), 3);
    m_view->contextMenu()->close();

    // Copy text copies what was written, markers and all.
    m_view->setFocus();
    m_view->setCurrentIndex(index);
    QTest::keySequence(m_view.get(), QKeySequence::Copy);
    QCOMPARE(QGuiApplication::clipboard()->text(), linked.text);
}

void TestMessageView::formattedRowsAreSized()
{
    Protocol::ChatMessage plain = message(101);
    plain.text = u"bold words here"_s;
    Protocol::ChatMessage marked = message(102, u"carol"_s);
    marked.text = u"**bold** *words* `here`"_s;
    Protocol::ChatMessage block = message(103, u"dave"_s);
    block.text = u"code:\n```\nint a;\nint b;\nint c;\n```"_s;
    m_room->merge({plain, marked, block});
    QTRY_COMPARE(m_model->rowCount(), 3);
    for (int row = 0; row < 3; ++row) {
        const QModelIndex index = m_model->index(row);
        QStyleOptionViewItem option;
        option.initFrom(m_view.get());
        option.font = m_view->font();
        QCOMPARE(m_view->visualRect(index).height(), m_view->messageDelegate()->sizeHint(option, index).height());
    }
    // Markers take no room: the formatted line is one line, like the plain one.
    QCOMPARE(m_view->rowLayout(m_model->index(1)).text.height(), m_view->rowLayout(m_model->index(0)).text.height());
    // Four lines: "code:" and three of code in the fixed font.
    const int fixedLine = QFontMetrics(QFontDatabase::systemFont(QFontDatabase::FixedFont)).height();
    const QRect blockText = m_view->rowLayout(m_model->index(2)).text;
    QVERIFY2(blockText.height() >= QFontMetrics(m_view->font()).height() + 3 * fixedLine * 8 / 10,
             qPrintable(QString::number(blockText.height())));
    // The code block's band is drawn: the pixels behind the code differ from the plain row's background.
    const QImage image = m_view->viewport()->grab().toImage();
    const qreal ratio = image.devicePixelRatio();
    const QPoint behindCode = QPoint(blockText.right() - 4, blockText.bottom() - 4) * ratio;
    const QPoint behindPlain = QPoint(blockText.right() - 4, blockText.top() + 4) * ratio;
    QVERIFY(image.pixelColor(behindCode) != image.pixelColor(behindPlain));
}

void TestMessageView::reactWithAnyEmoji()
{
    m_room->merge(messages(99, 100));
    QTRY_COMPARE(m_model->rowCount(), 2);
    QSignalSpy reacted(m_view.get(), &MessageView::reactionRequested);
    m_view->setCurrentIndex(m_model->index(0));
    m_view->openContextMenuForCurrent();
    QTRY_VERIFY(m_view->contextMenu() && m_view->contextMenu()->isVisible());
    QAction *more = nullptr;
    for (QAction *action : m_view->contextMenu()->actions()) {
        if (action->menu()) {
            for (QAction *inner : action->menu()->actions()) {
                if (inner->text() == u"&More…"_s)
                    more = inner;
            }
        }
    }
    QVERIFY(more);
    more->trigger();
    m_view->contextMenu()->close();
    EmojiPicker *picker = m_view->reactionPicker();
    QTRY_VERIFY(picker->isVisible());
    QTest::keyClicks(picker->searchField(), u"rocket"_s);
    QTest::keyClick(picker->searchField(), Qt::Key_Return);
    QCOMPARE(reacted.size(), 1);
    QCOMPARE(reacted.at(0).at(0).toLongLong(), 99);
    QCOMPARE(reacted.at(0).at(1).toString(), u"🚀"_s);
    QCOMPARE(reacted.at(0).at(2).toBool(), false);
}
