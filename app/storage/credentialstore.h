#pragma once

#include <QtCore/QCoreApplication>
#include <QtCore/QString>

#include <functional>

class QObject;

namespace Tertulia {

class ServerAddress;

/// Where secrets (the refresh token) live: the OS keychain in the app, memory in tests. Every call
/// is a small job that always finishes asynchronously, in context's thread, and never after context
/// is destroyed. Errors are an enum plus a message; there is no file fallback, ever: when no
/// keychain works the caller hears `Unavailable` and keeps the token in memory for this run.
class CredentialStore
{
    Q_DECLARE_TR_FUNCTIONS(Tertulia::CredentialStore)

public:
    enum class Error {
        NoError,
        NotFound,    ///< nothing stored under this key
        Unavailable, ///< no usable keychain (none installed, locked, access denied, no D-Bus)
        Failed,      ///< the keychain answered but the operation failed
    };

    struct Result
    {
        Error error = Error::NoError;
        QString message; ///< the backend's explanation, for logs and the UI's "why"
        QString secret;  ///< read() only
        bool ok() const { return error == Error::NoError; }
    };
    using Callback = std::function<void(const Result &)>;

    virtual ~CredentialStore() = default;

    virtual void read(const QString &key, QObject *context, Callback done) = 0;
    virtual void write(const QString &key, const QString &secret, QObject *context, Callback done) = 0;
    virtual void remove(const QString &key, QObject *context, Callback done) = 0;

    /// "tertulia/<server id>/<user>": unique per server and user. The user part is canonical (names
    /// ignore case), and the prefix keeps entries apart on Windows, where the key alone names one.
    static QString keyFor(const ServerAddress &server, const QString &user);

    /// A sentence for the UI.
    static QString describe(Error error);
};

} // namespace Tertulia
