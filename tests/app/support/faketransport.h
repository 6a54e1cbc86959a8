#pragma once

#include "app/net/transport.h"

#include <QtCore/QList>
#include <QtCore/QPointer>

namespace Tertulia::Testing {

/// A Transport the test plays the server for: it records what the client sends and lets the test
/// open, answer, push events and drop the connection. Like the real one, closed() always arrives
/// from the event loop, never inside close() or abort().
class FakeTransport final : public Transport
{
    Q_OBJECT

public:
    using Transport::Transport;

    void open(const QUrl &url, const QString &bearerToken) override;
    bool send(const Protocol::Request &request) override;
    void close(int code, const QString &reason) override;
    void abort() override;
    void ping() override { ++m_pings; }
    TlsInfo tlsInfo() const override { return m_tls; }
    QString subprotocol() const override;

    // ---- the test's side ----
    void accept();                                      ///< the handshake succeeds
    void refuse(const QString &errorString);            ///< the connection fails before opening
    void drop(int closeCode, const QString &reason = {});///< the server closes (0 = connection broke)
    void end(const DisconnectInfo &info);               ///< ends with exactly this info
    void inject(const Protocol::Event &event);
    void reply(const Protocol::Reply &reply);
    /// Replies ok to the last sent request of this type; returns its id (empty when none).
    QString replyOk(Protocol::RequestType type, const QJsonObject &data = {});
    QString replyError(Protocol::RequestType type, Protocol::ErrorCode code, const QString &message = {});
    void pong(double rttMs) { Q_EMIT pongReceived(rttMs); }

    /// Requests sent so far (all, or only of one type).
    QList<Protocol::Request> sent() const { return m_sent; }
    QList<Protocol::Request> sent(Protocol::RequestType type) const;
    std::optional<Protocol::Request> lastSent(Protocol::RequestType type) const;
    void clearSent() { m_sent.clear(); }

    QUrl url() const { return m_url; }
    QString bearerToken() const { return m_bearer; }
    bool isOpen() const { return m_open; }
    bool isFinished() const { return m_finished; }
    int pings() const { return m_pings; }
    bool closedByClient() const { return m_closedByClient; }
    int clientCloseCode() const { return m_clientCloseCode; }
    void setTlsInfo(const TlsInfo &tls) { m_tls = tls; }

private:

    QUrl m_url;
    QString m_bearer;
    QList<Protocol::Request> m_sent;
    TlsInfo m_tls;
    bool m_open = false;
    bool m_finished = false;
    bool m_closedByClient = false;
    int m_clientCloseCode = 0;
    int m_pings = 0;
};

/// The factory a Session is given in tests: it hands out FakeTransports and remembers them.
class FakeNetwork
{
public:
    TransportFactory factory();
    /// The transport of the latest attempt (null before the first).
    FakeTransport *last() const;
    int attempts() const { return int(m_created.size()); }

private:
    QList<QPointer<FakeTransport>> m_created;
};

} // namespace Tertulia::Testing
