#include "uifixture.h"

#include "app/net/backoff.h"
#include "app/net/certificatetrust.h"
#include "app/session/chatroom.h"
#include "app/session/connectionmanager.h"
#include "app/session/outbox.h"
#include "app/models/memberlistmodel.h"
#include "app/ui/chatpage.h"
#include "app/session/roomdirectory.h"
#include "app/ui/profile.h"
#include "app/ui/signinpage.h"

#include <QtCore/QMultiMap>
#include <QtGui/QAction>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QListView>
#include <QtWidgets/QMenu>
#include <QtWidgets/QAbstractButton>
#include <QtWidgets/QAbstractItemView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using State = Tertulia::ConnectionManager::State;

namespace Tertulia::Testing {

UiFixture::UiFixture(const ServerConfig &config)
    : m_server(std::make_unique<Test::TestServer>(config)), m_proxy(std::make_unique<TcpProxy>())
{
    if (!m_proxy->start(m_server->server().port()))
        qFatal("the relay did not start");
}

UiFixture::~UiFixture()
{
    m_proxy.reset();
    m_server.reset();
}

ServerAddress UiFixture::address() const
{
    return ServerAddress(u"127.0.0.1"_s, m_proxy->port(), m_server->server().url().scheme() == u"wss"_s);
}

CertificateFingerprint UiFixture::fingerprint() const
{
    if (m_server->server().url().scheme() != u"wss"_s)
        return {};
    // The file the server serves now (a restart may have changed it).
    return CertificateFingerprint::of(QSslCertificate::fromPath(m_server->server().config().tlsCertFile).value(0));
}

std::unique_ptr<MainWindow> UiFixture::openWindow(const QString &profileName)
{
    return reopenWindow(profileName + QString::number(++m_windows));
}

std::unique_ptr<MainWindow> UiFixture::reopenWindow(const QString &name)
{
    const auto profile = Profile::openAt(name, m_dir.filePath(name + u"/config"_s), m_dir.filePath(name + u"/data"_s));
    if (!profile)
        return nullptr;
    auto window = std::make_unique<MainWindow>(*profile, m_store);
    // Reconnect within a fraction of a second; the real schedule is the core's to test.
    window->client()->connection()->setBackoff(Backoff({20ms, 400ms}));
    window->show();
    window->activateWindow();
    if (!QTest::qWaitForWindowActive(window.get()))
        qWarning("the window did not become active");
    return window;
}

void UiFixture::typeSignIn(MainWindow &window, const QString &server, const QString &user, const QString &password,
                           bool create)
{
    SignInPage *page = window.signInPage();
    page->serverBox()->lineEdit()->clear();
    QTest::keyClicks(page->serverBox()->lineEdit(), server);
    page->userEdit()->clear();
    QTest::keyClicks(page->userEdit(), user);
    page->passwordEdit()->clear();
    QTest::keyClicks(page->passwordEdit(), password);
    if (create)
        page->confirmEdit()->clear();
    QPushButton *button = create ? page->createAccountButton() : page->signInButton();
    QTest::mouseClick(button, Qt::LeftButton);
    if (create && page->confirmEdit()->isVisible() && page->confirmEdit()->text().isEmpty()) {
        // The first click asks for the password again.
        QTest::keyClicks(page->confirmEdit(), password);
        QTest::mouseClick(button, Qt::LeftButton);
    }
}

bool UiFixture::signIn(MainWindow &window, const QString &user)
{
    m_server->login(user, kPassword); // registers the account
    typeSignIn(window, address().id(), user, kPassword);
    return waitConnected(*window.client()) && window.isShowingChat();
}

std::unique_ptr<ChatClient> UiFixture::person(const QString &user)
{
    auto client = std::make_unique<ChatClient>(m_peopleStore);
    client->setDataDirectory(m_dir.filePath(u"people/"_s + user));
    m_server->login(user, kPassword);
    const ServerAddress direct(u"127.0.0.1"_s, m_server->server().port(), !fingerprint().isNull());
    // Other people got the host's link: they connect with its certificate pinned.
    client->certificateTrust()->expect(direct, fingerprint(), PinSource::Link);
    client->signIn(direct, user, kPassword, false);
    if (!waitConnected(*client))
        qWarning() << user << "did not connect";
    return client;
}

bool UiFixture::expectOk(const std::function<void(QObject *, ChatClient::ResultCallback)> &call)
{
    QObject context;
    std::optional<std::optional<Protocol::Error>> answer;
    call(&context, [&answer](const std::optional<Protocol::Error> &error) { answer = error; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, kTimeoutMs))
        return false;
    if (*answer)
        qWarning() << "refused:" << Protocol::describe(**answer);
    return !answer->has_value();
}

bool UiFixture::shareRoom(ChatClient &creator, ChatClient &joiner, const QString &room)
{
    const auto bothIn = [&room](ChatClient &client) {
        const ChatRoom *shared = client.rooms()->find(room);
        return shared && shared->isJoined() && shared->members().size() == 2;
    };
    if (!expectOk([&](QObject *context, auto done) { creator.createRoom(room, false, context, done); })
        || !QTest::qWaitFor([&] { return joiner.rooms()->find(room) != nullptr; }, kTimeoutMs)
        || !expectOk([&](QObject *context, auto done) { joiner.joinRoom(room, context, done); }))
        return false;
    creator.setCurrentRoom(room);
    joiner.setCurrentRoom(room);
    return QTest::qWaitFor([&] { return bothIn(creator) && bothIn(joiner); }, kTimeoutMs);
}

bool UiFixture::say(ChatClient &client, const QString &room, const QString &text)
{
    const auto id = client.sendMessage(room, text);
    if (!id)
        return false;
    return QTest::qWaitFor([&client, &id] {
        const auto entry = client.outbox()->find(*id);
        return !entry || entry->state == OutboxEntry::State::Sent;
    }, kTimeoutMs);
}

bool UiFixture::waitConnected(const ChatClient &client, int timeoutMs)
{
    return QTest::qWaitFor([&client] { return client.connection()->state() == State::Connected; }, timeoutMs);
}

void UiFixture::clickRow(QAbstractItemView *view, int row)
{
    const QModelIndex index = view->model()->index(row, 0);
    view->scrollTo(index);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(index).center());
}

QStringList UiFixture::mnemonicClashes(QWidget *window)
{
    QMultiMap<QChar, QString> used;
    const auto note = [&used](const QString &text) {
        for (qsizetype i = 0; i + 1 < text.size(); ++i) {
            if (text.at(i) != u'&')
                continue;
            if (text.at(i + 1) == u'&') {
                ++i; // "&&" is a literal ampersand
                continue;
            }
            used.insert(text.at(i + 1).toLower(), text);
            return;
        }
    };
    for (QWidget *widget : window->findChildren<QWidget *>()) {
        if (!widget->isVisible() || widget->window() != window)
            continue;
        if (auto *button = qobject_cast<QAbstractButton *>(widget))
            note(button->text());
        else if (auto *label = qobject_cast<QLabel *>(widget); label && label->buddy())
            note(label->text());
        else if (auto *menuBar = qobject_cast<QMenuBar *>(widget)) {
            for (const QAction *action : menuBar->actions())
                note(action->text());
        }
    }
    QStringList clashes;
    for (const QChar letter : used.uniqueKeys()) {
        if (used.count(letter) > 1)
            clashes << QString(letter) + u": "_s + QStringList(used.values(letter)).join(u", "_s);
    }
    return clashes;
}

int UiFixture::findRow(const QAbstractItemModel *model, int role, const QVariant &value)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        const QVariant data = model->index(row, 0).data(role);
        if (value.typeId() == QMetaType::QString ? data.toString().compare(value.toString(), Qt::CaseInsensitive) == 0
                                                 : data == value)
            return row;
    }
    return -1;
}

QMenu *UiFixture::openMemberMenu(ChatPage &page, const QString &user)
{
    if (page.memberContextMenu())
        page.memberContextMenu()->close();
    QListView *list = page.memberList();
    if (!QTest::qWaitFor([&] { return findRow(list->model(), MemberListModel::UserRole, user) >= 0; }, kTimeoutMs))
        return nullptr;
    list->setFocus();
    list->setCurrentIndex(list->model()->index(findRow(list->model(), MemberListModel::UserRole, user), 0));
    QTest::keyClick(list, Qt::Key_F10, Qt::ShiftModifier);
    if (!QTest::qWaitFor([&] { return page.memberContextMenu() && page.memberContextMenu()->isVisible(); }, kTimeoutMs))
        return nullptr;
    return page.memberContextMenu();
}

} // namespace Tertulia::Testing
