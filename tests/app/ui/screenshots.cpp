// Takes the screenshots in docs/screenshots/app-*.png from the real window (MainWindow, the same code
// `tertulia` runs) in a scripted scenario: a TLS server in this process (with a self-signed certificate,
// like a hosted chat's) with a few people, rooms and messages, a relay to cut the connection, a host found
// on the LAN (loopback), the first-use question, the account dialog with three devices, "New messages
// below" while reading further up, the Ctrl+K switcher, a room name refused as it is typed, a hosted chat for
// the share card, avatar pictures (the timeline, the member list and the Profile tab), a message's delivery trace
// in the admin console, and at the end the server's certificate
// changing under the window. Run by
// app/ui/screenshots.sh under Xvfb; not a test.
//
//   tertulia_screenshots OUTPUT_DIR
#include "uifixture.h"

#include "app/hosting/hostcertificate.h"
#include "app/hosting/hostcontroller.h"
#include "app/net/certificatetrust.h"
#include "app/lan/lanannouncer.h"
#include "app/models/roomlistmodel.h"
#include "app/net/backoff.h"
#include "app/session/chatfiles.h"
#include "app/session/connectionmanager.h"
#include "app/session/roomdirectory.h"
#include "app/models/devicelistmodel.h"
#include "app/net/authclient.h"
#include "app/ui/accountdialog.h"
#include "app/ui/avatar.h"
#include "app/ui/avatarpictures.h"
#include "app/admin/adminclient.h"
#include "app/ui/adminconsole.h"
#include "app/ui/moderationdialog.h"
#include "app/ui/sanctionsdialog.h"
#include "app/models/memberlistmodel.h"
#include "app/ui/rttchart.h"
#include "app/ui/certificatedialog.h"
#include "app/ui/chatpage.h"
#include "app/ui/connectionbanner.h"
#include "app/ui/composer.h"
#include "app/ui/composeredit.h"
#include "app/ui/emojipicker.h"
#include "app/ui/filethumbnails.h"
#include "app/ui/healthpanel.h"
#include "app/ui/messageview.h"
#include "app/ui/quickswitcher.h"
#include "app/ui/searchdialog.h"
#include "app/ui/roomdialog.h"
#include "app/ui/roomsettingsdialog.h"
#include "app/ui/preferences.h"
#include "app/ui/sharecard.h"
#include "app/ui/signinpage.h"
#include "shared/version.h"

#include <QtCore/QBuffer>
#include <QtCore/QDir>
#include <QtGui/QImage>
#include <QtGui/QLinearGradient>
#include <QtGui/QPainter>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QTreeWidget>
#include <tuple>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtGui/QAction>
#include <QtGui/QPainter>
#include <QtGui/QTextCursor>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QUdpSocket>
#include <QtTest/QTest>
#include <QtWidgets/QTableView>
#include <QtWidgets/QApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QLabel>
#include <QtWidgets/QListView>
#include <QtWidgets/QTreeWidget>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QTreeView>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QToolButton>

#include <cstdio>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

QString g_output;

bool save(QWidget *widget, const QString &name)
{
    // Let layouts, fonts and the last repaint settle before grabbing.
    QTest::qWait(300);
    const QString path = QDir(g_output).filePath(u"app-%1.png"_s.arg(name));
    const bool ok = widget->grab().save(path);
    std::printf("%s %s\n", ok ? "saved" : "FAILED", qPrintable(path));
    return ok;
}

/// A window with a popup (a context menu) over it: the popup is a window of its own, so it is drawn onto the
/// window's picture where it stands.
bool saveWithPopup(QWidget *window, QWidget *popup, const QString &name)
{
    QTest::qWait(300);
    QPixmap shot = window->grab();
    {
        QPainter painter(&shot);
        painter.drawPixmap(window->mapFromGlobal(popup->mapToGlobal(QPoint(0, 0))), popup->grab());
    }
    const QString path = QDir(g_output).filePath(u"app-%1.png"_s.arg(name));
    const bool ok = shot.save(path);
    std::printf("%s %s\n", ok ? "saved" : "FAILED", qPrintable(path));
    return ok;
}

bool moderate(ChatClient &client, Protocol::RequestType type, const QString &room, const QString &user,
              std::optional<Protocol::Role> role = {}, std::optional<qint64> duration = {}, const QString &reason = {})
{
    Protocol::ModerationParams params{room, user, role, duration, reason};
    return UiFixture::expectOk([&](QObject *context, auto done) { client.moderate(type, params, context, done); });
}

bool waitFor(const std::function<bool()> &condition, const char *what, int timeoutMs = 20000)
{
    if (QTest::qWaitFor(condition, timeoutMs))
        return true;
    std::fprintf(stderr, "screenshots: gave up waiting for %s\n", what);
    return false;
}

quint16 freeUdpPort()
{
    QUdpSocket probe;
    probe.bind(QHostAddress::LocalHost, 0);
    return probe.localPort();
}

std::optional<HostCertificate> certificateIn(const QString &dir)
{
    auto made = HostCertificate::loadOrCreate(dir, HostCertificate::requestFor(u"localhost"_s, {}));
    if (auto *error = std::get_if<HostCertificateError>(&made)) {
        std::fprintf(stderr, "screenshots: %s\n", qPrintable(error->message));
        return std::nullopt;
    }
    return std::get<HostCertificate>(made);
}

quint16 freeTcpPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::Any, 0);
    return probe.serverPort();
}

} // namespace

int main(int argc, char **argv)
{
    // LAN discovery on loopback only, on a port of its own: the sign-in screen hears the announcer below.
    qputenv("TERTULIA_LAN_CHANNELS", "loopback");
    qputenv("TERTULIA_LAN_PORT", QByteArray::number(freeUdpPort()));
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"Tertulia"_s);
    QCoreApplication::setApplicationName(u"tertulia-screenshots"_s);
    QStandardPaths::setTestModeEnabled(true);
    if (argc < 2) {
        std::fprintf(stderr, "usage: tertulia_screenshots OUTPUT_DIR\n");
        return 2;
    }
    g_output = QString::fromLocal8Bit(argv[1]);
    QDir().mkpath(g_output);

    // The server's own certificate, and the one it will present at the end (when it "changes").
    QTemporaryDir certificates;
    const auto first = certificateIn(certificates.filePath(u"a"_s));
    const auto second = certificateIn(certificates.filePath(u"b"_s));
    if (!first || !second)
        return 1;
    ServerConfig config = Test::TestServer::testConfig();
    config.name = u"Casa"_s;
    config.tracing.ratio = 1; // every message traced: the admin console's Traces tab has one to show
    config.tlsCertFile = first->certificateFile();
    config.tlsKeyFile = first->keyFile();
    UiFixture fixture(config);

    // People and rooms.
    auto bruno = fixture.person(u"bruno"_s);
    auto carmen = fixture.person(u"carmen"_s);
    auto diego = fixture.person(u"diego"_s);
    auto elena = fixture.person(u"elena"_s); // a member, offline by the time the pictures are taken
    const auto create = [](ChatClient &client, const QString &room, bool isPrivate) {
        return UiFixture::expectOk([&](QObject *context, auto done) { client.createRoom(room, isPrivate, context, done); });
    };
    const auto join = [](ChatClient &client, const QString &room) {
        return UiFixture::expectOk([&](QObject *context, auto done) { client.joinRoom(room, context, done); });
    };
    bool ok = create(*bruno, u"general"_s, false) && create(*carmen, u"música"_s, false)
              && create(*diego, u"random"_s, false) && join(*carmen, u"general"_s) && join(*diego, u"general"_s)
              && join(*elena, u"general"_s);
    elena.reset();

    // A host on the "LAN".
    LanAnnouncer announcer;
    LanAnnouncement announcement;
    announcement.serverName = u"Casa de Bruno"_s;
    announcement.port = fixture.server().server().port();
    announcement.version = versionString();
    announcement.users = 3;
    announcement.fingerprint = first->fingerprint();
    announcer.start(announcement);

    // ---- sign-in ----
    auto window = fixture.openWindow(u"screenshots"_s);
    window->resize(1100, 720);
    SignInPage *signIn = window->signInPage();
    ok = ok && waitFor([&] { return signIn->networkList()->model()->rowCount() > 0; }, "the LAN host");
    const Protocol::TokenPair registration = fixture.server().login(u"ana"_s, UiFixture::kPassword);
    // The label this app gives the server's device list, with a host name that reads well in the docs.
    window->client()->authClient()->setDeviceLabel(u"Tertulia %1 on escritorio-ana (Debian GNU/Linux 12)"_s.arg(versionString()));
    signIn->serverBox()->lineEdit()->setText(fixture.address().id());
    signIn->userEdit()->setText(u"ana"_s);
    signIn->passwordEdit()->setText(UiFixture::kPassword);
    signIn->passwordEdit()->setFocus();
    ok = save(window.get(), u"signin"_s) && ok;

    // A typed address: the first connection asks about the certificate.
    QTest::mouseClick(signIn->signInButton(), Qt::LeftButton);
    ok = ok && waitFor([&] { return window->certificateDialog() && window->certificateDialog()->isVisible(); },
                       "the first-use question");
    if (window->certificateDialog()) {
        ok = save(window->certificateDialog(), u"certificate-first-use"_s) && ok;
        QTest::mouseClick(window->certificateDialog()->trustButton(), Qt::LeftButton);
    }
    ok = ok && UiFixture::waitConnected(*window->client());
    ChatClient *ana = window->client();
    ok = ok && join(*ana, u"general"_s) && join(*ana, u"música"_s) && join(*ana, u"random"_s) && join(*bruno, u"música"_s);
    ok = ok && create(*ana, u"viaje-lisboa"_s, true)
         && UiFixture::expectOk([&](QObject *context, auto done) { ana->invite(u"viaje-lisboa"_s, u"bruno"_s, context, done); })
         && join(*bruno, u"viaje-lisboa"_s);
    // Display names (issue 12): people as they call themselves; diego keeps his user name.
    const auto rename = [](ChatClient &client, const QString &displayName) {
        return UiFixture::expectOk([&](QObject *context, auto done) { client.setDisplayName(displayName, context, done); });
    };
    ok = ok && rename(*ana, u"Ana Martín"_s) && rename(*bruno, u"Bruno Díaz"_s) && rename(*carmen, u"Carmen Ruiz"_s);
    for (ChatClient *client : {bruno.get(), carmen.get(), diego.get()})
        client->setCurrentRoom(u"general"_s);
    ana->setCurrentRoom(u"general"_s);

    // ---- a conversation ----
    const QList<std::pair<ChatClient *, QString>> general{
        {bruno.get(), u"¡Buenos días! ¿Quién viene el sábado a la sierra?"_s},
        {bruno.get(), u"Salimos a las 8 desde la plaza."_s},
        {carmen.get(), u"Yo me apunto. ¿Hace falta llevar comida?"_s},
        {ana, u"Yo también. Llevo el termo de café y pan para todos."_s},
        {diego.get(), u"Este sábado no puedo, tengo turno. ¡La próxima!"_s},
        {bruno.get(), u"Comida cada uno la suya, y agua de sobra: son unos 14 km con subida al final. "
                      u"Os paso el mapa del recorrido esta tarde."_s},
        {carmen.get(), u"Perfecto, gracias"_s},
    };
    for (const auto &[client, text] : general)
        ok = ok && UiFixture::say(*client, u"general"_s, text);
    ok = ok && UiFixture::say(*carmen, u"música"_s, u"¿Alguien conoce algún grupo de fado para el viaje?"_s)
         && UiFixture::say(*bruno, u"música"_s, u"Mariza, sin duda"_s)
         && UiFixture::say(*bruno, u"viaje-lisboa"_s, u"He mirado vuelos para el puente de mayo"_s)
         && UiFixture::say(*diego, u"random"_s, u"Mirad qué gato más raro he visto hoy"_s);
    diego->setAway(true);
    ok = ok && waitFor([&] { return window->totalUnread() >= 4; }, "unread messages");
    bruno->setTyping(true);
    ok = ok && waitFor([&] { return !window->chatPage()->typingLabel()->text().isEmpty(); }, "bruno typing");
    window->chatPage()->composer()->editor()->setPlainText(u"¡Qué bien! Entonces"_s);
    ok = save(window.get(), u"main"_s) && ok;

    // ---- reconnect banner ----
    ana->connection()->setBackoff(Backoff({12s, 12s}, [] { return 0.99; }));
    fixture.proxy().setAccepting(false);
    fixture.proxy().cutAll();
    ok = ok && waitFor([&] { return ana->connection()->state() == ConnectionManager::State::Reconnecting; }, "Reconnecting");
    window->chatPage()->composer()->editor()->moveCursor(QTextCursor::End);
    window->chatPage()->composer()->editor()->insertPlainText(u" llevo también fruta."_s);
    QTest::keyClick(window->chatPage()->composer()->editor(), Qt::Key_Return);
    QTest::qWait(1200); // the countdown shows a round second
    ok = save(window.get(), u"reconnecting"_s) && ok;
    fixture.proxy().setAccepting(true);
    ana->connection()->retryNow();
    ok = ok && UiFixture::waitConnected(*ana);

    // ---- health panel ----
    ConnectionOptions options = ana->connection()->options();
    options.pingInterval = 250ms;
    ana->connection()->setOptions(options);
    window->resize(1280, 760);
    window->healthPanel()->show();
    QTest::qWait(20000); // about eighty round trips for the chart
    bruno->setTyping(false);
    ok = save(window.get(), u"health"_s) && ok;
    window->healthPanel()->hide();
    window->resize(1100, 720);

    // ---- dark palette ----
    window->preferences()->setTheme(Preferences::Theme::Dark);
    ok = save(window.get(), u"main-dark"_s) && ok;
    window->preferences()->setTheme(Preferences::Theme::System);

    // ---- Spanish ----
    window->preferences()->setLanguage(u"es"_s);
    QTest::qWait(200);
    ok = save(window.get(), u"main-es"_s) && ok;
    window->preferences()->setLanguage(u"en"_s);

    // ---- the account dialog: ana's devices (the registration's login goes), then deleting asks first ----
    ok = ok && UiFixture::expectOk([&](QObject *context, auto done) {
        ana->revokeDevice(Test::TestServer::loginOf(registration.accessToken), context, done);
    });
    for (const QString &device : {u"Tertulia %1 on portatil-ana (Ubuntu 24.04 LTS)"_s.arg(versionString()),
                                  u"Tertulia %1 on ana-trabajo (Windows 11)"_s.arg(versionString())}) {
        const auto login = fixture.server().http().postJson(
            u"/api/v1/login"_s, QJsonObject{{QLatin1StringView("username"), u"ana"_s},
                                            {QLatin1StringView("password"), UiFixture::kPassword},
                                            {QLatin1StringView("device"), device}});
        ok = ok && login.status == 200;
    }
    window->showAccount();
    AccountDialog *account = window->accountDialog();
    ok = ok && account && waitFor([&] { return account->deviceModel()->rowCount() == 3; }, "ana's devices");
    if (account) {
        account->resize(720, 440);
        UiFixture::clickRow(account->deviceView(), 2);
        ok = save(account, u"account"_s) && ok;
        window->preferences()->setLanguage(u"es"_s);
        QTest::qWait(200);
        ok = save(account, u"account-es"_s) && ok;
        window->preferences()->setLanguage(u"en"_s);
        account->showTab(AccountDialog::Tab::Password);
        account->currentPasswordEdit()->setText(u"not the password"_s);
        account->newPasswordEdit()->setText(u"a longer password"_s);
        account->repeatPasswordEdit()->setText(u"a longer password"_s);
        QTest::mouseClick(account->changePasswordButton(), Qt::LeftButton);
        ok = ok && waitFor([&] { return account->passwordStatus()->isVisible(); }, "the password answer");
        ok = save(account, u"account-password"_s) && ok;
        account->showTab(AccountDialog::Tab::Delete);
        account->deletePasswordEdit()->setText(UiFixture::kPassword);
        QTest::mouseClick(account->deleteAccountButton(), Qt::LeftButton);
        ok = ok && waitFor([&] { return account->deleteQuestion() && account->deleteQuestion()->isVisible(); },
                           "the question");
        if (account->deleteQuestion()) {
            ok = save(account->deleteQuestion(), u"account-delete"_s) && ok;
            account->deleteQuestion()->reject();
        }
        account->close();
    }

    // ---- reading further up while messages arrive: "New messages below" ----
    // Two people taking turns, so every message has its own header and the room is longer than the view.
    ok = ok && join(*carmen, u"random"_s);
    for (int i = 1; i <= 14; ++i) {
        ok = ok && UiFixture::say(*diego, u"random"_s, u"Foto %1 del paseo"_s.arg(i))
             && UiFixture::say(*carmen, u"random"_s, i % 2 ? u"¡Qué bonita!"_s : u"¿Dónde es esa?"_s);
    }
    ana->setCurrentRoom(u"random"_s);
    ok = ok && waitFor([&] { return window->chatPage()->messageView()->verticalScrollBar()->maximum() > 0; }, "a long room");
    QTest::qWait(200);
    window->chatPage()->messageView()->verticalScrollBar()->setValue(
        window->chatPage()->messageView()->verticalScrollBar()->maximum() / 3);
    ok = ok && UiFixture::say(*diego, u"random"_s, u"¿Las habéis visto?"_s);
    ok = ok && waitFor([&] { return window->chatPage()->messageView()->newMessagesButton()->isVisible(); },
                       "new messages below");
    ok = save(window.get(), u"new-messages"_s) && ok;
    window->chatPage()->messageView()->scrollToNewest();
    ana->setCurrentRoom(u"general"_s);

    // ---- edits and deletions: ana corrects a message, diego deletes one, ana edits her last (Up) ----
    {
        const auto seqOf = [&](const QString &prefix) {
            for (const auto &message : ana->rooms()->find(u"general"_s)->messages()) {
                if (message.text.startsWith(prefix))
                    return message.seq;
            }
            return qint64(0);
        };
        const qint64 termo = seqOf(u"Yo también."_s);
        const qint64 turno = seqOf(u"Este sábado no puedo"_s);
        ok = ok && termo > 0 && turno > 0;
        ok = ok && UiFixture::expectOk([&](QObject *context, auto done) {
            ana->editMessage(u"general"_s, termo, u"Yo también. Llevo el termo de café, pan y fruta para todos."_s, context, done);
        });
        ok = ok && UiFixture::expectOk([&](QObject *context, auto done) {
            diego->deleteMessage(u"general"_s, turno, context, done);
        });
        ok = ok && waitFor([&] {
            const auto messages = ana->rooms()->find(u"general"_s)->messages();
            return std::any_of(messages.cbegin(), messages.cend(), [](const auto &m) { return m.deleted; });
        }, "the deletion");
        ComposerEdit *editor = window->chatPage()->composer()->editor();
        editor->clear();
        window->activateWindow();
        editor->setFocus();
        QTest::keyClick(editor, Qt::Key_Up);
        ok = ok && waitFor([&] { return window->chatPage()->composer()->editingSeq() > 0; }, "editing the last message");
        ok = save(window.get(), u"edits"_s) && ok;
        QTest::keyClick(editor, Qt::Key_Escape);
    }

    // ---- mentions: highlighted in the open room (ana's own stand out), a mention badge on música, and
    // random muted (its badge quiet, a struck speaker beside it) ----
    {
        ana->setRoomMuted(u"random"_s, true);
        ok = ok && UiFixture::say(*diego, u"random"_s, u"Otro gato, este naranja"_s)
             && UiFixture::say(*bruno, u"música"_s, u"@ana ¿te vienes al concierto de Mariza?"_s)
             && UiFixture::say(*bruno, u"música"_s, u"Quedan pocas entradas"_s)
             && UiFixture::say(*carmen, u"general"_s, u"@ana ¿llevas tú el termo? Y @bruno, pásanos el mapa"_s);
        ok = ok && waitFor([&] { return ana->rooms()->find(u"música"_s)->mentionCount() == 1; }, "the mention badge");
        ComposerEdit *editor = window->chatPage()->composer()->editor();
        editor->setPlainText(u"Sí, lo llevo yo. Gracias @bruno"_s);
        editor->moveCursor(QTextCursor::End);
        window->chatPage()->messageView()->scrollToNewest();
        ok = save(window.get(), u"mentions"_s) && ok;
        editor->clear();
        ana->setRoomMuted(u"random"_s, false);
    }

    // ---- replies: bruno and ana answer carmen's question (quoted above their text), and ana is about to
    // answer diego (the quote bar over the box) ----
    {
        const auto seqOf = [&](const QString &prefix) {
            const auto messages = ana->rooms()->find(u"general"_s)->messages();
            for (auto it = messages.crbegin(); it != messages.crend(); ++it) {
                if (it->text.startsWith(prefix))
                    return it->seq;
            }
            return qint64(0);
        };
        const qint64 question = seqOf(u"@ana ¿llevas tú el termo?"_s);
        ok = ok && question > 0;
        ok = ok && bruno->sendMessage(u"general"_s, u"El mapa lo llevo yo, y una brújula por si acaso"_s, question)
             && ana->sendMessage(u"general"_s, u"Sí, el termo y las tazas"_s, question);
        ok = ok && UiFixture::say(*diego, u"general"_s, u"¿A qué hora salimos?\nYo puedo desde las 8"_s);
        ok = ok && waitFor([&] { return ana->outbox()->isEmpty() && bruno->outbox()->isEmpty(); }, "the replies sent");
        ok = ok && waitFor([&] { return seqOf(u"¿A qué hora salimos?"_s) > 0; }, "diego's question");
        // Reactions: chips under carmen's question and bruno's answer (ana's own marked).
        const qint64 answer = seqOf(u"El mapa lo llevo yo"_s);
        ok = ok && answer > 0;
        for (auto [who, seq, reaction] : {std::tuple{diego.get(), answer, u"👍"_s}, std::tuple{carmen.get(), answer, u"👍"_s},
                                          std::tuple{ana, answer, u"👍"_s}, std::tuple{ana, question, u"😂"_s},
                                          std::tuple{bruno.get(), answer, u"🧭"_s}}) {
            ok = ok && UiFixture::expectOk([&](QObject *context, auto done) {
                who->react(u"general"_s, seq, reaction, false, context, done);
            });
        }
        ok = ok && waitFor([&] {
            const auto messages = ana->rooms()->find(u"general"_s)->messages();
            return std::any_of(messages.cbegin(), messages.cend(), [](const auto &m) { return m.reactions.size() == 2; });
        }, "the reactions");
        window->chatPage()->composer()->startReply(seqOf(u"¿A qué hora salimos?"_s), u"diego"_s,
                                                   u"¿A qué hora salimos?\nYo puedo desde las 8"_s);
        ComposerEdit *editor = window->chatPage()->composer()->editor();
        editor->setPlainText(u"A las 8 en la estación"_s);
        editor->moveCursor(QTextCursor::End);
        window->chatPage()->messageView()->scrollToNewest();
        ok = save(window.get(), u"replies"_s) && ok;
        window->chatPage()->composer()->cancelReply();
        editor->clear();
    }

    // ---- formatting: the Markdown subset (bold, italic, strike, code, a code block, links), then the emoji
    // picker open over the composer, a search typed ----
    {
        ok = ok && UiFixture::say(*diego, u"general"_s,
                                  u"**Plan del sábado**: salimos a las *8 en punto* desde la estación (no a las ~~7:30~~)"_s)
             && UiFixture::say(*carmen, u"general"_s,
                               u"El horario está en [la web del parque](https://example.org/parque) y el mapa en https://example.org/mapa"_s)
             && UiFixture::say(*bruno, u"general"_s,
                               u"Lista para la mochila, copiad con `Ctrl+C`:\n```\ntermo      ✔ ana\nmapa       ✔ bruno\nbrújula    ✔ bruno\n```"_s);
        ok = ok && waitFor([&] {
            const auto messages = ana->rooms()->find(u"general"_s)->messages();
            return !messages.isEmpty() && messages.last().text.startsWith(u"Lista para la mochila"_s);
        }, "the formatted messages");
        window->chatPage()->messageView()->scrollToNewest();
        ok = save(window.get(), u"formatting"_s) && ok;

        Composer *composer = window->chatPage()->composer();
        composer->editor()->setPlainText(u"¡Qué bien! "_s);
        composer->editor()->moveCursor(QTextCursor::End);
        composer->emojiPicker()->setRecent({u"👍"_s, u"😂"_s, u"🎉"_s, u"☕"_s, u"🌸"_s, u"🌳"_s});
        composer->openEmojiPicker();
        ok = ok && waitFor([&] { return composer->emojiPicker()->isVisible(); }, "the emoji picker");
        QTest::keyClicks(composer->emojiPicker()->searchField(), u"heart"_s);
        QTest::qWait(300);
        // The picker is a popup of its own: drawn over the window's picture where it stands.
        QPixmap shot = window->grab();
        {
            QPainter painter(&shot);
            painter.drawPixmap(window->mapFromGlobal(composer->emojiPicker()->pos()), composer->emojiPicker()->grab());
        }
        const QString path = QDir(g_output).filePath(u"app-emoji-picker.png"_s);
        const bool saved = shot.save(path);
        std::printf("%s %s\n", saved ? "saved" : "FAILED", qPrintable(path));
        ok = saved && ok;
        composer->emojiPicker()->close();
        composer->editor()->clear();
    }

    // ---- Ctrl+K ----
    window->activateWindow();
    ok = ok && waitFor([&] { return window->isActiveWindow(); }, "the window active again");
    QTest::keyClick(window.get(), Qt::Key_K, Qt::ControlModifier);
    ok = ok && waitFor([&] { return window->quickSwitcher() && window->quickSwitcher()->isVisible(); }, "the switcher");
    if (window->quickSwitcher()) {
        QTest::keyClicks(window->quickSwitcher()->filterEdit(), u"i"_s);
        ok = save(window->quickSwitcher(), u"switcher"_s) && ok;
        window->quickSwitcher()->close();
    }

    // ---- Ctrl+Shift+F: "termo" in all of ana's rooms, newest first, the word in bold ----
    window->activateWindow();
    ok = ok && waitFor([&] { return window->isActiveWindow(); }, "the window active again");
    QTest::keyClick(window.get(), Qt::Key_F, Qt::ControlModifier | Qt::ShiftModifier);
    ok = ok && waitFor([&] { return window->searchDialog() && window->searchDialog()->isVisible(); }, "the search");
    if (SearchDialog *search = window->searchDialog()) {
        search->scopeBox()->setCurrentIndex(0);
        QTest::keyClicks(search->queryEdit(), u"termo"_s);
        QTest::keyClick(search->queryEdit(), Qt::Key_Return);
        ok = ok && waitFor([&] { return search->resultList()->count() >= 2; }, "the search results");
        if (search->resultList()->count() < 2)
            std::fprintf(stderr, "screenshots: the search says %s\n", qPrintable(search->statusLabel()->text()));
        ok = save(search, u"search"_s) && ok;
        search->close();
    }

    // ---- a room name checked as it is typed ----
    window->activateWindow();
    ok = ok && waitFor([&] { return window->isActiveWindow(); }, "the window active again");
    window->chatPage()->createRoom();
    ok = ok && waitFor([&] { return window->chatPage()->openDialog() && window->chatPage()->openDialog()->isVisible(); },
                       "the new-room dialog");
    if (RoomDialog *dialog = window->chatPage()->openDialog()) {
        QTest::keyClicks(dialog->nameEdit(), u"viaje a Oporto"_s);
        ok = save(dialog, u"room-dialog"_s) && ok;
        dialog->close();
    }

    // ---- moderation: bruno (general's owner) makes ana a moderator; her menu on carmen offers what a moderator
    // may do, and Ban… asks how long and why ----
    ok = ok && moderate(*bruno, Protocol::RequestType::SetRole, u"general"_s, u"ana"_s, Protocol::Role::Moderator);
    ana->setCurrentRoom(u"general"_s);
    ok = ok && waitFor([&] { return ana->rooms()->find(u"general"_s)->ownRole() == Protocol::Role::Moderator; },
                       "ana a moderator");
    window->activateWindow();
    ok = ok && waitFor([&] { return window->isActiveWindow(); }, "the window active again");
    {
        QListView *members = window->chatPage()->memberList();
        const int row = UiFixture::findRow(members->model(), MemberListModel::UserRole, u"carmen"_s);
        ok = ok && row >= 0;
        if (row >= 0) {
            const QModelIndex index = members->model()->index(row, 0);
            members->setFocus();
            members->setCurrentIndex(index);
            window->chatPage()->showMemberMenu(index, members->viewport()->mapToGlobal(members->visualRect(index).center()));
            QMenu *menu = window->chatPage()->memberContextMenu();
            ok = ok && menu && waitFor([&] { return menu->isVisible(); }, "the member menu");
            if (menu) {
                // The member list is at the window's right edge: keep the menu inside the picture.
                const QPoint rowLeft = members->viewport()->mapTo(window.get(), members->visualRect(index).topLeft());
                menu->move(window->mapToGlobal(QPoint(rowLeft.x() - menu->width() + 40, rowLeft.y() + 12)));
                ok = saveWithPopup(window.get(), menu, u"member-menu"_s) && ok;
                for (QAction *action : menu->actions()) {
                    if (action->text().remove(u'&') == u"Ban…"_s)
                        action->trigger();
                }
                menu->close();
            }
            ModerationDialog *dialog = window->chatPage()->moderationDialog();
            ok = ok && dialog && waitFor([&] { return dialog->isVisible(); }, "the ban dialog");
            if (dialog) {
                dialog->reasonEdit()->setText(u"Mensajes repetidos"_s);
                ok = save(dialog, u"moderation-ban"_s) && ok;
                dialog->reject();
            }
        }
    }
    // ---- the room's bans and mutes, as its moderators see them (the room list's Bans and mutes…) ----
    ok = ok && moderate(*bruno, Protocol::RequestType::Mute, u"general"_s, u"carmen"_s, std::nullopt, 24 * 3600,
                        u"Mensajes repetidos"_s);
    window->chatPage()->showSanctions(u"general"_s);
    ok = ok && waitFor([&] {
        return window->chatPage()->sanctionsDialog() && window->chatPage()->sanctionsDialog()->isVisible()
            && window->chatPage()->sanctionsDialog()->sanctions().size() == 1;
    }, "the bans and mutes");
    if (SanctionsDialog *dialog = window->chatPage()->sanctionsDialog()) {
        dialog->list()->setCurrentItem(dialog->list()->topLevelItem(0));
        ok = save(dialog, u"sanctions"_s) && ok;
        dialog->close();
    }
    ok = ok && moderate(*bruno, Protocol::RequestType::Unmute, u"general"_s, u"carmen"_s);

    // ---- direct messages: bruno and carmen each write to ana directly; the conversation with bruno is open
    // (its header "@bruno"), carmen's waits in the room list with its unread badge, both with a person's icon ----
    {
        const auto openDirect = [&](ChatClient &from, const QString &to) {
            bool answered = false;
            QString address;
            from.openDirect(to, &from, [&](const std::optional<Protocol::Error> &error, const QString &room) {
                answered = true;
                if (!error)
                    address = room;
            });
            waitFor([&] { return answered; }, "open_direct");
            return address;
        };
        const QString withBruno = openDirect(*bruno, u"ana"_s);
        const QString withCarmen = openDirect(*carmen, u"ana"_s);
        ok = ok && !withBruno.isEmpty() && !withCarmen.isEmpty()
             && UiFixture::say(*bruno, withBruno, u"¿Me pasas la dirección del concierto?"_s)
             && UiFixture::say(*carmen, withCarmen, u"Gracias por lo del termo 🙂"_s);
        ok = ok && waitFor([&] {
            const ChatRoom *room = ana->rooms()->find(withCarmen);
            return room && room->unreadCount() == 1 && ana->rooms()->find(withBruno);
        }, "the direct conversations in ana's list");
        ana->setCurrentRoom(withBruno);
        ok = ok && waitFor([&] { return ana->currentRoom() && ana->currentRoom()->messageCount() == 1; },
                           "bruno's message");
        window->chatPage()->composer()->editor()->setPlainText(u"Te la mando ahora"_s);
        ok = save(window.get(), u"direct-message"_s) && ok;
        window->chatPage()->composer()->editor()->clear();
    }

    // ---- files and images (issue 12): bruno sends ana the concert's poster and the tickets; the poster shows
    // inline, the tickets as a file to save ----
    {
        const QString withBruno = ana->currentRoom() ? ana->currentRoom()->name() : QString();
        QImage poster(800, 560, QImage::Format_RGB32);
        {
            QPainter painter(&poster);
            QLinearGradient sky(0, 0, 0, 560);
            sky.setColorAt(0, QColor(0x1d, 0x3b, 0x6e));
            sky.setColorAt(1, QColor(0xe0, 0x7a, 0x3f));
            painter.fillRect(poster.rect(), sky);
            painter.setBrush(QColor(0xf5, 0xd0, 0x6b));
            painter.setPen(Qt::NoPen);
            painter.drawEllipse(QPoint(560, 330), 90, 90);
            painter.setBrush(QColor(0x22, 0x22, 0x30));
            painter.drawRect(0, 430, 800, 130);
            QFont font = painter.font();
            font.setPixelSize(64);
            font.setBold(true);
            painter.setFont(font);
            painter.setPen(Qt::white);
            painter.drawText(QRect(40, 40, 720, 160), Qt::AlignLeft | Qt::AlignTop, u"Concierto\nen el parque"_s);
        }
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        poster.save(&buffer, "PNG");
        ChatFiles brunoFiles(*bruno);
        brunoFiles.add(withBruno, u"cartel.png"_s, png, u"El cartel, por si acaso"_s);
        brunoFiles.add(withBruno, u"entradas.pdf"_s, QByteArray("%PDF-1.4\n").repeated(9000));
        ok = ok && waitFor([&] { return brunoFiles.uploads().isEmpty() && ana->currentRoom()->messageCount() == 3; },
                           "bruno's files");
        QString posterId;
        for (const Protocol::ChatMessage &message : ana->currentRoom()->messages()) {
            if (message.file && message.file->isImage())
                posterId = message.file->id;
        }
        ok = ok && waitFor([&] { return !window->chatPage()->thumbnails()->thumbnail(posterId).isNull(); },
                           "the poster's thumbnail");
        window->chatPage()->messageView()->scrollToBottom();
        ok = save(window.get(), u"files"_s) && ok;
    }

    // ---- room settings: ana owns viaje-lisboa; the dialog, and what Delete room… asks ----
    ok = ok && UiFixture::expectOk([&](QObject *context, auto done) {
        ana->updateRoom({u"viaje-lisboa"_s, u"Viaje a Lisboa"_s, u"Puente de mayo: vuelos, alojamiento y rutas"_s, {}, {}, {}},
                        context, done);
    });
    ok = ok && waitFor([&] { return ana->rooms()->find(u"viaje-lisboa"_s)->title() == u"Viaje a Lisboa"_s; },
                       "the room's new name");
    window->chatPage()->openRoomSettings(u"viaje-lisboa"_s);
    if (RoomSettingsDialog *dialog = window->chatPage()->roomSettingsDialog()) {
        ok = ok && waitFor([&] { return dialog->isVisible(); }, "the room settings");
        dialog->reasonEdit()->setText(u"Ya hemos vuelto"_s);
        dialog->archivedBox()->setChecked(true);
        ok = save(dialog, u"room-settings"_s) && ok;
        dialog->deleteButton()->click();
        ok = ok && waitFor([&] { return dialog->deleteQuestion() && dialog->deleteQuestion()->isVisible(); },
                           "the delete question");
        if (QMessageBox *question = dialog->deleteQuestion()) {
            ok = save(question, u"room-settings-delete"_s) && ok;
            question->reject();
        }
        dialog->reject();
    } else {
        ok = false;
    }

    // ---- avatar pictures (issue 12): bruno and carmen upload theirs, ana chooses one in the Profile tab; diego
    // keeps his initials ----
    {
        const auto picture = [](const std::function<void(QPainter &)> &paint) {
            QImage image(480, 360, QImage::Format_RGB32); // wider than square: the apps send the middle
            QPainter painter(&image);
            painter.setRenderHint(QPainter::Antialiasing);
            paint(painter);
            return image;
        };
        const QImage sierra = picture([](QPainter &painter) {
            QLinearGradient sky(0, 0, 0, 360);
            sky.setColorAt(0, QColor(0x4f, 0x9d, 0xde));
            sky.setColorAt(1, QColor(0xf6, 0xd3, 0x8e));
            painter.fillRect(QRect(0, 0, 480, 360), sky);
            painter.setPen(Qt::NoPen);
            painter.setBrush(QColor(0xfc, 0xf2, 0xc4));
            painter.drawEllipse(QPoint(300, 110), 34, 34);
            painter.setBrush(QColor(0x5b, 0x6b, 0x7c));
            painter.drawPolygon(QPolygon({QPoint(40, 360), QPoint(200, 120), QPoint(330, 360)}));
            painter.setBrush(QColor(0x3d, 0x4b, 0x5a));
            painter.drawPolygon(QPolygon({QPoint(180, 360), QPoint(330, 170), QPoint(470, 360)}));
            painter.setBrush(Qt::white);
            painter.drawPolygon(QPolygon({QPoint(200, 120), QPoint(176, 156), QPoint(224, 156)}));
            painter.setBrush(QColor(0x2f, 0x6b, 0x3a));
            painter.drawRect(0, 310, 480, 50);
        });
        const QImage portrait = picture([](QPainter &painter) {
            painter.fillRect(QRect(0, 0, 480, 360), QColor(0x26, 0xa6, 0x9a));
            painter.setPen(Qt::NoPen);
            painter.setBrush(QColor(0x3e, 0x27, 0x23));
            painter.drawEllipse(QPoint(240, 170), 104, 118); // hair
            painter.setBrush(QColor(0xf1, 0xc2, 0x9b));
            painter.drawEllipse(QPoint(240, 190), 78, 92); // face
            painter.setBrush(QColor(0xe5, 0x39, 0x35));
            painter.drawEllipse(QRect(110, 290, 260, 200)); // shoulders
            painter.setBrush(QColor(0x3e, 0x27, 0x23));
            painter.drawEllipse(QPoint(212, 180), 9, 11);
            painter.drawEllipse(QPoint(268, 180), 9, 11);
            painter.setBrush(QColor(0xc6, 0x28, 0x28));
            painter.drawChord(QRect(212, 212, 56, 36), 180 * 16, 180 * 16);
        });
        const QImage sunflower = picture([](QPainter &painter) {
            painter.fillRect(QRect(0, 0, 480, 360), QColor(0x39, 0x49, 0xab));
            painter.setPen(Qt::NoPen);
            painter.setBrush(QColor(0xfd, 0xd8, 0x35));
            for (int i = 0; i < 14; ++i) {
                painter.save();
                painter.translate(240, 180);
                painter.rotate(i * 360.0 / 14);
                painter.drawEllipse(QRect(-20, -140, 40, 100));
                painter.restore();
            }
            painter.setBrush(QColor(0x5d, 0x40, 0x37));
            painter.drawEllipse(QPoint(240, 180), 58, 58);
        });
        for (const auto &[client, image] : {std::pair{bruno.get(), sierra}, std::pair{carmen.get(), portrait}}) {
            ChatFiles files(*client);
            FileTransfer *transfer = files.changeAvatar(Avatar::uploadBytes(image));
            bool done = false;
            QObject::connect(transfer, &FileTransfer::finished, &files, [&done] { done = true; });
            ok = ok && waitFor([&] { return done; }, "a picture upload") && !transfer->error();
        }
        window->showAccount();
        AccountDialog *profile = window->accountDialog();
        ok = ok && profile;
        if (profile) {
            profile->showTab(AccountDialog::Tab::Profile);
            profile->resize(720, 440);
            profile->usePicture(sunflower);
            ok = ok && waitFor([&] { return profile->profileStatus()->isVisible(); }, "ana's picture saved");
        }
        ana->setCurrentRoom(u"general"_s);
        AvatarPictures *pictures = window->chatPage()->avatarPictures();
        ok = ok && waitFor([&] {
            for (const QString &person : {u"ana"_s, u"bruno"_s, u"carmen"_s})
                pictures->picture(person); // as a paint would ask
            return !pictures->picture(u"ana"_s).isNull() && !pictures->picture(u"bruno"_s).isNull()
                && !pictures->picture(u"carmen"_s).isNull();
        }, "the pictures");
        if (profile)
            ok = save(profile, u"avatars-profile"_s) && ok;
        if (profile)
            profile->close();
        window->chatPage()->messageView()->scrollToTop();
        ok = save(window.get(), u"avatars"_s) && ok;
    }

    // ---- share card (a second window that hosts, with two guests) ----
    auto hostWindow = fixture.openWindow(u"host"_s);
    hostWindow->signInPage()->userEdit()->setText(u"lucia"_s); // the host's name
    hostWindow->startHosting(freeTcpPort(), true);
    ok = ok && waitFor([&] { return hostWindow->hostController()->isRunning(); }, "hosting");
    std::vector<std::unique_ptr<ChatClient>> guests;
    for (const QString &name : {u"marta"_s, u"pablo"_s}) {
        auto guest = std::make_unique<ChatClient>(fixture.store());
        guest->setDataDirectory(fixture.path(u"guests/"_s + name));
        guest->certificateTrust()->expect(hostWindow->hostController()->localAddress(),
                                          hostWindow->hostController()->fingerprint(), PinSource::Link);
        guest->createAccount(hostWindow->hostController()->localAddress(), name, UiFixture::kPassword, false);
        ok = ok && UiFixture::waitConnected(*guest);
        guests.push_back(std::move(guest));
    }
    ok = ok && waitFor([&] { return hostWindow->hostController()->onlineUsers() >= 3; }, "guests online");
    ok = ok && waitFor([&] { return hostWindow->shareCard() && hostWindow->shareCard()->isVisible(); }, "share card");
    hostWindow->shareCard()->refresh();
    ok = save(hostWindow->shareCard(), u"sharecard"_s) && ok;
    hostWindow->shareCard()->close();

    // ---- the host's admin console: who is connected, and the activity of the last minutes ----
    hostWindow->adminAction()->trigger();
    ok = ok && waitFor([&] { return hostWindow->adminConsole() && hostWindow->adminConsole()->isVisible(); },
                       "the admin console");
    if (AdminConsole *console = hostWindow->adminConsole()) {
        console->setRefreshInterval(std::chrono::milliseconds(250));
        ok = ok && waitFor([&] { return console->connectionModel().rowCount() >= 3; }, "three connections");
        ok = ok && join(*guests.at(0), u"general"_s) && join(*guests.at(1), u"general"_s);
        for (int i = 0; i < 12 && ok; ++i) {
            ok = UiFixture::say(*guests.at(i % 2), u"general"_s, u"mensaje %1"_s.arg(i + 1));
            QTest::qWait(120); // spread over several refreshes, so the chart has a shape
        }
        ok = ok && waitFor([&] { return console->charts().at(1)->samples().size() >= 8; }, "activity samples");
        UiFixture::clickRow(console->connectionsView(), 1);
        ok = save(console, u"admin-console"_s) && ok;
        console->tabs()->setCurrentIndex(3);
        ok = save(console, u"admin-activity"_s) && ok;
        // What moderators did in the guests' room, in the audit log.
        ChatClient &marta = *guests.at(0);
        ok = ok && create(marta, u"fiesta"_s, false) && join(*guests.at(1), u"fiesta"_s)
             && moderate(marta, Protocol::RequestType::Mute, u"fiesta"_s, u"pablo"_s, std::nullopt, 3600,
                         u"Demasiados stickers"_s)
             && moderate(marta, Protocol::RequestType::Unmute, u"fiesta"_s, u"pablo"_s)
             && moderate(marta, Protocol::RequestType::SetRole, u"fiesta"_s, u"pablo"_s, Protocol::Role::Moderator);
        console->tabs()->setCurrentIndex(4);
        ok = ok && waitFor([&] { return console->auditModel().rowCount() >= 3; }, "the audit log");
        ok = save(console, u"admin-audit"_s) && ok;
        // The Rooms tab: each room's messages per second, and the guests' room's members with their roles.
        console->tabs()->setCurrentIndex(1);
        const auto roomRow = [console](const QString &name) {
            for (int i = 0; i < console->roomModel().rows().size(); ++i) {
                if (console->roomModel().rows().at(i).name == name)
                    return i;
            }
            return -1;
        };
        ok = ok && waitFor([&] { return roomRow(u"fiesta"_s) >= 0; }, "the guests' room");
        if (roomRow(u"fiesta"_s) >= 0)
            UiFixture::clickRow(console->roomsView(), roomRow(u"fiesta"_s));
        ok = ok && waitFor([&] { return console->memberModel().rowCount() >= 2; }, "the guests' room's members");
        if (console->memberModel().rowCount() >= 2)
            UiFixture::clickRow(console->membersView(), 1);
        ok = save(console, u"admin-rooms"_s) && ok;
        // Room settings… of the guests' room, which the host is not in: every setting is an administrator's.
        QTest::mouseClick(console->roomSettingsButton(), Qt::LeftButton);
        ok = ok && waitFor([&] { return console->roomSettingsDialog() && console->roomSettingsDialog()->isVisible(); },
                           "the room's settings");
        if (RoomSettingsDialog *settings = console->roomSettingsDialog()) {
            settings->topicEdit()->setText(u"Fiesta del sábado: música, comida y fotos"_s);
            settings->reasonEdit()->setText(u"Tema pedido por marta"_s);
            ok = QTest::qWaitForWindowExposed(settings) && ok;
            ok = save(settings, u"admin-room-settings"_s) && ok;
            settings->close();
        }
        // The Users tab, a guest selected: what an administrator can do to an account.
        console->tabs()->setCurrentIndex(2);
        for (int i = 0; i < console->userModel().rows().size(); ++i) {
            if (console->userModel().rows().at(i).name == u"marta")
                UiFixture::clickRow(console->usersView(), i);
        }
        ok = save(console, u"admin-users"_s) && ok;
        // Ban from room… on the Users tab asks with the member list's dialog, with the rooms to pick from.
        {
            QStringList rooms;
            for (const Admin::Room &room : console->roomModel().rows())
                rooms.append(room.name);
            ModerationDialog ban(ModerationDialog::Kind::Ban, u"pablo"_s, QString(), console);
            ban.setRooms(rooms);
            ban.roomBox()->setCurrentText(u"fiesta"_s);
            ban.reasonEdit()->setText(u"Demasiados stickers"_s);
            ban.show();
            ok = ok && QTest::qWaitForWindowExposed(&ban);
            ok = save(&ban, u"admin-ban-from-room"_s) && ok;
        }
        console->close();
    }

    guests.clear();
    hostWindow.reset();

    // ---- what happened to a message: its delivery trace, in the server's admin console ----
    {
        const auto login = fixture.server().server().hostLogin(u"root"_s);
        const QString token = std::holds_alternative<Protocol::TokenPair>(login)
                                  ? std::get<Protocol::TokenPair>(login).accessToken
                                  : QString();
        ok = ok && !token.isEmpty() && UiFixture::say(*bruno, u"general"_s, u"¿Quedamos a las ocho en la plaza?"_s);
        AdminClient admin(fixture.address(), [token] { return token; });
        admin.setCertificateTrust(ana->certificateTrust());
        AdminConsole console(admin);
        console.setRefreshInterval(std::chrono::milliseconds(250));
        console.resize(940, 760);
        console.show();
        console.tabs()->setCurrentIndex(5);
        const auto newestIsBrunos = [&] {
            const Admin::Trace *trace = console.traceModel().rowAt(0);
            return trace && trace->sender == u"bruno" && trace->room == u"general";
        };
        ok = ok && waitFor(newestIsBrunos, "bruno's traced message");
        UiFixture::clickRow(console.tracesView(), 0);
        ok = ok && waitFor([&] { return console.shownTrace().has_value(); }, "the trace's detail");
        ok = save(&console, u"admin-traces"_s) && ok;
    }

    // ---- the server's certificate changes under the window ----
    window->resize(1100, 720);
    ok = ok && fixture.server().restartWithCertificate(second->certificateFile(), second->keyFile());
    ok = ok && waitFor([&] { return ana->connection()->state() == ConnectionManager::State::Failed; }, "the block");
    ok = save(window.get(), u"certificate-blocked"_s) && ok;
    QTest::mouseClick(window->chatPage()->banner()->certificateButton(), Qt::LeftButton);
    ok = ok && waitFor([&] { return window->certificateDialog() && window->certificateDialog()->isVisible(); },
                       "the explanation");
    if (window->certificateDialog())
        ok = save(window->certificateDialog(), u"certificate-changed"_s) && ok;
    window.reset();
    return ok ? 0 : 1;
}
