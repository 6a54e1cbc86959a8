#include "app/storage/keychaincredentialstore.h"

#include "app/logging.h"

#include <qt6keychain/keychain.h>

namespace Tertulia {

namespace {
CredentialStore::Error mapError(QKeychain::Error error)
{
    switch (error) {
    case QKeychain::NoError:
        return CredentialStore::Error::NoError;
    case QKeychain::EntryNotFound:
        return CredentialStore::Error::NotFound;
    case QKeychain::CouldNotDeleteEntry:
        return CredentialStore::Error::Failed;
    // A locked keyring (AccessDenied), a refusal, no Secret Service or no D-Bus session at all
    // (OtherError: "Cannot autolaunch D-Bus") all mean the same to the user: no keychain to use.
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        return CredentialStore::Error::Unavailable;
    }
    return CredentialStore::Error::Failed;
}

/// Starts a heap job that deletes itself; the answer goes to done while context lives.
void run(QKeychain::Job *job, const QString &key, QObject *context, CredentialStore::Callback done)
{
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    QObject::connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job *finished) {
        CredentialStore::Result result;
        result.error = mapError(finished->error());
        if (!result.ok()) {
            result.message = finished->errorString();
            if (result.error != CredentialStore::Error::NotFound)
                qCWarning(lcClientStorage) << "keychain:" << finished->error() << result.message;
        }
        if (auto *reader = qobject_cast<QKeychain::ReadPasswordJob *>(finished); reader && result.ok())
            result.secret = reader->textData();
        done(result);
    });
    job->start(); // QtKeychain queues the work: finished() always comes from the event loop
}
} // namespace

KeychainCredentialStore::KeychainCredentialStore(const QString &service) : m_service(service) { }

void KeychainCredentialStore::read(const QString &key, QObject *context, Callback done)
{
    run(new QKeychain::ReadPasswordJob(m_service), key, context, std::move(done));
}

void KeychainCredentialStore::write(const QString &key, const QString &secret, QObject *context, Callback done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setTextData(secret);
    run(job, key, context, std::move(done));
}

void KeychainCredentialStore::remove(const QString &key, QObject *context, Callback done)
{
    run(new QKeychain::DeletePasswordJob(m_service), key, context, std::move(done));
}

} // namespace Tertulia
