// The emoji picker (app/ui/emojipicker.h) and its use in the composer: search in English and in the
// current language, recent emoji first and bounded, choosing by mouse and keyboard, and the chosen emoji
// going in at the composer's cursor (Ctrl+E opens the picker).
#include "app/session/chatclient.h"
#include "app/session/chatroom.h" // chatclient.h needs the complete type
#include "app/storage/memorycredentialstore.h"
#include "app/ui/composer.h"
#include "app/ui/composeredit.h"
#include "app/ui/emojipicker.h"

#include <QtCore/QSet>
#include <QtCore/QTranslator>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QTabBar>
#include <QtWidgets/QToolButton>

using namespace Tertulia;
using namespace Qt::StringLiterals;

class TestEmojiPicker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! The set is modest, has no duplicates, and every emoji has a name and a category tab. */
    void setIsWellFormed();
    /*! Search matches every word, ignoring case and accents. */
    void searches();
    /*! In Spanish, names are searched in Spanish (accents optional) and in English. */
    void searchesInSpanish();
    /*! The emoji chosen last comes first, once, and the list is bounded; unknown text from settings is dropped. */
    void remembersRecent();
    /*! Typing a name and Enter chooses the first match; the grid's click chooses too; both emit once. */
    void choosesByKeyboardAndMouse();
    /*! In the composer, Ctrl+E opens the picker and the chosen emoji goes in at the cursor. */
    void composerInsertsAtCursor();
};

void TestEmojiPicker::setIsWellFormed()
{
    const QList<EmojiPicker::Emoji> &all = EmojiPicker::all();
    QVERIFY(all.size() >= 100 && all.size() <= 160);
    QSet<QString> glyphs;
    for (const EmojiPicker::Emoji &emoji : all) {
        QVERIFY2(!glyphs.contains(emoji.glyph), qPrintable(emoji.glyph));
        glyphs.insert(emoji.glyph);
        QVERIFY(qstrlen(emoji.name) > 0);
        QVERIFY(emoji.category != EmojiPicker::Category::Recent);
    }
}

void TestEmojiPicker::searches()
{
    QVERIFY(EmojiPicker::search(u"thumbs up"_s).contains(u"👍"_s));
    QVERIFY(!EmojiPicker::search(u"thumbs up"_s).contains(u"👎"_s));
    QCOMPARE(EmojiPicker::search(u"PIZZA"_s), QStringList{u"🍕"_s});
    QVERIFY(EmojiPicker::search(u"heart"_s).size() >= 8);
    QVERIFY(EmojiPicker::search(u"no such emoji"_s).isEmpty());
    QCOMPARE(EmojiPicker::search(QString()).size(), EmojiPicker::all().size());
}

void TestEmojiPicker::searchesInSpanish()
{
    QTranslator spanish;
    QVERIFY(spanish.load(u":/i18n/tertulia_app_es.qm"_s));
    QCoreApplication::installTranslator(&spanish);
    const QStringList corazon = EmojiPicker::search(u"corazon roto"_s);
    const QStringList cafe = EmojiPicker::search(u"café"_s);
    const QStringList english = EmojiPicker::search(u"broken heart"_s);
    QCoreApplication::removeTranslator(&spanish);
    QCOMPARE(corazon, QStringList{u"💔"_s});
    QCOMPARE(cafe, QStringList{u"☕"_s});
    QCOMPARE(english, QStringList{u"💔"_s});
    QVERIFY(EmojiPicker::search(u"corazon"_s).isEmpty()); // in English again
}

void TestEmojiPicker::remembersRecent()
{
    QStringList recent;
    recent = EmojiPicker::remember(recent, u"👍"_s);
    recent = EmojiPicker::remember(recent, u"🍕"_s);
    recent = EmojiPicker::remember(recent, u"👍"_s);
    QCOMPARE(recent, (QStringList{u"👍"_s, u"🍕"_s}));
    for (const EmojiPicker::Emoji &emoji : EmojiPicker::all())
        recent = EmojiPicker::remember(recent, emoji.glyph);
    QCOMPARE(recent.size(), EmojiPicker::kMaxRecent);
    QCOMPARE(recent.first(), EmojiPicker::all().last().glyph);

    EmojiPicker picker;
    picker.setRecent({u"🍕"_s, u"<script>"_s, u"🍕"_s, u"👍"_s});
    QCOMPARE(picker.recent(), (QStringList{u"🍕"_s, u"👍"_s}));
    picker.popupAt(QPoint(100, 400));
    QVERIFY(QTest::qWaitForWindowExposed(&picker));
    // Recent first: the picker opens on the Recent tab, in that order.
    QCOMPARE(picker.tabs()->currentIndex(), int(EmojiPicker::Category::Recent));
    QCOMPARE(picker.grid()->count(), 2);
    QCOMPARE(picker.grid()->item(0)->text(), u"🍕"_s);
    picker.close();
}

void TestEmojiPicker::choosesByKeyboardAndMouse()
{
    EmojiPicker picker;
    QSignalSpy picked(&picker, &EmojiPicker::picked);
    QSignalSpy recent(&picker, &EmojiPicker::recentChanged);
    picker.popupAt(QPoint(100, 400));
    QVERIFY(QTest::qWaitForWindowExposed(&picker));
    QCOMPARE(picker.tabs()->currentIndex(), int(EmojiPicker::Category::Smileys)); // nothing recent yet
    QTRY_VERIFY(picker.searchField()->hasFocus());
    QTest::keyClicks(picker.searchField(), u"taco"_s);
    QCOMPARE(picker.grid()->count(), 1);
    QTest::keyClick(picker.searchField(), Qt::Key_Return);
    QCOMPARE(picked.size(), 1);
    QCOMPARE(picked.at(0).at(0).toString(), u"🌮"_s);
    QCOMPARE(recent.size(), 1);
    QVERIFY(!picker.isVisible());

    picker.popupAt(QPoint(100, 400));
    QVERIFY(QTest::qWaitForWindowExposed(&picker));
    QCOMPARE(picker.tabs()->currentIndex(), int(EmojiPicker::Category::Recent));
    picker.tabs()->setCurrentIndex(int(EmojiPicker::Category::Food));
    QListWidgetItem *coffee = picker.grid()->findItems(u"☕"_s, Qt::MatchExactly).value(0);
    QVERIFY(coffee);
    QTest::mouseClick(picker.grid()->viewport(), Qt::LeftButton, {}, picker.grid()->visualItemRect(coffee).center());
    QCOMPARE(picked.size(), 2);
    QCOMPARE(picked.at(1).at(0).toString(), u"☕"_s);
    QCOMPARE(picker.recent(), (QStringList{u"☕"_s, u"🌮"_s}));
}

void TestEmojiPicker::composerInsertsAtCursor()
{
    MemoryCredentialStore store;
    ChatClient client(store);
    Composer composer(client);
    composer.resize(400, 120);
    composer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&composer));
    ComposerEdit *edit = composer.editor();
    edit->setFocus();
    QTRY_VERIFY(edit->hasFocus());
    QTest::keyClicks(edit, u"hola mundo"_s);
    QTextCursor cursor = edit->textCursor();
    cursor.setPosition(5); // after "hola "
    edit->setTextCursor(cursor);

    QTest::keyClick(edit, Qt::Key_E, Qt::ControlModifier);
    QTRY_VERIFY(composer.emojiPicker()->isVisible());
    QTest::keyClicks(composer.emojiPicker()->searchField(), u"waving"_s);
    QTest::keyClick(composer.emojiPicker()->searchField(), Qt::Key_Return);
    QTRY_VERIFY(!composer.emojiPicker()->isVisible());
    QCOMPARE(edit->toPlainText(), u"hola 👋mundo"_s);
    QCOMPARE(edit->textCursor().position(), 5 + int(u"👋"_s.size()));
    QTRY_VERIFY(edit->hasFocus());

    // The button opens it too.
    QTest::mouseClick(composer.emojiButton(), Qt::LeftButton);
    QTRY_VERIFY(composer.emojiPicker()->isVisible());
    QCOMPARE(composer.emojiPicker()->grid()->item(0)->text(), u"👋"_s); // recent first
    composer.emojiPicker()->close();
}

QTEST_MAIN(TestEmojiPicker)
#include "tst_emojipicker.moc"
