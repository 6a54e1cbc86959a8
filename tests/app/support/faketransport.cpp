#include "support/faketransport.h"

#include "shared/version.h"

#include <QtCore/QTimer>

namespace Tertulia::Testing {

void FakeTransport::open(const QUrl &url, const QString &bearerToken)
{
    m_url = url;
    m_bearer = bearerToken;
}

bool FakeTransport::send(const Protocol::Request &request)
{
    if (!m_open || m_finished)
        return false;
    // Round-trip through the codec so the test sees exactly what would go on the wire.
    const auto decoded = Protocol::decodeRequest(Protocol::encode(request));
    m_sent.append(std::get<Protocol::Request>(decoded));
    Q_EMIT frameSent(Protocol::encode(request).size());
    return true;
}

void FakeTransport::close(int code, const QString &reason)
{
    m_closedByClient = true;
    m_clientCloseCode = code;
    DisconnectInfo info;
    info.byClient = true;
    info.closeReason = reason;
    QTimer::singleShot(0, this, [this, info] { end(info); });
}

void FakeTransport::abort() { close(0, {}); }

QString FakeTransport::subprotocol() const
{
    return m_open ? QString::fromLatin1(kSubprotocol) : QString();
}

void FakeTransport::accept()
{
    m_open = true;
    Q_EMIT opened();
}

void FakeTransport::refuse(const QString &errorString)
{
    DisconnectInfo info;
    info.errorString = errorString;
    end(info);
}

void FakeTransport::drop(int closeCode, const QString &reason)
{
    DisconnectInfo info;
    info.closeCode = closeCode;
    info.closeReason = reason;
    if (closeCode == 0)
        info.errorString = QStringLiteral("The remote host closed the connection");
    end(info);
}

void FakeTransport::end(const DisconnectInfo &info)
{
    if (m_finished)
        return;
    m_finished = true;
    m_open = false;
    Q_EMIT closed(info);
}

void FakeTransport::inject(const Protocol::Event &event)
{
    Q_EMIT frameReceived(Protocol::encode(event).size());
    Q_EMIT eventReceived(event);
}

void FakeTransport::reply(const Protocol::Reply &reply)
{
    Q_EMIT frameReceived(Protocol::encode(reply).size());
    Q_EMIT replyReceived(reply);
}

QList<Protocol::Request> FakeTransport::sent(Protocol::RequestType type) const
{
    QList<Protocol::Request> result;
    for (const auto &request : m_sent) {
        if (request.type == type)
            result.append(request);
    }
    return result;
}

std::optional<Protocol::Request> FakeTransport::lastSent(Protocol::RequestType type) const
{
    const auto all = sent(type);
    if (all.isEmpty())
        return std::nullopt;
    return all.last();
}

QString FakeTransport::replyOk(Protocol::RequestType type, const QJsonObject &data)
{
    const auto request = lastSent(type);
    if (!request)
        return {};
    reply(Protocol::Reply::ok(request->id, data));
    return request->id;
}

QString FakeTransport::replyError(Protocol::RequestType type, Protocol::ErrorCode code, const QString &message)
{
    const auto request = lastSent(type);
    if (!request)
        return {};
    reply(Protocol::Reply::failure(request->id, code, message));
    return request->id;
}

TransportFactory FakeNetwork::factory()
{
    return [this]() -> std::unique_ptr<Transport> {
        auto transport = std::make_unique<FakeTransport>();
        m_created.append(transport.get());
        return transport;
    };
}

FakeTransport *FakeNetwork::last() const { return m_created.isEmpty() ? nullptr : m_created.last().data(); }

} // namespace Tertulia::Testing
