#pragma once

#include "server/core/serverconfig.h"
#include "shared/protocol/payloads.h"

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QThread>
#include <QtCore/QUrl>

#include <functional>
#include <variant>

namespace Tertulia {

class ChatServer;

/// Runs a ChatServer on its own thread for an embedding application (the desktop app's "Host a chat"):
/// the UI thread never waits on the network or the disk. All calls are made from the owner's thread and
/// answered with signals there.
class ServerHost : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerHost)

public:
    explicit ServerHost(QObject *parent = nullptr);
    ~ServerHost() override;

    /// Starts the server; ends with started() or failed().
    void start(const ServerConfig &config);
    /// Closes every connection cleanly and stops the thread; blocks until done (a few milliseconds).
    void stop();
    bool isRunning() const { return m_running; }
    QUrl url() const { return m_url; }
    QUrl httpUrl() const { return m_httpUrl; }
    quint16 port() const { return quint16(m_url.port()); }
    int onlineUsers() const { return m_onlineUsers; }

    /// Signs the host's own user in (see ChatServer::hostLogin); `done` runs on the owner's thread.
    void hostLogin(const QString &user,
                   std::function<void(const std::variant<Protocol::TokenPair, Protocol::Error> &)> done);

Q_SIGNALS:
    void started(const QUrl &url);
    void failed(const QString &error);
    void stopped();
    void onlineUsersChanged(int users);

private:
    QThread m_thread;
    QPointer<ChatServer> m_server;
    bool m_running = false;
    QUrl m_url;
    QUrl m_httpUrl;
    int m_onlineUsers = 0;
};

} // namespace Tertulia
