#include "server/auth/loginthrottle.h"

#include <algorithm>

namespace Tertulia {

namespace {
constexpr qsizetype kMinPruneAt = 1024;
} // namespace

LoginThrottle::LoginThrottle(const Options &options)
    : m_options(options),
      m_pruneAt(std::min(kMinPruneAt, std::max<qsizetype>(1, options.maxAccounts)))
{
    m_options.maxAccounts = std::max<qsizetype>(1, m_options.maxAccounts);
    m_options.knownAddressesPerAccount = std::max(0, m_options.knownAddressesPerAccount);
    m_options.freeFailures = std::max(0, m_options.freeFailures);
}

qint64 LoginThrottle::delayAfter(int failures) const
{
    const int counted = failures - m_options.freeFailures;
    if (counted <= 0)
        return 0;
    // Doubling, without shifting past the cap (a long run of failures must not overflow).
    qint64 delay = m_options.baseDelayMs;
    for (int i = 1; i < counted && delay < m_options.maxDelayMs; ++i)
        delay *= 2;
    return std::min(delay, m_options.maxDelayMs);
}

void LoginThrottle::forgetStale(Lane &lane, qint64 nowMs) const
{
    if (lane.failures > 0 && !lane.checking && nowMs >= lane.blockedUntilMs + m_options.forgetAfterMs)
        lane = Lane{};
}

bool LoginThrottle::isIdle(Account &entry, qint64 nowMs) const
{
    forgetStale(entry.strangers, nowMs);
    if (entry.strangers.failures > 0 || entry.strangers.checking)
        return false;
    for (KnownAddress &known : entry.known)
        forgetStale(known.lane, nowMs);
    entry.known.removeIf([&](const KnownAddress &known) {
        return nowMs >= known.lastSuccessMs + m_options.knownAddressTtlMs && known.lane.failures == 0
               && !known.lane.checking;
    });
    return entry.known.isEmpty();
}

void LoginThrottle::prune(qint64 nowMs)
{
    // An idle entry behaves exactly like the new one a later begin() would make. One pass each time the
    // table doubles keeps it within twice the entries that matter, at O(1) per new name.
    m_accounts.removeIf([this, nowMs](auto entry) { return isIdle(entry.value(), nowMs); });
    m_pruneAt = std::min(std::max(kMinPruneAt, 2 * m_accounts.size()), m_options.maxAccounts);
    m_nextPruneMs = nowMs + 1000;
}

LoginThrottle::Account &LoginThrottle::account(const QString &key, qint64 nowMs, QString *usedKey)
{
    *usedKey = key;
    auto it = m_accounts.find(key);
    if (it != m_accounts.end())
        return *it;
    // At the cap, at most one pass a second: a flood of new names must not buy a pass over the table each.
    if (m_accounts.size() >= m_pruneAt && (m_accounts.size() < m_options.maxAccounts || nowMs >= m_nextPruneMs))
        prune(nowMs);
    m_overflowing = m_accounts.size() >= m_options.maxAccounts;
    if (m_overflowing) {
        usedKey->clear();
        return m_overflow;
    }
    return *m_accounts.insert(key, Account{});
}

LoginThrottle::Lane *LoginThrottle::laneOf(Account &entry, const Ticket &ticket)
{
    if (!ticket.knownAddress)
        return &entry.strangers;
    for (KnownAddress &known : entry.known) {
        if (known.address == ticket.address)
            return &known.lane;
    }
    return nullptr;
}

LoginThrottle::Decision LoginThrottle::begin(const QString &accountKey, const QString &address, qint64 nowMs)
{
    Ticket ticket;
    Account &entry = account(accountKey, nowMs, &ticket.accountKey);
    ticket.address = address;
    ticket.knownAddress = std::any_of(entry.known.cbegin(), entry.known.cend(),
                                      [&](const KnownAddress &known) { return known.address == address; });
    Lane &lane = *laneOf(entry, ticket);
    forgetStale(lane, nowMs);
    if (lane.checking)
        return Decision{std::nullopt, m_options.baseDelayMs, true}; // the one running now decides what comes next
    if (nowMs < lane.blockedUntilMs)
        return Decision{std::nullopt, lane.blockedUntilMs - nowMs};
    lane.checking = true;
    return Decision{ticket, 0};
}

void LoginThrottle::finish(const Ticket &ticket, bool success, qint64 nowMs)
{
    Account *entry = &m_overflow;
    if (!ticket.accountKey.isEmpty()) {
        auto it = m_accounts.find(ticket.accountKey);
        if (it == m_accounts.end())
            return; // cannot happen: an entry with a check running is never idle, so never pruned
        entry = &*it;
    }
    Lane *lane = laneOf(*entry, ticket);
    if (!lane)
        return;
    lane->checking = false;
    if (!success) {
        ++lane->failures;
        lane->blockedUntilMs = nowMs + delayAfter(lane->failures);
        return;
    }
    *lane = Lane{};
    if (ticket.accountKey.isEmpty() || m_options.knownAddressesPerAccount == 0)
        return; // the shared overflow entry learns no addresses
    // The address becomes (or stays) known, most recent first; the oldest known one beyond the limit goes,
    // unless its count is running or holding failures.
    const auto known = std::find_if(entry->known.begin(), entry->known.end(),
                                    [&](const KnownAddress &k) { return k.address == ticket.address; });
    KnownAddress moved = known != entry->known.end() ? *known : KnownAddress{ticket.address, 0, Lane{}};
    if (known != entry->known.end())
        entry->known.erase(known);
    moved.lastSuccessMs = nowMs;
    entry->known.prepend(moved);
    for (qsizetype i = entry->known.size() - 1; i >= m_options.knownAddressesPerAccount; --i) {
        const Lane &old = entry->known.at(i).lane;
        if (old.failures == 0 && !old.checking)
            entry->known.removeAt(i);
    }
}

} // namespace Tertulia
