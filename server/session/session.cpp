#include "server/session/session.h"

#include "server/core/serverconfig.h"
#include "server/logging.h"
#include "server/metrics/metrics.h"
#include "server/session/monotonicclock.h"
#include "shared/names.h"

#include <QtCore/QTimer>
#include <QtNetwork/QNetworkRequest>
#include <QtWebSockets/QWebSocket>

namespace Tertulia {

using namespace Protocol;

Session::Session(quint64 id, QWebSocket *socket, const ServerLimits &limits, Metrics &metrics,
                 const MonotonicClock &clock, QObject *parent)
    : QObject(parent),
      m_id(id),
      m_socket(socket),
      m_limits(limits),
      m_clock(clock),
      m_metrics(metrics),
      m_peer(socket->peerAddress().toString()),
      m_connectedAtMs(clock.nowMs()),
      m_lastActivityMs(m_connectedAtMs),
      m_lastPingMs(m_connectedAtMs),
      m_rate(limits.rateBurst, limits.ratePerSecond, m_connectedAtMs)
{
    m_socket->setParent(this);
    m_socket->setMaxAllowedIncomingFrameSize(quint64(limits.maxFrameBytes));
    m_socket->setMaxAllowedIncomingMessageSize(quint64(limits.maxFrameBytes));
    // One message, one frame: Qt splits larger messages into frames at arbitrary bytes and Qt peers then
    // reject a multibyte character split across two frames (see docs/architecture.md).
    m_socket->setOutgoingFrameSize(quint64(limits.replyByteBudget) * 4);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &Session::onTextMessage);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &Session::onBinaryMessage);
    connect(m_socket, &QWebSocket::pong, this, [this](quint64 elapsed, const QByteArray &) { onPong(elapsed); });
    connect(m_socket, &QWebSocket::disconnected, this, &Session::onDisconnected);
    ++m_metrics.sessionsOpened;
}

Session::~Session() = default;

QString Session::logTag() const
{
    return QStringLiteral("conn=%1 user=%2").arg(m_id).arg(m_user.isEmpty() ? u"-"_qs : m_user);
}

QString Session::bearerToken() const
{
    const QByteArray header = m_socket->request().rawHeader("Authorization");
    if (header.size() > 7 && header.first(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        return QString::fromLatin1(header.sliced(7).trimmed());
    return {};
}

void Session::authenticate(const QString &user, const QString &loginId, qint64 expiresAt)
{
    m_user = user;
    m_userKey = Names::canonical(user);
    m_loginId = loginId;
    m_tokenExpiresAt = expiresAt;
    if (m_state == State::AwaitingAuth)
        m_state = State::Ready;
}

void Session::reply(const Reply &reply) { send(QString::fromUtf8(encode(reply))); }

void Session::sendEvent(const Event &event) { send(QString::fromUtf8(encode(event))); }

void Session::send(const QString &frame)
{
    if (m_state == State::Closing)
        return;
    m_socket->sendTextMessage(frame);
    ++m_metrics.framesOut;
    m_metrics.bytesOut += quint64(frame.size());
    // Slow-consumer policy: a client that does not read must not make the server buffer without bound,
    // and must not slow anyone else down. Close it; it reconnects and resumes from its last seq.
    if (m_socket->bytesToWrite() > m_limits.maxBufferedBytes) {
        ++m_metrics.slowConsumerCloses;
        qCWarning(lcSession).noquote() << logTag() << "slow consumer:" << m_socket->bytesToWrite()
                                       << "bytes unsent; closing";
        m_state = State::Closing;
        m_socket->abort();
    }
}

void Session::deliver(const QString &frame, const QString &excludeUserKey)
{
    if (!excludeUserKey.isEmpty() && excludeUserKey == m_userKey)
        return;
    send(frame);
}

void Session::closeWith(CloseCode code, const QString &reason)
{
    if (m_state == State::Closing)
        return;
    qCInfo(lcSession).noquote() << logTag() << "closing:" << int(code) << reason;
    m_state = State::Closing;
    m_socket->close(QWebSocketProtocol::CloseCode(int(code)), reason);
    // A peer that never answers the close handshake is cut off.
    QTimer::singleShot(5000, this, [this] {
        if (m_socket->state() != QAbstractSocket::UnconnectedState)
            m_socket->abort();
    });
}

void Session::ping(qint64 nowMs)
{
    m_lastPingMs = nowMs;
    m_socket->ping();
}

void Session::onTextMessage(const QString &message)
{
    if (m_state == State::Closing)
        return;
    ++m_metrics.framesIn;
    m_metrics.bytesIn += quint64(message.size());
    m_lastActivityMs = m_clock.nowMs();
    auto decoded = decodeRequest(message.toUtf8());
    if (auto *failure = std::get_if<DecodeFailure>(&decoded)) {
        qCDebug(lcSession).noquote() << logTag() << "malformed frame:" << describe(failure->error);
        reply(Reply::failure(failure->id, failure->error));
        countMalformed();
        return;
    }
    Q_EMIT requestReceived(this, std::get<Request>(decoded));
}

void Session::onBinaryMessage(const QByteArray &)
{
    if (m_state == State::Closing)
        return;
    ++m_metrics.framesIn;
    reply(Reply::failure({}, ErrorCode::BadRequest, u"binary frames are not part of tertulia.v1; send JSON text"_qs));
    countMalformed();
}

void Session::countMalformed()
{
    ++m_metrics.malformedFrames;
    if (++m_malformed > m_limits.maxMalformedFrames)
        closeWith(CloseCode::ProtocolViolation, u"too many malformed frames"_qs);
}

void Session::onPong(quint64 elapsedMs)
{
    m_metrics.pingRtt.observe(double(elapsedMs) / 1000.0);
    m_lastActivityMs = m_clock.nowMs();
}

void Session::onDisconnected()
{
    if (m_closedEmitted)
        return;
    m_closedEmitted = true;
    m_state = State::Closing;
    ++m_metrics.sessionsClosed;
    qCDebug(lcSession).noquote() << logTag() << "disconnected:" << m_socket->closeCode() << m_socket->closeReason();
    // Queued: a disconnect can happen inside send() (abort of a slow consumer) while a caller iterates over
    // sessions; the session stays in its sets, inert (Closing), until the loop is done.
    QMetaObject::invokeMethod(
        this,
        [this] {
            Q_EMIT closed(this);
            deleteLater();
        },
        Qt::QueuedConnection);
}

} // namespace Tertulia
