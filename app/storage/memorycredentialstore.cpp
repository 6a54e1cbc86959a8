#include "app/storage/memorycredentialstore.h"

#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

namespace Tertulia {

void MemoryCredentialStore::finish(QObject *context, Callback done, Result result)
{
    if (!m_available)
        result = {Error::Unavailable, u"the in-memory store is switched off"_s, {}};
    if (m_holding) {
        m_held.append([context = QPointer<QObject>(context), done = std::move(done), result] {
            if (context)
                done(result);
        });
        return;
    }
    // Never synchronously: callers must not come to depend on an answer inside the call.
    QTimer::singleShot(0, context, [done = std::move(done), result] { done(result); });
}

void MemoryCredentialStore::releaseHeld()
{
    m_holding = false;
    const auto held = std::exchange(m_held, {});
    for (const auto &answer : held)
        answer();
}

void MemoryCredentialStore::read(const QString &key, QObject *context, Callback done)
{
    const auto it = m_secrets.constFind(key);
    Result result;
    if (it == m_secrets.cend() || !m_available)
        result = {Error::NotFound, u"no entry"_s, {}};
    else
        result.secret = *it;
    finish(context, std::move(done), result);
}

void MemoryCredentialStore::write(const QString &key, const QString &secret, QObject *context, Callback done)
{
    if (m_available)
        m_secrets.insert(key, secret);
    finish(context, std::move(done), {});
}

void MemoryCredentialStore::remove(const QString &key, QObject *context, Callback done)
{
    Result result;
    if (m_available && !m_secrets.remove(key))
        result = {Error::NotFound, u"no entry"_s, {}};
    finish(context, std::move(done), result);
}

} // namespace Tertulia
