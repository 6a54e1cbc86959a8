#include "server/auth/passwordhasher.h"

#include <sodium.h>

namespace Tertulia {

namespace {
QByteArray hashNow(const QByteArray &password, const PasswordHasher::Cost &cost)
{
    QByteArray out(crypto_pwhash_STRBYTES, '\0');
    if (crypto_pwhash_str(out.data(), password.constData(), quint64(password.size()), cost.opsLimit,
                          cost.memLimit)
        != 0)
        return {}; // out of memory
    out.truncate(qsizetype(qstrlen(out.constData())));
    return out;
}

/// Posts the result to the hasher's own thread (the hasher outlives its jobs: the destructor waits), and
/// only there checks whether the caller's context still exists.
template<typename Result>
void deliver(QObject *hasher, QPointer<QObject> context, std::function<void(Result)> done, Result result)
{
    QMetaObject::invokeMethod(
        hasher,
        [context, done = std::move(done), result = std::move(result)]() mutable {
            if (context)
                done(std::move(result));
        },
        Qt::QueuedConnection);
}
} // namespace

PasswordHasher::PasswordHasher(const Cost &cost, int threads, QObject *parent) : QObject(parent), m_cost(cost)
{
    m_pool.setMaxThreadCount(threads);
    m_pool.setExpiryTimeout(30000);
    // A real hash of a random password with the same cost: verifying against it costs what a real check costs.
    QByteArray random(32, Qt::Uninitialized);
    randombytes_buf(random.data(), size_t(random.size()));
    m_dummyHash = hashNow(random.toHex(), m_cost);
}

PasswordHasher::~PasswordHasher() { m_pool.waitForDone(); }

void PasswordHasher::hash(const QByteArray &password, QObject *context, std::function<void(QByteArray)> done)
{
    QPointer<QObject> guard(context);
    const Cost cost = m_cost;
    m_pool.start([this, password, cost, guard, done = std::move(done)]() mutable {
        deliver<QByteArray>(this, guard, std::move(done), hashNow(password, cost));
    });
}

void PasswordHasher::verify(const QByteArray &encoded, const QByteArray &password, QObject *context,
                            std::function<void(bool)> done)
{
    QPointer<QObject> guard(context);
    const bool unknownUser = encoded.isEmpty();
    const QByteArray hash = unknownUser ? m_dummyHash : encoded;
    m_pool.start([this, hash, password, unknownUser, guard, done = std::move(done)]() mutable {
        const bool matches = crypto_pwhash_str_verify(hash.constData(), password.constData(),
                                                      quint64(password.size()))
            == 0;
        deliver<bool>(this, guard, std::move(done), matches && !unknownUser);
    });
}

void PasswordHasher::waitForDone() { m_pool.waitForDone(); }

} // namespace Tertulia
