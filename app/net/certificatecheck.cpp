#include "app/net/certificatecheck.h"

namespace Tertulia {

QString CertificateCheck::summary() const
{
    switch (outcome) {
    case Outcome::CaVerified:
        return tr("The certificate of %1 is vouched for by a certificate authority").arg(server);
    case Outcome::Pinned:
    case Outcome::PreVerified:
        return tr("The certificate of %1 is the one this app trusts for it").arg(server);
    case Outcome::Renewed:
        return tr("%1 renewed its certificate with the same key").arg(server);
    case Outcome::FirstUse:
        return tr("%1 presents a certificate that nobody vouches for yet: confirm it before connecting").arg(server);
    case Outcome::Mismatch:
        return pin ? tr("The certificate of %1 has changed: the connection was blocked").arg(server)
                   : tr("The certificate of %1 is not the one announced for it: the connection was blocked").arg(server);
    }
    return {};
}

QString describePinSource(PinSource source)
{
    switch (source) {
    case PinSource::FirstUse: return CertificateCheck::tr("trusted when you first connected");
    case PinSource::Discovery: return CertificateCheck::tr("as announced on your network");
    case PinSource::Link: return CertificateCheck::tr("from the host's link or QR code");
    case PinSource::OwnHost: return CertificateCheck::tr("the chat this computer hosts");
    case PinSource::Replaced: return CertificateCheck::tr("a new certificate you accepted");
    }
    return {};
}

} // namespace Tertulia
