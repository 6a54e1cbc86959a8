#include "server/core/serverhost.h"

#include "server/core/chatserver.h"
#include "server/eventloop/fasteventdispatcher.h"
#include "server/logging.h"

using namespace Qt::StringLiterals;

namespace Tertulia {

ServerHost::ServerHost(QObject *parent) : QObject(parent)
{
    m_thread.setObjectName(u"tertulia-server"_s);
}

ServerHost::~ServerHost() { stop(); }

void ServerHost::start(const ServerConfig &config)
{
    if (m_server)
        return;
    if (!m_thread.eventDispatcher())
        installFastEventDispatcher(m_thread); // epoll on Linux; Qt's default elsewhere
    m_thread.start();
    // Created here without a parent, then moved: everything it creates in start() lives on the thread.
    auto *server = new ChatServer(config);
    server->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, server, &QObject::deleteLater);
    m_server = server;
    connect(server, &ChatServer::onlineUsersChanged, this, [this](int users) {
        m_onlineUsers = users;
        Q_EMIT onlineUsersChanged(users);
    });
    QMetaObject::invokeMethod(server, [this, server] {
        const bool ok = server->start();
        const QUrl url = server->url(), httpUrl = server->httpUrl();
        const QString error = server->errorString();
        QMetaObject::invokeMethod(this, [this, ok, url, httpUrl, error] {
            if (!ok) {
                stop();
                Q_EMIT failed(error);
                return;
            }
            m_running = true;
            m_url = url;
            m_httpUrl = httpUrl;
            Q_EMIT started(url);
        });
    });
}

void ServerHost::stop()
{
    if (!m_thread.isRunning())
        return;
    if (m_server) {
        ChatServer *server = m_server;
        QMetaObject::invokeMethod(server, [server] { server->stop(); }, Qt::BlockingQueuedConnection);
    }
    m_thread.quit();
    m_thread.wait();
    const bool wasRunning = m_running;
    m_running = false;
    m_onlineUsers = 0;
    if (wasRunning)
        Q_EMIT stopped();
}

void ServerHost::hostLogin(const QString &user,
                           std::function<void(const std::variant<Protocol::TokenPair, Protocol::Error> &)> done)
{
    if (!m_server) {
        done(Protocol::Error{Protocol::ErrorCode::Unavailable, u"not hosting"_s});
        return;
    }
    ChatServer *server = m_server;
    QPointer<ServerHost> self(this);
    QMetaObject::invokeMethod(server, [server, user, self, done = std::move(done)]() mutable {
        auto result = server->hostLogin(user);
        if (self)
            QMetaObject::invokeMethod(self, [result, done = std::move(done)] { done(result); });
    });
}

} // namespace Tertulia
