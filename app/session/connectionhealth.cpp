#include "app/session/connectionhealth.h"

#include "app/net/clock.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace Tertulia {

ConnectionHealth::ConnectionHealth(Clock &clock, QObject *parent) : QObject(parent), m_clock(clock) { }

void ConnectionHealth::setHistoryWindow(std::chrono::milliseconds window)
{
    m_window = window;
    prune();
    Q_EMIT changed();
}

void ConnectionHealth::prune()
{
    const qint64 oldest = m_clock.elapsedMs() - m_window.count();
    while (!m_samples.isEmpty() && m_samples.first().atMs < oldest)
        m_samples.removeFirst();
}

void ConnectionHealth::recordRtt(double rttMs)
{
    m_samples.append({m_clock.elapsedMs(), m_clock.currentDateTime(), rttMs});
    prune();
    Q_EMIT rttMeasured(rttMs);
    Q_EMIT changed();
}

void ConnectionHealth::recordIncoming(qint64 bytes)
{
    ++m_framesIn;
    m_bytesIn += quint64(bytes);
    Q_EMIT changed();
}

void ConnectionHealth::recordOutgoing(qint64 bytes)
{
    ++m_framesOut;
    m_bytesOut += quint64(bytes);
    Q_EMIT changed();
}

void ConnectionHealth::recordConnected()
{
    ++m_connections;
    Q_EMIT changed();
}

void ConnectionHealth::recordMessageReceived()
{
    ++m_messagesReceived;
    Q_EMIT changed();
}

void ConnectionHealth::recordMessageSent()
{
    ++m_messagesSent;
    Q_EMIT changed();
}

void ConnectionHealth::reset()
{
    m_samples.clear();
    m_connections = 0;
    m_lastDisconnect.reset();
    m_lastDisconnectAt = {};
    m_framesIn = m_framesOut = m_bytesIn = m_bytesOut = 0;
    m_messagesReceived = m_messagesSent = 0;
    m_lastResume.reset();
    m_server = {};
    m_tls = {};
    // The outbox length is the outbox's to say: it is set again when the next account's is attached.
    Q_EMIT changed();
}

void ConnectionHealth::recordDisconnect(const DisconnectInfo &info)
{
    m_lastDisconnect = info;
    m_lastDisconnectAt = m_clock.currentDateTime();
    m_tls = {};
    Q_EMIT changed();
}

void ConnectionHealth::setOutboxLength(int length)
{
    if (m_outboxLength == length)
        return;
    m_outboxLength = length;
    Q_EMIT changed();
}

void ConnectionHealth::recordResume(const ResumeSummary &summary)
{
    m_lastResume = summary;
    Q_EMIT changed();
}

void ConnectionHealth::setServerInfo(const Protocol::ServerInfo &server)
{
    m_server = server;
    Q_EMIT changed();
}

void ConnectionHealth::setTls(const TlsInfo &tls)
{
    m_tls = tls;
    Q_EMIT changed();
}

std::optional<double> ConnectionHealth::currentRtt() const
{
    const auto history = rttHistory();
    if (history.isEmpty())
        return std::nullopt;
    return history.last().rttMs;
}

QList<ConnectionHealth::RttSample> ConnectionHealth::rttHistory() const
{
    // Pruned on read as well: the window moves even when no new sample arrives.
    const qint64 oldest = m_clock.elapsedMs() - m_window.count();
    QList<RttSample> result;
    for (const RttSample &sample : m_samples) {
        if (sample.atMs >= oldest)
            result.append(sample);
    }
    return result;
}

std::optional<double> ConnectionHealth::meanRtt() const
{
    const auto history = rttHistory();
    if (history.isEmpty())
        return std::nullopt;
    double sum = 0;
    for (const RttSample &sample : history)
        sum += sample.rttMs;
    return sum / double(history.size());
}

std::optional<double> ConnectionHealth::rttDeviation() const
{
    const auto history = rttHistory();
    const auto mean = meanRtt();
    if (!mean)
        return std::nullopt;
    double squares = 0;
    for (const RttSample &sample : history)
        squares += (sample.rttMs - *mean) * (sample.rttMs - *mean);
    return std::sqrt(squares / double(history.size()));
}

QString ConnectionHealth::diagnostics() const
{
    QStringList lines;
    lines << tr("Tertulia connection diagnostics (%1)").arg(m_clock.currentDateTime().toString(Qt::ISODate));
    lines << tr("server: %1 %2").arg(m_server.name, m_server.version);
    lines << tr("tls: %1").arg(m_tls.isEncrypted() ? m_tls.protocol + u' ' + m_tls.cipher : tr("none"));
    if (m_tls.isEncrypted()) {
        const QString how = m_tls.verification == TlsInfo::Verification::Pinned       ? u"pinned"_s
                            : m_tls.verification == TlsInfo::Verification::CaVerified ? u"ca-verified"_s
                                                                                      : u"system"_s;
        lines << tr("certificate: %1 sha256=%2").arg(how, m_tls.fingerprint.toHex());
    }
    const auto current = currentRtt();
    lines << tr("rtt: current %1 ms, mean %2 ms, deviation %3 ms, samples %4")
                 .arg(current ? QString::number(*current, 'f', 2) : u"-"_s)
                 .arg(meanRtt() ? QString::number(*meanRtt(), 'f', 2) : u"-"_s)
                 .arg(rttDeviation() ? QString::number(*rttDeviation(), 'f', 2) : u"-"_s)
                 .arg(rttHistory().size());
    lines << tr("connections: %1 (reconnects %2)").arg(m_connections).arg(reconnectCount());
    if (m_lastDisconnect)
        lines << tr("last disconnect: %1, code %2, %3").arg(m_lastDisconnectAt.toString(Qt::ISODate))
                     .arg(m_lastDisconnect->closeCode)
                     .arg(m_lastDisconnect->describe());
    lines << tr("messages received/sent: %1/%2").arg(m_messagesReceived).arg(m_messagesSent);
    lines << tr("frames in/out: %1/%2, bytes in/out: %3/%4").arg(m_framesIn).arg(m_framesOut)
                 .arg(m_bytesIn).arg(m_bytesOut);
    lines << tr("outbox: %1").arg(m_outboxLength);
    if (m_lastResume)
        lines << tr("last resume: %1 rooms, %2 with gap, %3 replayed, %4 paged in").arg(m_lastResume->rooms)
                     .arg(m_lastResume->roomsWithGap).arg(m_lastResume->replayed).arg(m_lastResume->pagedIn);
    return lines.join(u'\n');
}

} // namespace Tertulia
