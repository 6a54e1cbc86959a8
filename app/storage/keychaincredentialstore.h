#pragma once

#include "app/storage/credentialstore.h"

namespace Tertulia {

/// The OS keychain through QtKeychain: Secret Service (gnome-keyring, KWallet) on Linux, Keychain on
/// macOS, Credential Manager on Windows. The insecure plaintext fallback stays off.
class KeychainCredentialStore final : public CredentialStore
{
public:
    /// service groups the entries; tests use their own so they never touch the user's.
    explicit KeychainCredentialStore(const QString &service = QStringLiteral("tertulia"));

    void read(const QString &key, QObject *context, Callback done) override;
    void write(const QString &key, const QString &secret, QObject *context, Callback done) override;
    void remove(const QString &key, QObject *context, Callback done) override;

    QString service() const { return m_service; }

private:
    QString m_service;
};

} // namespace Tertulia
