#include "server/cluster/pgnotifybus.h"

#include "server/logging.h"

#include <QtCore/QDateTime>
#include <QtCore/QUuid>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcCluster, "tertulia.server.cluster", QtInfoMsg)

namespace Tertulia {

namespace {
const QString kHeartbeatChannel = u"tertulia_hb"_s;
} // namespace

PgNotifyBus::PgNotifyBus(const QString &nodeId, const Options &options, Store &store, QObject *parent)
    : EventBus(nodeId, parent), m_options(options), m_store(store)
{
    m_heartbeat.setInterval(m_options.heartbeatMs);
    m_clock.start();
    connect(&m_heartbeat, &QTimer::timeout, this, &PgNotifyBus::heartbeat);
}

PgNotifyBus::~PgNotifyBus() { closeListener(); }

bool PgNotifyBus::start(QString *errorMessage)
{
    m_cursor = m_store.lastPosition();
    if (!openListener(errorMessage))
        return false;
    m_heartbeat.start();
    qCInfo(lcCluster).noquote() << "node" << nodeId() << "listening on" << m_options.address.displayUrl() << "from position"
                                << m_cursor;
    return true;
}

bool PgNotifyBus::isListening() const
{
    return !m_connectionName.isEmpty() && QSqlDatabase::database(m_connectionName, false).isOpen();
}

bool PgNotifyBus::openListener(QString *errorMessage)
{
    m_connectionName = u"tertulia-listen-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, m_connectionName);
    const PostgresAddress &a = m_options.address;
    db.setHostName(a.host);
    db.setPort(a.port);
    db.setDatabaseName(a.database);
    db.setUserName(a.user);
    db.setPassword(a.password);
    db.setConnectOptions(a.options);
    if (!db.open()) {
        *errorMessage = QStringLiteral("cannot listen on %1: %2").arg(a.displayUrl(), db.lastError().text());
        return false;
    }
    QSqlDriver *driver = db.driver();
    if (!driver->subscribeToNotification(QString::fromLatin1(PostgresStore::kNotifyChannel))
        || !driver->subscribeToNotification(kHeartbeatChannel)) {
        *errorMessage = QStringLiteral("cannot LISTEN on %1: %2").arg(a.displayUrl(), driver->lastError().text());
        return false;
    }
    connect(driver, &QSqlDriver::notification, this, &PgNotifyBus::onNotification);
    m_beat = 0;
    return true;
}

void PgNotifyBus::closeListener()
{
    if (m_connectionName.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isValid()) {
            if (QSqlDriver *driver = db.driver())
                disconnect(driver, nullptr, this, nullptr);
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
}

void PgNotifyBus::publish(BusEvent event)
{
    event.originNode = nodeId();
    if (event.kind == BusEvent::Kind::Message && event.position > 0) {
        // Messages are handed on in global position order, this node's own too: a batch another node
        // committed before ours (lower positions) may not be read yet, and delivering ours first would make
        // it look like a repeat (RoomRegistry drops seqs at or below the last one).
        if (event.position <= m_cursor)
            return; // read from the log already
        if (event.position > m_cursor + 1) {
            readCommitted(); // everything up to the latest, this message included
            return;
        }
        m_cursor = event.position;
    }
    Q_EMIT received(event);
    // Messages are announced by the store with their commit; everything else goes out on the store's
    // connection too, in the same order as this node's commits.
    if (event.kind != BusEvent::Kind::Message)
        m_store.notify("f|" + nodeId().toUtf8() + '|' + event.toJson());
}

void PgNotifyBus::onNotification(const QString &name, QSqlDriver::NotificationSource source, const QVariant &payload)
{
    Q_UNUSED(source); // the store's connection is another backend: our own notices come as OtherSource too
    const QByteArray text = payload.toString().toUtf8();
    if (name == kHeartbeatChannel) {
        // "<node>|<beat>"
        const qsizetype bar = text.lastIndexOf('|');
        const QString origin = QString::fromUtf8(text.first(std::max<qsizetype>(bar, 0)));
        if (origin != nodeId()) {
            if (!origin.isEmpty())
                heardFrom(origin);
        } else if (m_beat != 0 && text.sliced(bar + 1) == QByteArray::number(m_beat)) {
            m_stats.lastHeartbeatMs = m_sinceBeat.elapsed();
            m_beat = 0;
        }
        return;
    }
    // "m|<node>|<first>|<last>" or "f|<node>|<json>"
    const qsizetype bar1 = text.indexOf('|'), bar2 = text.indexOf('|', bar1 + 1);
    if (bar1 != 1 || bar2 < 0) {
        qCWarning(lcCluster) << "ignoring a notice that is not ours:" << text.left(80);
        return;
    }
    const QString origin = QString::fromUtf8(text.sliced(bar1 + 1, bar2 - bar1 - 1));
    if (origin != nodeId())
        heardFrom(origin);
    if (text.front() == 'm') {
        const QList<QByteArray> range = text.sliced(bar2 + 1).split('|');
        // This node's own batches were handed on when they committed (publish() advanced the cursor): only a
        // notice beyond the cursor needs a read.
        if (range.value(1).toLongLong() > m_cursor)
            readCommitted();
        return;
    }
    if (text.front() != 'f' || origin == nodeId())
        return; // our own facts were applied when published
    auto event = BusEvent::fromJson(text.sliced(bar2 + 1));
    if (!event) {
        qCWarning(lcCluster).noquote() << "ignoring a fact from" << origin << "that does not parse";
        return;
    }
    event->originNode = origin;
    ++m_stats.remoteFacts;
    Q_EMIT received(*event);
}

void PgNotifyBus::readCommitted()
{
    // In position order, one read at a time: a later notice never overtakes an earlier one. The read runs off
    // the event loop (Store::readMessagesAfter); a notice that comes meanwhile reads again after it.
    m_readPending = false;
    if (m_reading) {
        m_readAgain = true;
        return;
    }
    m_reading = true;
    m_readAgain = false;
    m_store.readMessagesAfter(m_cursor, m_options.catchUpBatch, this,
                              [this](const std::optional<QList<PositionedMessage>> &read) { onCommittedRead(read); });
}

void PgNotifyBus::onCommittedRead(const std::optional<QList<PositionedMessage>> &read)
{
    m_reading = false;
    if (!read) {
        m_readPending = true; // the store is unreachable: the next heartbeat tries again
        resyncAfterCatchUp();
        return;
    }
    const QList<PositionedMessage> &batch = *read;
    for (const PositionedMessage &stored : batch) {
        // publish() may have handed on this node's next message while the read ran.
        if (stored.position <= m_cursor)
            continue;
        m_cursor = stored.position;
        ++m_stats.messagesRead;
        if (m_observeAge)
            m_observeAge(QDateTime::currentMSecsSinceEpoch() - stored.message.timestamp);
        BusEvent event = BusEvent::messageStored(stored.room, stored.message, stored.position);
        event.originNode = u"store"_s;
        Q_EMIT received(event);
    }
    if (batch.size() >= m_options.catchUpBatch || m_readAgain)
        readCommitted();
    else
        resyncAfterCatchUp();
}

void PgNotifyBus::resyncAfterCatchUp()
{
    // After the messages: a room created during the outage must not be learnt with a last seq its caught-up
    // messages would then look like repeats of.
    if (std::exchange(m_resyncAfterRead, false))
        Q_EMIT resyncNeeded();
}

void PgNotifyBus::heartbeat()
{
    if (m_readPending)
        readCommitted();
    if (m_connectionName.isEmpty()) {
        reconnect();
        return;
    }
    if (m_beat != 0) {
        if (m_sinceBeat.elapsed() < m_options.heartbeatTimeoutMs)
            return;
        qCWarning(lcCluster) << "no heartbeat echo for" << m_sinceBeat.elapsed() << "ms: the LISTEN connection is dead";
        reconnect();
        return;
    }
    judgePeers(); // our last heartbeat came back: we can hear, so silence from a peer means something
    m_beat = ++m_beatsSent;
    m_sinceBeat.start();
    QSqlQuery notify(QSqlDatabase::database(m_connectionName, false));
    if (!notify.exec(QStringLiteral("NOTIFY %1, '%2|%3'").arg(kHeartbeatChannel, nodeId()).arg(m_beat))) {
        qCWarning(lcCluster) << "heartbeat failed:" << notify.lastError().text();
        reconnect();
    }
}

void PgNotifyBus::reconnect()
{
    closeListener();
    QString error;
    if (!openListener(&error)) {
        qCWarning(lcCluster).noquote() << error << "(retrying)";
        closeListener();
        return; // the next heartbeat tries again
    }
    ++m_stats.reconnects;
    ++m_stats.catchUps;
    // We heard nobody during the outage: that says nothing about the others.
    for (qint64 &seen : m_peerSeenMs)
        seen = m_clock.elapsed();
    qCInfo(lcCluster) << "listening again; catching up from position" << m_cursor;
    m_resyncAfterRead = true;
    readCommitted();
}

void PgNotifyBus::heardFrom(const QString &node)
{
    const auto it = m_peerSeenMs.find(node);
    if (it == m_peerSeenMs.end()) {
        qCInfo(lcCluster).noquote() << "node" << node << "is up";
        m_peerSeenMs.insert(node, m_clock.elapsed());
    } else {
        *it = m_clock.elapsed();
    }
}

void PgNotifyBus::judgePeers()
{
    const qint64 now = m_clock.elapsed();
    for (auto it = m_peerSeenMs.begin(); it != m_peerSeenMs.end();) {
        if (now - *it <= m_options.peerLeaseMs) {
            ++it;
            continue;
        }
        const QString node = it.key();
        qCWarning(lcCluster).noquote() << "node" << node << "not heard for" << now - *it << "ms: it is gone";
        it = m_peerSeenMs.erase(it);
        ++m_stats.nodesLost;
        Q_EMIT nodeLost(node);
    }
}

} // namespace Tertulia
