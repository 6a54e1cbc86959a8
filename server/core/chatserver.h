#pragma once

#include "server/core/serverconfig.h"
#include "server/http/httprequest.h"
#include "server/http/httpresponse.h"
#include "shared/protocol/payloads.h"

#include <QtCore/QObject>
#include <QtCore/QUrl>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <variant>

class QTcpSocket;

namespace Tertulia {

class AdmissionTicket;
class MonotonicClock;
class Session;
class SessionTransport;

/// The chat server: HTTP account API, native WebSocket protocol on /ws, one port. The same object runs
/// embedded in the desktop app (usually through ServerHost, on its own thread) and in tertulia-server.
/// Everything it owns lives on the thread that calls start().
///
///     ChatServer server(config);
///     if (!server.start()) qWarning() << server.errorString();
///     qDebug() << server.url();          // ws://127.0.0.1:54321/ws
class ChatServer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatServer)

public:
    explicit ChatServer(const ServerConfig &config, QObject *parent = nullptr);
    ~ChatServer() override;

    /// Opens the data directory and the database, then listens. False with errorString() on failure.
    bool start();
    /// Closes every session (1001 going away), stops listening, commits what is queued, closes the store.
    void stop();
    bool isRunning() const;
    /// The start of a graceful stop: /healthz answers 503 "draining" and every new connection is refused
    /// with 503, while open sessions go on; stop() follows after the config's drain time (main.cpp).
    void drain();
    bool isDraining() const;

    quint16 port() const;
    /// The WebSocket URL of the native protocol (ws:// or wss://, path /ws). 0.0.0.0 becomes 127.0.0.1.
    QUrl url() const;
    /// The base URL of the HTTP API (http:// or https://).
    QUrl httpUrl() const;
    QString errorString() const { return m_error; }
    const ServerConfig &config() const { return m_config; }

    int onlineUsers() const;
    int openSessions() const;

    /// How long a user whose last connection dropped without a closing handshake still counts as present for
    /// the others, waiting for a reconnect (5 s by default; 0: announced at once, like a clean close).
    void setPresenceGrace(std::chrono::milliseconds grace);

    /// Signs `user` in without a password (the embedding host's own account), creating it as an
    /// administrator with an unusable password if it does not exist.
    std::variant<Protocol::TokenPair, Protocol::Error> hostLogin(const QString &user);

    /// Creates the account `user` as an administrator with `password` (tertulia-server --create-admin: the
    /// first administrator of a standalone server). `done` runs later, on `context`'s thread, with nothing or
    /// the error: invalid_name, bad_request (the password's length), conflict (the name is taken: an existing
    /// account is never promoted, so nobody who registered the name first becomes an administrator).
    void createAdministrator(const QString &user, const QString &password, QObject *context,
                             std::function<void(const std::optional<Protocol::Error> &)> done);

    /// The clock of rate limits, deadlines, login throttling and the presence grace. Tests skip ahead on it
    /// (MonotonicClock::skip) rather than wait through a delay; the grace's timer hears the skip.
    MonotonicClock &clock();

Q_SIGNALS:
    void onlineUsersChanged(int users);
    /// The housekeeping pass ran (about once a second while running, on the server's thread): the event loop
    /// turns and the sessions are looked after. tertulia-server drives the systemd watchdog with it.
    void housekeepingPassed();

private:
    struct Private;
    void onAccepted(QTcpSocket *socket);
    /// Creates and wires the Session of a new connection, whatever its transport (native or Socket.IO).
    Session *openSession(SessionTransport *transport);
    /// openSession() for the native protocol: a bearer token from the upgrade request signs in at once.
    void openNativeSession(SessionTransport *transport, const QString &bearerToken);
    /// The /ws upgrade on the portable path: our handshake, then a WebSocket::Connection on the socket (plain or
    /// TLS). A refusal is answered as HTTP by the caller.
    std::optional<Http::Response> upgradePortable(QTcpSocket *socket, const Http::Request &request);
    /// The /ws upgrade on the fast path (server/fastpath): our handshake, then the connection leaves the
    /// QTcpSocket for a FastTransport. A refusal is answered as HTTP by the caller.
    std::optional<Http::Response> upgradeFast(QTcpSocket *socket, const Http::Request &request);
    /// The Listener's fast lane: an upgrade to /ws whose head is in the kernel's buffer (peeked, `bytes`),
    /// taken straight from the descriptor (with its admission ticket) when it will succeed; false leaves it
    /// to the usual way.
    bool takeOnFastLane(int descriptor, const QString &peer, QByteArrayView bytes,
                        std::unique_ptr<AdmissionTicket> &ticket);
    /// A fast-path session on an upgraded descriptor: the 101 (`handshake`) goes first, then `alreadyRead`
    /// (frames that came with the request) is decoded. The transport keeps the admission ticket.
    void openFastSession(int descriptor, const Http::Request &request, const QByteArray &handshake,
                         QByteArray alreadyRead, std::unique_ptr<AdmissionTicket> ticket);

    ServerConfig m_config;
    QString m_error;
    std::unique_ptr<Private> d;
};

} // namespace Tertulia
