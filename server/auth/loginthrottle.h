#pragma once

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QString>

#include <optional>

namespace Tertulia {

/// Per-account throttling of password checks (signing in, and the account requests that take the password),
/// on top of the per-address limit: an attacker with many addresses still gets few guesses at one account.
///
/// The first few failed checks of an account's password cost nothing (a typo, retyped at once, must not be
/// refused); after that each failure makes the next check wait: 1 s, then 2 s, 4 s, ... up to 5 min
/// (doubling), and a success resets it. A check asked for too soon is not made: the
/// caller answers 429 with Retry-After. Only one check per account runs at a time (Argon2id takes a few
/// milliseconds; without this, parallel requests would all be checked in that window): the caller may hold a
/// request that finds the count busy until that check ends, rather than refuse it.
///
/// The owner cannot be locked out by someone else's failures: failures from addresses that never signed in to
/// the account are counted apart ("strangers") from each address that did (its own count). An attacker who
/// keeps the strangers' delay at its maximum slows down new devices of the owner, on new addresses, to one try
/// per delay, and nothing else: signed-in devices keep working (their refresh tokens are not throttled), and
/// the addresses the owner signed in from before have their own, clean count. The cost: an attacker who
/// shares one of those addresses (the same NAT) shares its count.
///
/// Names that are not accounts are throttled exactly like accounts, so the answers tell nothing about which
/// names exist. Time is passed in (tests need no clock); memory is bounded like TokenBucketTable: at most
/// `maxAccounts` entries, and when all of them are busy, new names share one entry (a flood of names throttles
/// itself and cannot push anyone's entry out). Counts live in memory: a restart forgets them.
class LoginThrottle
{
public:
    struct Options
    {
        int freeFailures = 3;                             ///< failures in a row that impose no wait
        qint64 baseDelayMs = 1000;                        ///< wait after the first failure past those
        qint64 maxDelayMs = 5 * 60 * 1000;                ///< the doubling stops here
        qint64 forgetAfterMs = 60 * 60 * 1000;            ///< failures forgotten after this long without one
        qint64 knownAddressTtlMs = 30LL * 24 * 3600 * 1000; ///< an address stays known this long after a success
        int knownAddressesPerAccount = 4;                 ///< the most recent ones
        qsizetype maxAccounts = 100000;
    };

    /// Which count a check belongs to, from begin() to finish().
    struct Ticket
    {
        QString accountKey;   ///< Names::canonical() of the name asked for (or the shared overflow entry)
        QString address;
        bool knownAddress = false;
    };

    /// What begin() decided: a ticket when the check may run now, otherwise how long to wait.
    struct Decision
    {
        std::optional<Ticket> ticket;
        qint64 waitMs = 0;    ///< > 0 when there is no ticket
        bool busy = false;    ///< no ticket because a check of the same count is running (it decides what next)
    };

    explicit LoginThrottle(const Options &options);
    LoginThrottle() : LoginThrottle(Options{}) { }

    /// May the password of `accountKey` be checked now for a request from `address`? With a ticket the check
    /// counts as running until finish().
    Decision begin(const QString &accountKey, const QString &address, qint64 nowMs);
    /// The check of that ticket is over: a failure makes the next one wait, a success resets the count and
    /// makes the address known to the account.
    void finish(const Ticket &ticket, bool success, qint64 nowMs);

    /// The wait that a failure after `failures - 1` others imposes (0 for the free ones).
    qint64 delayAfter(int failures) const;
    const Options &options() const { return m_options; }
    /// Entries held (the overflow entry not counted).
    qsizetype size() const { return m_accounts.size(); }
    bool isOverflowing() const { return m_overflowing; }

private:
    struct Lane
    {
        int failures = 0;
        qint64 blockedUntilMs = 0;
        bool checking = false;
    };
    struct KnownAddress
    {
        QString address;
        qint64 lastSuccessMs = 0;
        Lane lane;
    };
    struct Account
    {
        Lane strangers;
        QList<KnownAddress> known;   ///< most recent success first
    };

    Account &account(const QString &key, qint64 nowMs, QString *usedKey);
    Lane *laneOf(Account &account, const Ticket &ticket);
    void forgetStale(Lane &lane, qint64 nowMs) const;
    bool isIdle(Account &account, qint64 nowMs) const;
    void prune(qint64 nowMs);

    Options m_options;
    QHash<QString, Account> m_accounts;
    Account m_overflow;
    bool m_overflowing = false;
    qsizetype m_pruneAt;
    qint64 m_nextPruneMs = 0;   ///< at the cap: no pass before this
};

} // namespace Tertulia
