#pragma once

#include "app/storage/credentialstore.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QPointer>

#include <functional>

namespace Tertulia {

/// A CredentialStore in memory, for unit tests and for running without a keychain. It behaves like
/// the real one: answers come later from the event loop, and it can pretend to be unavailable.
class MemoryCredentialStore final : public CredentialStore
{
public:
    void read(const QString &key, QObject *context, Callback done) override;
    void write(const QString &key, const QString &secret, QObject *context, Callback done) override;
    void remove(const QString &key, QObject *context, Callback done) override;

    /// While unavailable, every call fails with Error::Unavailable and nothing is kept.
    void setAvailable(bool available) { m_available = available; }
    /// While holding, answers wait (a keychain that does not answer, as a Secret Service that hangs
    /// on D-Bus activation); releaseHeld() gives them.
    void setHolding(bool holding) { m_holding = holding; }
    void releaseHeld();
    bool contains(const QString &key) const { return m_secrets.contains(key); }
    QString peek(const QString &key) const { return m_secrets.value(key); }
    int size() const { return int(m_secrets.size()); }

private:
    void finish(QObject *context, Callback done, Result result);

    QHash<QString, QString> m_secrets;
    bool m_available = true;
    bool m_holding = false;
    QList<std::function<void()>> m_held;
};

} // namespace Tertulia
