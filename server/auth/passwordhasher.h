#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QThreadPool>

#include <functional>

namespace Tertulia {

/// Argon2id password hashing (libsodium), always off the calling thread: a hash costs ~10 ms of CPU and
/// 19 MiB, and the server's event loop must not stall on it. Results come back on the thread of the
/// `context` object, asynchronously, and are dropped if the context is gone.
class PasswordHasher : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PasswordHasher)

public:
    struct Cost
    {
        unsigned long long opsLimit = 2;           ///< OWASP minimum for Argon2id: t=2,
        size_t memLimit = 19u * 1024u * 1024u;     ///< m=19 MiB, p=1
    };

    explicit PasswordHasher(const Cost &cost, int threads, QObject *parent = nullptr);
    ~PasswordHasher() override;

    /// Hashes into libsodium's encoded string ($argon2id$v=19$...), which carries salt and parameters.
    void hash(const QByteArray &password, QObject *context, std::function<void(QByteArray encoded)> done);
    /// Verifies; an empty `encoded` verifies against a dummy hash so that unknown users take as long as
    /// known ones (no user enumeration by timing), and then fails.
    void verify(const QByteArray &encoded, const QByteArray &password, QObject *context,
                std::function<void(bool ok)> done);

    /// Waits for running jobs (used on shutdown).
    void waitForDone();

private:
    Cost m_cost;
    QThreadPool m_pool;
    QByteArray m_dummyHash;
};

} // namespace Tertulia
