#include "chaos/chaosclient.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDebug>
#include <QtNetwork/QNetworkRequest>
#include <QtWebSockets/QWebSocketHandshakeOptions>

using namespace Qt::StringLiterals;

namespace Tertulia::Chaos {

using namespace Protocol;

namespace {
/// Longer than any server deadline the suites use, shorter than a test's patience: a connection that has
/// not been answered by then is given up and replaced.
constexpr int kWatchdogMs = 8000;
constexpr int kRateLimitPauseMs = 300;
} // namespace

ChaosClient::ChaosClient(Options options, UrlSource url, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_url(std::move(url)), m_random(m_options.seed)
{
    for (const QString &room : std::as_const(m_options.rooms))
        m_views.insert(room, {});
    m_clock.start();
    m_reconnectTimer.setSingleShot(true);
    m_watchdog.setSingleShot(true);
    m_watchdog.setInterval(kWatchdogMs);
    m_sendPause.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &ChaosClient::connectNow);
    connect(&m_watchdog, &QTimer::timeout, this, [this] { m_socket.abort(); });
    connect(&m_sendPause, &QTimer::timeout, this, &ChaosClient::pumpSends);
    connect(&m_socket, &QWebSocket::connected, this, &ChaosClient::onConnected);
    connect(&m_socket, &QWebSocket::stateChanged, this, &ChaosClient::onStateChanged);
    // open() with a URL it cannot use (the server is between runs) reports an error without a state change.
    // Qt 6.5 renamed the signal (errorOccurred) and deprecates `error`; 6.4 has only `error`.
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    const auto errorSignal = &QWebSocket::errorOccurred;
#else
    const auto errorSignal = qOverload<QAbstractSocket::SocketError>(&QWebSocket::error);
#endif
    connect(&m_socket, errorSignal, this, [this] {
        if (m_socket.state() == QAbstractSocket::UnconnectedState)
            onDropped();
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &ChaosClient::onText);
}

ChaosClient::~ChaosClient()
{
    m_state = State::Stopped;
    m_socket.abort();
}

void ChaosClient::start()
{
    if (m_state != State::Stopped)
        return;
    m_state = State::Connecting;
    connectNow();
}

void ChaosClient::stop()
{
    m_state = State::Stopped;
    m_reconnectTimer.stop();
    m_watchdog.stop();
    m_socket.abort();
}

QString ChaosClient::enqueue(const QString &room, const QString &text)
{
    const QString id = u"%1-%2"_s.arg(m_options.idPrefix.isEmpty() ? m_options.user : m_options.idPrefix).arg(++m_nextMessage);
    m_pending.insert(id, Pending{room, text, 0});
    m_queue.push_back(id);
    pumpSends();
    return id;
}

quint16 ChaosClient::localPort() const
{
    return m_socket.state() == QAbstractSocket::ConnectedState ? m_socket.localPort() : 0;
}

qint64 ChaosClient::maxHeld(const QString &room) const
{
    const RoomView view = m_views.value(room);
    return view.isEmpty() ? 0 : view.lastKey();
}

qint64 ChaosClient::contiguousHeld(const QString &room) const
{
    const RoomView view = m_views.value(room);
    qint64 held = 0;
    for (auto it = view.cbegin(); it != view.cend() && it.key() == held + 1; ++it)
        held = it.key();
    return held;
}

void ChaosClient::connectNow()
{
    if (m_state == State::Stopped)
        return;
    ++m_generation;
    m_state = State::Connecting;
    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols({u"tertulia.v1"_s});
    m_watchdog.start();
    m_socket.open(QNetworkRequest(m_url()), handshake);
}

void ChaosClient::onConnected()
{
    if (m_state == State::Stopped)
        return;
    m_state = State::Authenticating;
    m_authId = nextId(u'a');
    post(Request::auth(m_authId, m_options.accessToken));
}

void ChaosClient::onStateChanged(QAbstractSocket::SocketState socketState)
{
    if (socketState == QAbstractSocket::UnconnectedState)
        onDropped();
}

void ChaosClient::onDropped()
{
    if (m_reconnectTimer.isActive())
        return;
    m_watchdog.stop();
    // Everything on the wire goes back to the front of the queue, in its order, to be sent again with
    // the same client message id: the server may or may not have stored it.
    QList<QString> unanswered;
    for (auto it = m_inFlight.cbegin(); it != m_inFlight.cend(); ++it)
        unanswered.append(it.value());
    m_inFlight.clear();
    m_sentAt.clear();
    std::sort(unanswered.begin(), unanswered.end(), [](const QString &a, const QString &b) {
        return a.section(u'-', -1).toInt() < b.section(u'-', -1).toInt();
    });
    for (auto it = unanswered.crbegin(); it != unanswered.crend(); ++it)
        m_queue.push_front(*it);
    m_historyIds.clear();
    m_setupIds.clear();
    m_syncedRooms.clear();
    m_authId.clear();
    m_resumeId.clear();
    if (m_state == State::Stopped)
        return;
    ++m_counters.drops;
    m_state = State::Connecting;
    m_reconnectTimer.start(m_options.reconnectMinMs
                           + int(m_random.bounded(quint32(std::max(1, m_options.reconnectMaxMs - m_options.reconnectMinMs)))));
    Q_EMIT progressed();
}

void ChaosClient::onText(const QString &text)
{
    auto decoded = decodeServerFrame(text.toUtf8());
    if (auto *reply = std::get_if<Reply>(&decoded)) {
        onReply(*reply);
    } else if (auto *event = std::get_if<Event>(&decoded)) {
        if (event->type == EventType::Message) {
            auto parsed = ChatMessage::fromJson(event->data);
            if (auto *message = std::get_if<ChatMessage>(&parsed))
                onMessage(*message);
            else
                anomaly(u"undecodable message event: "_s + text.left(200));
        }
    } else if (std::get<DecodeFailure>(decoded).error.code != ErrorCode::UnknownType) {
        anomaly(u"undecodable frame: "_s + text.left(200));
    }
    Q_EMIT progressed();
}

void ChaosClient::onReply(const Reply &reply)
{
    if (reply.id == m_authId && !m_authId.isEmpty()) {
        m_authId.clear();
        if (!reply.isOk()) {
            // Not an anomaly by itself (a rate limit on new sessions is documented): try again later.
            qInfo().noquote() << m_options.user << "auth refused:" << describe(*reply.error);
            m_socket.abort();
            return;
        }
        m_watchdog.stop();
        ++m_counters.connections;
        m_state = State::Syncing;
        if (m_options.ensureRooms) {
            // Requests are served in order: the resume below already finds the user a member. Whether each
            // room was new (ok), there already (conflict) or joined before does not matter.
            for (const QString &room : std::as_const(m_options.rooms)) {
                const QString create = nextId(u'c'), join = nextId(u'j');
                m_setupIds << create << join;
                post(Request::createRoom(create, CreateRoomParams{room, false}));
                post(Request::join(join, room));
            }
        }
        ResumeParams resume;
        for (const QString &room : std::as_const(m_options.rooms))
            resume.rooms.insert(room, contiguousHeld(room));
        m_resumeId = nextId(u'r');
        post(Request::resume(m_resumeId, resume));
        // Sends go out at once, interleaved with the sync, as a hurried app would.
        pumpSends();
        return;
    }
    if (m_setupIds.remove(reply.id))
        return;
    if (reply.id == m_resumeId && !m_resumeId.isEmpty()) {
        m_resumeId.clear();
        onResumeReply(reply);
        return;
    }
    if (const auto history = m_historyIds.constFind(reply.id); history != m_historyIds.cend()) {
        const QString room = *history;
        m_historyIds.erase(history);
        onHistoryReply(room, reply);
        return;
    }
    if (const auto send = m_inFlight.constFind(reply.id); send != m_inFlight.cend()) {
        const QString clientMsgId = *send;
        m_inFlight.erase(send);
        if (reply.isOk())
            m_ackLatencies.append(m_clock.elapsed() - m_sentAt.value(reply.id));
        m_sentAt.remove(reply.id);
        onSendReply(clientMsgId, reply);
        return;
    }
    anomaly(u"a reply nobody asked for: "_s + QString::fromUtf8(encode(reply)).left(200));
}

void ChaosClient::onSendReply(const QString &clientMsgId, const Reply &reply)
{
    const auto pending = m_pending.constFind(clientMsgId);
    if (pending == m_pending.cend()) {
        anomaly(u"a second answer for %1"_s.arg(clientMsgId));
        return;
    }
    if (!reply.isOk()) {
        const Error &error = *reply.error;
        m_sendErrors.append(error);
        if (error.code == ErrorCode::Internal || error.code == ErrorCode::Unavailable) {
            ++m_counters.internalErrors;
            m_queue.push_front(clientMsgId);
            pauseSends(m_options.retryPauseMs);
        } else if (error.code == ErrorCode::RateLimited) {
            ++m_counters.rateLimited;
            m_queue.push_front(clientMsgId);
            pauseSends(kRateLimitPauseMs);
        } else {
            m_refused.insert(clientMsgId, error);
            m_pending.remove(clientMsgId);
            anomaly(u"send %1 refused: %2"_s.arg(clientMsgId, describe(error)));
        }
        pumpSends();
        return;
    }
    auto parsed = SendResult::fromJson(reply.data);
    const auto *result = std::get_if<SendResult>(&parsed);
    if (!result) {
        anomaly(u"undecodable send result for %1"_s.arg(clientMsgId));
        return;
    }
    if (result->duplicate)
        ++m_counters.duplicates;
    m_acked.insert(clientMsgId, Ack{result->room, result->seq, pending->text});
    m_pending.erase(pending);
    pumpSends();
}

void ChaosClient::onResumeReply(const Reply &reply)
{
    if (!reply.isOk()) {
        anomaly(u"resume refused: "_s + describe(*reply.error));
        m_socket.abort();
        return;
    }
    auto parsed = ResumeResult::fromJson(reply.data);
    const auto *result = std::get_if<ResumeResult>(&parsed);
    if (!result) {
        anomaly(u"undecodable resume result"_s);
        return;
    }
    for (const QString &room : std::as_const(m_options.rooms)) {
        const ResumeRoomState state = result->rooms.value(room);
        if (!state.error.isEmpty()) {
            anomaly(u"resume of %1: %2"_s.arg(room, state.error));
            continue;
        }
        if (state.recovered)
            roomSynced(room);
        else
            requestGapPage(room, state.replayedTo);
    }
}

void ChaosClient::requestGapPage(const QString &room, qint64 after)
{
    const QString id = nextId(u'h');
    m_historyIds.insert(id, room);
    post(Request::history(id, HistoryParams{room, std::nullopt, after, kMaxHistoryPage}));
}

void ChaosClient::onHistoryReply(const QString &room, const Reply &reply)
{
    if (!reply.isOk()) {
        anomaly(u"history of %1 refused: %2"_s.arg(room, describe(*reply.error)));
        return;
    }
    auto parsed = HistoryPage::fromJson(reply.data);
    const auto *page = std::get_if<HistoryPage>(&parsed);
    if (!page) {
        anomaly(u"undecodable history page"_s);
        return;
    }
    ++m_counters.historyPages;
    for (const ChatMessage &message : page->messages)
        onMessage(message);
    if (page->hasMore && !page->messages.isEmpty())
        requestGapPage(room, page->messages.last().seq);
    else
        roomSynced(room);
}

void ChaosClient::roomSynced(const QString &room)
{
    m_syncedRooms.insert(room);
    if (m_state == State::Syncing && m_syncedRooms.size() == m_options.rooms.size())
        m_state = State::Synced;
}

void ChaosClient::onMessage(const ChatMessage &message)
{
    const auto view = m_views.find(message.room);
    if (view == m_views.end()) {
        anomaly(u"a message of a room it is not in: "_s + describe(message));
        return;
    }
    const auto held = view->constFind(message.seq);
    if (held != view->cend()) {
        // Replays may repeat what arrived live; they must be the same message.
        if (*held != message)
            anomaly(u"two different messages at %1#%2: %3 / %4"_s.arg(message.room).arg(message.seq)
                        .arg(describe(*held), describe(message)));
        return;
    }
    if (m_syncedRooms.contains(message.room)) {
        ++m_counters.live;
        // Once synced, a connection delivers a room's messages in seq order without holes.
        const qint64 last = view->isEmpty() ? 0 : view->lastKey();
        if (message.seq != last + 1)
            anomaly(u"live %1#%2 after #%3"_s.arg(message.room).arg(message.seq).arg(last));
    } else {
        ++m_counters.replayed;
    }
    view->insert(message.seq, message);
}

void ChaosClient::pumpSends()
{
    if (m_state != State::Syncing && m_state != State::Synced)
        return;
    if (m_sendPause.isActive() || m_socket.state() != QAbstractSocket::ConnectedState)
        return;
    while (m_inFlight.size() < m_options.window && !m_queue.empty()) {
        const QString clientMsgId = m_queue.front();
        m_queue.pop_front();
        const auto pending = m_pending.find(clientMsgId);
        if (pending == m_pending.end())
            continue;
        if (pending->attempts++ > 0)
            ++m_counters.resends;
        const QString id = nextId(u's');
        m_inFlight.insert(id, clientMsgId);
        m_sentAt.insert(id, m_clock.elapsed());
        post(Request::send(id, SendParams{pending->room, pending->text, clientMsgId}));
    }
}

void ChaosClient::pauseSends(int ms)
{
    if (!m_sendPause.isActive())
        m_sendPause.start(ms);
}

void ChaosClient::post(const Request &request)
{
    m_socket.sendTextMessage(QString::fromUtf8(encode(request)));
}

void ChaosClient::anomaly(const QString &what)
{
    if (m_anomalies.size() < 50)
        m_anomalies.append(m_options.user + u": "_s + what);
}

QByteArray viewDigest(const QList<ChatMessage> &messages)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const ChatMessage &m : messages) {
        hash.addData(QByteArray::number(m.seq) + '\t' + m.sender.toUtf8() + '\t' + m.clientMsgId.toUtf8() + '\t'
                     + QByteArray::number(m.timestamp) + '\t');
        hash.addData(m.text.toUtf8());
        hash.addData("\n");
    }
    return hash.result().toHex();
}

QByteArray viewDigest(const RoomView &view) { return viewDigest(view.values()); }

} // namespace Tertulia::Chaos
