#include "server/net/connectionadmission.h"

#include "server/core/serverconfig.h"
#include "server/http/httprequest.h"
#include "server/metrics/metrics.h"
#include "server/session/monotonicclock.h"
#include "shared/version.h"

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
/// The child name that marks a ticket among a carrier's children.
const QString kTicketName = QStringLiteral("tertulia-admission-ticket");
/// What a full server or address asks a client to wait: connections end at no predictable time.
constexpr qint64 kCapRetryMs = 5000;
} // namespace

AdmissionTicket::AdmissionTicket(ConnectionAdmission &admission, const QString &address,
                                 std::optional<AdmissionRefusal> refusal)
    : m_admission(&admission), m_address(address), m_refusal(std::move(refusal))
{
}

AdmissionTicket::~AdmissionTicket()
{
    if (isAdmitted() && m_admission)
        m_admission->release(m_address);
}

AdmissionTicketHolder::AdmissionTicketHolder(QObject *carrier, std::unique_ptr<AdmissionTicket> ticket)
    : QObject(carrier), m_ticket(std::move(ticket))
{
    setObjectName(kTicketName);
}

AdmissionTicketHolder *AdmissionTicketHolder::holderOf(const QObject *carrier)
{
    return carrier ? carrier->findChild<AdmissionTicketHolder *>(kTicketName, Qt::FindDirectChildrenOnly) : nullptr;
}

void AdmissionTicketHolder::attach(QObject *carrier, std::unique_ptr<AdmissionTicket> ticket)
{
    Q_ASSERT(carrier);
    if (AdmissionTicketHolder *holder = holderOf(carrier))
        holder->m_ticket = std::move(ticket);
    else
        new AdmissionTicketHolder(carrier, std::move(ticket));
}

AdmissionTicket *AdmissionTicketHolder::of(const QObject *carrier)
{
    AdmissionTicketHolder *holder = holderOf(carrier);
    return holder ? holder->m_ticket.get() : nullptr;
}

std::unique_ptr<AdmissionTicket> AdmissionTicketHolder::take(QObject *carrier)
{
    AdmissionTicketHolder *holder = holderOf(carrier);
    if (!holder)
        return nullptr;
    std::unique_ptr<AdmissionTicket> ticket = std::move(holder->m_ticket);
    delete holder;
    return ticket;
}

Http::Response AdmissionRefusal::response() const
{
    Http::Response answer = Http::Response::error(httpStatus, code, message);
    if (retryAfterSeconds > 0)
        answer.setHeader("Retry-After", QByteArray::number(retryAfterSeconds));
    return answer;
}

ConnectionAdmission::ConnectionAdmission(const ServerLimits &limits, Metrics &metrics, const MonotonicClock &clock,
                                         UpgradeRules rules, QObject *parent)
    : QObject(parent),
      m_limits(limits),
      m_metrics(metrics),
      m_clock(clock),
      m_rules(std::move(rules)),
      m_addressChurn(limits.ipConnectBurst, limits.ipConnectPerSecond),
      m_userChurn(limits.userConnectBurst, limits.userConnectPerSecond)
{
}

ConnectionAdmission::~ConnectionAdmission() = default;

AdmissionRefusal ConnectionAdmission::refusal(AdmissionRefusal::Reason reason, qint64 waitMs) const
{
    const int seconds = int(std::max<qint64>(1, (waitMs + 999) / 1000));
    switch (reason) {
    case AdmissionRefusal::Reason::ServerFull:
        return {reason, 503, Protocol::ErrorCode::Unavailable, u"the server is full; retry later"_s, seconds};
    case AdmissionRefusal::Reason::AddressFull:
        return {reason, 503, Protocol::ErrorCode::Unavailable, u"too many connections from your address"_s, seconds};
    case AdmissionRefusal::Reason::AddressChurn:
        return {reason, 429, Protocol::ErrorCode::RateLimited,
                QStringLiteral("too many new connections from your address; retry in %1 s").arg(seconds), seconds};
    case AdmissionRefusal::Reason::UserChurn:
        return {reason, 429, Protocol::ErrorCode::RateLimited,
                QStringLiteral("too many new connections for this account; retry in %1 s").arg(seconds), seconds};
    case AdmissionRefusal::Reason::Draining:
        return {reason, 503, Protocol::ErrorCode::Unavailable, u"the server is shutting down; connect to another"_s,
                seconds};
    case AdmissionRefusal::Reason::ForeignOrigin:
    case AdmissionRefusal::Reason::NoSubprotocol:
        break; // upgradeRefusal(): they name the request's own values
    }
    Q_UNREACHABLE();
    return {};
}

std::unique_ptr<AdmissionTicket> ConnectionAdmission::admit(const QString &address)
{
    ++m_metrics.connectionsAccepted;
    const qint64 now = m_clock.nowMs();
    std::optional<AdmissionRefusal> refused;
    // Every attempt spends from the address's churn budget, refused ones too: each costs an accept, a
    // request head and an answer.
    if (m_draining) {
        refused = refusal(AdmissionRefusal::Reason::Draining, kCapRetryMs);
    } else if (!m_addressChurn.take(address, now)) {
        ++m_metrics.connectionsRefusedChurn;
        refused = refusal(AdmissionRefusal::Reason::AddressChurn, m_addressChurn.msUntilNext(address, now));
    } else if (m_connections >= m_limits.maxConnections) {
        ++m_metrics.connectionsRefusedTotal;
        refused = refusal(AdmissionRefusal::Reason::ServerFull, kCapRetryMs);
    } else if (m_perAddress.value(address) >= m_limits.maxConnectionsPerIp) {
        ++m_metrics.connectionsRefusedPerIp;
        refused = refusal(AdmissionRefusal::Reason::AddressFull, kCapRetryMs);
    } else {
        ++m_connections;
        ++m_perAddress[address];
    }
    return std::unique_ptr<AdmissionTicket>(new AdmissionTicket(*this, address, std::move(refused)));
}

std::optional<AdmissionRefusal> ConnectionAdmission::admitSession(const QString &userKey)
{
    const qint64 now = m_clock.nowMs();
    if (m_userChurn.take(userKey, now))
        return std::nullopt;
    ++m_metrics.sessionsRefusedChurn;
    return refusal(AdmissionRefusal::Reason::UserChurn, m_userChurn.msUntilNext(userKey, now));
}

bool ConnectionAdmission::originAllowed(const Http::Request &request) const
{
    const QByteArray origin = request.header("origin");
    if (origin.isEmpty())
        return true;
    // A page the server serves itself (the guest page) comes from the address the browser used for it.
    const QByteArray host = request.header("host");
    if (!host.isEmpty() && origin == (m_rules.tls ? "https://" : "http://") + host)
        return true;
    return m_rules.allowedOrigins.contains(QString::fromUtf8(origin));
}

std::optional<AdmissionRefusal> ConnectionAdmission::upgradeRefusal(const Http::Request &request, UpgradeKind kind) const
{
    if (!originAllowed(request)) {
        return AdmissionRefusal{AdmissionRefusal::Reason::ForeignOrigin, 403, Protocol::ErrorCode::Forbidden,
                                QStringLiteral("origin %1 is not allowed").arg(QString::fromUtf8(request.header("origin"))),
                                0};
    }
    if (kind == UpgradeKind::Native) {
        bool offered = false;
        for (const QByteArray &protocol : request.header("sec-websocket-protocol").split(','))
            offered = offered || protocol.trimmed() == kSubprotocol;
        if (!offered) {
            return AdmissionRefusal{AdmissionRefusal::Reason::NoSubprotocol, 400, Protocol::ErrorCode::BadRequest,
                                    QStringLiteral("ask for the WebSocket subprotocol %1").arg(QString::fromLatin1(kSubprotocol)),
                                    0};
        }
    }
    return std::nullopt;
}

std::optional<AdmissionRefusal> ConnectionAdmission::refuseUpgrade(const Http::Request &request, UpgradeKind kind)
{
    std::optional<AdmissionRefusal> refused = upgradeRefusal(request, kind);
    if (refused && refused->reason == AdmissionRefusal::Reason::ForeignOrigin)
        ++m_metrics.originRefused;
    return refused;
}

QString ConnectionAdmission::bearerToken(const Http::Request &request)
{
    const QByteArray authorization = request.header("authorization");
    if (authorization.size() > 7 && authorization.first(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        return QString::fromLatin1(authorization.sliced(7).trimmed());
    return {};
}

void ConnectionAdmission::release(const QString &address)
{
    --m_connections;
    auto it = m_perAddress.find(address);
    if (it != m_perAddress.end() && --*it <= 0)
        m_perAddress.erase(it);
}

} // namespace Tertulia
