#include "app/storage/credentialstore.h"

#include "app/net/serveraddress.h"
#include "shared/names.h"

using namespace Qt::StringLiterals;

namespace Tertulia {

QString CredentialStore::keyFor(const ServerAddress &server, const QString &user)
{
    return u"tertulia/"_s + server.id() + u'/' + Names::canonical(user);
}

QString CredentialStore::describe(Error error)
{
    switch (error) {
    case Error::NoError: return {};
    case Error::NotFound: return tr("No saved sign-in was found.");
    case Error::Unavailable:
        return tr("No system keychain is available, so your sign-in will only be kept until you quit.");
    case Error::Failed: return tr("The system keychain could not save your sign-in.");
    }
    return {};
}

} // namespace Tertulia
