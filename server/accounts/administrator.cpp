#include "server/accounts/administrator.h"

#include "server/auth/passwordhasher.h"
#include "server/logging.h"
#include "server/store/store.h"
#include "shared/names.h"

#include <QtCore/QDateTime>
#include <QtCore/QPointer>

namespace Tertulia {

using namespace Protocol;
using namespace Qt::StringLiterals;

void createAdministratorAccount(Store &store, PasswordHasher &hasher, const QString &user, const QString &password,
                                QObject *context, std::function<void(const std::optional<Error> &)> done)
{
    const auto refuse = [context, done](Error error) {
        QMetaObject::invokeMethod(context, [done, error] { done(error); }, Qt::QueuedConnection);
    };
    if (!Names::isValidUserName(user))
        return refuse(Error{ErrorCode::InvalidName, u"'%1' is not a valid user name"_s.arg(user)});
    if (password.size() < Names::kMinPasswordLength || password.size() > Names::kMaxPasswordLength) {
        return refuse(Error{ErrorCode::BadRequest, u"the password must have %1 to %2 characters"_s
                                                        .arg(Names::kMinPasswordLength)
                                                        .arg(Names::kMaxPasswordLength)});
    }
    if (store.findUser(user))
        return refuse(Error{ErrorCode::Conflict, u"the name '%1' is taken"_s.arg(user)});
    // The hash comes back through the event loop: the server may have stopped by then (its store goes with
    // its hasher, which a QPointer can watch).
    QPointer<PasswordHasher> alive(&hasher);
    hasher.hash(password.toUtf8(), context, [&store, alive, user, done](const QByteArray &encoded) {
        if (!alive)
            return done(Error{ErrorCode::Unavailable, u"the server stopped"_s});
        if (encoded.isEmpty())
            return done(Error{ErrorCode::Internal, u"could not hash the password"_s});
        auto created = store.createUser(UserRecord{user, encoded, true, QDateTime::currentSecsSinceEpoch()});
        if (const auto *error = std::get_if<Error>(&created))
            return done(*error);
        qCInfo(lcAdmin).noquote() << u"user="_s + user << "created as an administrator";
        done(std::nullopt);
    });
}

} // namespace Tertulia
