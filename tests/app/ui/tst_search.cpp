// Ctrl+Shift+F against a real server: the search dialog's results (room, sender by display name, when written, the
// words found in bold, everything else escaped), only rooms alice can read, "this room" against "all my rooms", the
// empty and failed states, "More results", and a result that opens its room at a message far back in its history.
#include "uifixture.h"

#include "app/models/messagelistmodel.h"
#include "app/session/chatroom.h"
#include "app/session/connectionmanager.h"
#include "app/session/displaynames.h"
#include "app/session/roomdirectory.h"
#include "app/ui/chatpage.h"
#include "app/ui/messageview.h"
#include "app/ui/searchdialog.h"
#include "app/ui/uitext.h"
#include "support/printers.h"
#include "support/wsclient.h"

#include <QtCore/QStandardPaths>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QPushButton>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;

namespace {
constexpr int kTimeoutMs = UiFixture::kTimeoutMs;

/// The rich text each result row shows.
QStringList rowTexts(const QListWidget *list)
{
    QStringList texts;
    for (int row = 0; row < list->count(); ++row) {
        const auto *label = qobject_cast<const QLabel *>(list->itemWidget(list->item(row)));
        texts.append(label ? label->text() : QString());
    }
    return texts;
}
} // namespace

class TestSearch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    /*! The excerpt: escaped, the ranges in bold, line breaks as spaces, a range outside ignored. */
    void snippetHtml()
    {
        Protocol::SearchHit hit;
        hit.snippet = u"<i>un café</i>\ncon leche & más"_s;
        hit.highlights = {{19, 5}, {6, 4}};
        QCOMPARE(SearchDialog::snippetHtml(hit), u"&lt;i&gt;un <b>café</b>&lt;/i&gt; con <b>leche</b> &amp; más"_s);
        hit.highlights = {{30, 4}};
        QCOMPARE(SearchDialog::snippetHtml(hit), u"&lt;i&gt;un café&lt;/i&gt; con leche &amp; más"_s);
    }

    /*! Alice searches: results from her rooms only, in bold and escaped; the scope; the empty state; pages;
        a result opens its room at the message (paged back for); a lost connection says so. */
    void searchAndOpen()
    {
        UiFixture fixture;
        auto window = fixture.openWindow();
        QVERIFY(fixture.signIn(*window, u"alice"_s));
        auto bob = fixture.person(u"bob"_s);
        ChatClient &alice = *window->client();
        QVERIFY(UiFixture::expectOk([&](QObject *c, auto done) { bob->createRoom(u"general"_s, false, c, done); }));
        QVERIFY(UiFixture::expectOk([&](QObject *c, auto done) { bob->createRoom(u"secret"_s, true, c, done); }));
        QVERIFY(UiFixture::expectOk([&](QObject *c, auto done) { bob->createRoom(u"random"_s, false, c, done); }));
        QVERIFY(UiFixture::say(*bob, u"general"_s, u"Un café con leche <b>fuerte</b>"_s));
        for (int i = 0; i < 70; ++i)
            QVERIFY(UiFixture::say(*bob, u"general"_s, u"relleno %1"_s.arg(i)));
        QVERIFY(UiFixture::say(*bob, u"secret"_s, u"el café secreto"_s));
        QVERIFY(UiFixture::say(*bob, u"random"_s, u"cafetería nueva"_s));
        for (const QString &room : {u"general"_s, u"random"_s})
            QVERIFY(UiFixture::expectOk([&](QObject *c, auto done) { alice.joinRoom(room, c, done); }));
        alice.setCurrentRoom(u"general"_s);
        QTRY_VERIFY_WITH_TIMEOUT(alice.currentRoom() && alice.currentRoom()->isLoaded(), kTimeoutMs);
        const qint64 newest = *alice.currentRoom()->lastLoadedSeq();
        QVERIFY(alice.currentRoom()->firstLoadedSeq() > 1); // the first message is not loaded yet

        QTest::keyClick(window.get(), Qt::Key_F, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY(window->searchDialog() && window->searchDialog()->isVisible());
        SearchDialog *dialog = window->searchDialog();
        QTRY_COMPARE(QApplication::focusWidget(), dialog->queryEdit());
        // In the open room by default; "all my rooms" is the other choice.
        QCOMPARE(dialog->scopeBox()->count(), 2);
        QCOMPARE(dialog->scopeBox()->currentData().toString(), u"general"_s);
        QVERIFY(!dialog->statusLabel()->text().isEmpty());

        // Nothing to look for: said here, nothing asked.
        QTest::keyClicks(dialog->queryEdit(), u"¿?"_s);
        QTest::keyClick(dialog->queryEdit(), Qt::Key_Return);
        QCOMPARE(dialog->statusLabel()->text(), SearchDialog::tr("Type at least one word (letters or digits)."));
        dialog->queryEdit()->clear();

        QTest::keyClicks(dialog->queryEdit(), u"CAFE"_s);
        QTest::keyClick(dialog->queryEdit(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->resultList()->count(), 1, kTimeoutMs);
        QString row = rowTexts(dialog->resultList()).first();
        QVERIFY2(row.startsWith(u"#general · bob · "_s), qPrintable(row));
        QVERIFY2(row.endsWith(u"<br>Un <b>café</b> con leche &lt;b&gt;fuerte&lt;/b&gt;"_s), qPrintable(row));
        QCOMPARE(dialog->statusLabel()->text(), SearchDialog::tr("Messages found: %1.").arg(1));

        // Every room of hers: random too, never the private room she is not in; newest first.
        dialog->scopeBox()->setCurrentIndex(0);
        Q_EMIT dialog->scopeBox()->activated(0);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->resultList()->count(), 2, kTimeoutMs);
        QStringList rows = rowTexts(dialog->resultList());
        QVERIFY2(rows.at(0).startsWith(u"#random · bob"_s) && rows.at(0).contains(u"<b>cafetería</b>"_s), qPrintable(rows.at(0)));
        QVERIFY2(rows.at(1).startsWith(u"#general · bob"_s), qPrintable(rows.at(1)));
        QVERIFY(!rows.join(u' ').contains(u"secreto"_s));

        // No match: the empty state.
        dialog->queryEdit()->setText(u"zanahoria"_s);
        QTest::keyClick(dialog->queryEdit(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->statusLabel()->text(), SearchDialog::tr("No messages match “%1”.").arg(u"zanahoria"_s), kTimeoutMs);
        QCOMPARE(dialog->resultList()->count(), 0);

        // Pages: 70 fillers, 20 at a time; "More results" until there are no more.
        dialog->queryEdit()->setText(u"relleno"_s);
        QTest::keyClick(dialog->queryEdit(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->resultList()->count(), 20, kTimeoutMs);
        QVERIFY(dialog->moreButton()->isVisible());
        for (int expected : {40, 60, 70}) {
            QTRY_VERIFY(dialog->moreButton()->isEnabled());
            QTest::mouseClick(dialog->moreButton(), Qt::LeftButton);
            QTRY_COMPARE_WITH_TIMEOUT(dialog->resultList()->count(), expected, kTimeoutMs);
        }
        QVERIFY(!dialog->moreButton()->isVisible());
        QVERIFY(rowTexts(dialog->resultList()).first().endsWith(u"<b>relleno</b> 69"_s));
        QVERIFY(rowTexts(dialog->resultList()).last().endsWith(u"<b>relleno</b> 0"_s));

        // A result far back: activating it opens general at that message, paging back for it.
        alice.setCurrentRoom(u"random"_s);
        dialog->queryEdit()->setText(u"leche"_s);
        QTest::keyClick(dialog->queryEdit(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->resultList()->count(), 1, kTimeoutMs);
        dialog->resultList()->setFocus();
        dialog->resultList()->setCurrentRow(0);
        QTest::keyClick(dialog->resultList(), Qt::Key_Return);
        QTRY_VERIFY(!window->searchDialog());
        QTRY_COMPARE_WITH_TIMEOUT(alice.currentRoom()->name(), u"general"_s, kTimeoutMs);
        MessageView *view = window->chatPage()->messageView();
        QTRY_COMPARE_WITH_TIMEOUT(view->currentIndex().data(MessageListModel::SeqRole).toLongLong(), 1, kTimeoutMs);
        QCOMPARE(view->currentIndex().data(MessageListModel::TextRole).toString(), u"Un café con leche <b>fuerte</b>"_s);
        QVERIFY(newest > 1);

        // Offline: the failure is said, not a silent empty list.
        window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(window.get()));
        QTest::keyClick(window.get(), Qt::Key_F, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY(window->searchDialog() && window->searchDialog()->isVisible());
        dialog = window->searchDialog();
        fixture.proxy().setAccepting(false);
        fixture.proxy().cutAll();
        QTRY_VERIFY_WITH_TIMEOUT(alice.connection()->state() != ConnectionManager::State::Connected, kTimeoutMs);
        QTest::keyClicks(dialog->queryEdit(), u"cafe"_s);
        QTest::keyClick(dialog->queryEdit(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->statusLabel()->text().startsWith(SearchDialog::tr("The search failed. %1").arg(QString())), kTimeoutMs);
        QCOMPARE(dialog->resultList()->count(), 0);
    }

    /*! A result names its sender by display name even when alice never listed that room's members (the answer
        carries the name, issue 12), and a message that waited offline shows when it was written, with when it
        was sent beside it, as the timeline does. */
    void namesAndWrittenTime()
    {
        UiFixture fixture;
        auto window = fixture.openWindow();
        QVERIFY(fixture.signIn(*window, u"alice"_s));
        ChatClient &alice = *window->client();
        auto carol = fixture.server().connectAs(u"carol"_s);
        QVERIFY(carol);
        QVERIFY(carol->request(Protocol::Request::setProfile({}, {u"Carolina Díaz"_s})).isOk());
        QVERIFY(carol->request(Protocol::Request::createRoom({}, {u"anden"_s, false})).isOk());
        const qint64 writtenMs = QDateTime::currentMSecsSinceEpoch() - 20 * 60 * 1000;
        Protocol::SendParams late{u"anden"_s, u"escrito en el túnel"_s, u"c1"_s};
        late.writtenAt = writtenMs;
        const Protocol::Reply sent = carol->request(Protocol::Request::send({}, late));
        QVERIFY(sent.isOk());
        QVERIFY(UiFixture::expectOk([&](QObject *c, auto done) { alice.joinRoom(u"anden"_s, c, done); }));
        QCOMPARE(alice.displayNames()->of(u"carol"_s), QString()); // never met: no member list, no profile event

        QTest::keyClick(window.get(), Qt::Key_F, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY(window->searchDialog() && window->searchDialog()->isVisible());
        SearchDialog *dialog = window->searchDialog();
        QTest::keyClicks(dialog->queryEdit(), u"tunel"_s);
        QTest::keyClick(dialog->queryEdit(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->resultList()->count(), 1, kTimeoutMs);
        const QDateTime written = QDateTime::fromMSecsSinceEpoch(writtenMs);
        const QDateTime stored = QDateTime::fromMSecsSinceEpoch(Test::payloadOf<Protocol::SendResult>(sent.data).timestamp);
        const QString sentNote = SearchDialog::tr("sent %1", "beside the time a message was written: when it reached the server")
                                     .arg(stored.date() == written.date() ? UiText::time(stored) : UiText::dateTime(stored));
        const QString row = rowTexts(dialog->resultList()).first();
        const QString expected = u"#anden · Carolina Díaz · %1 <i>· %2</i><br>"_s.arg(UiText::dateTime(written).toHtmlEscaped(),
                                                                                      sentNote.toHtmlEscaped());
        QVERIFY2(row.startsWith(expected), qPrintable(row + u" / "_s + expected));
        QCOMPARE(alice.displayNames()->of(u"carol"_s), u"Carolina Díaz"_s);
    }
};

QTEST_MAIN(TestSearch)
#include "tst_search.moc"
