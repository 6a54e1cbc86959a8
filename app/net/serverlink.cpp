#include "app/net/serverlink.h"

#include "shared/names.h"

#include <QtCore/QUrlQuery>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
/// "sha256=<value>" → the value; nullopt when the text is something else.
std::optional<QString> fingerprintField(const QString &text)
{
    const QString key = QString::fromLatin1(ServerLink::kFingerprintKey) + u'=';
    if (!text.startsWith(key, Qt::CaseInsensitive))
        return std::nullopt;
    return text.mid(key.size());
}

std::optional<ServerLink> parseAppLink(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || !url.userInfo().isEmpty() || url.hasFragment())
        return std::nullopt;
    const int port = url.port(ServerAddress::kDefaultPort);
    if (port <= 0 || port > 65535)
        return std::nullopt;
    ServerLink link;
    link.address = ServerAddress(url.host(), quint16(port), true);
    QString path = url.path(QUrl::FullyDecoded);
    if (path.startsWith(u'/'))
        path.remove(0, 1);
    if (!path.isEmpty()) {
        if (!Names::isValidRoomName(path))
            return std::nullopt;
        link.room = path;
    }
    if (url.hasQuery()) {
        const QUrlQuery query(url);
        const auto items = query.queryItems(QUrl::FullyDecoded);
        for (const auto &[key, value] : items) {
            if (key.compare(QLatin1StringView(ServerLink::kFingerprintKey), Qt::CaseInsensitive) != 0)
                continue; // other keys are for later versions of the handler
            const auto fingerprint = CertificateFingerprint::parse(value);
            if (!fingerprint)
                return std::nullopt;
            link.fingerprint = *fingerprint;
        }
    }
    return link;
}
} // namespace

std::optional<ServerLink> ServerLink::parse(const QString &text)
{
    const QString input = text.trimmed();
    if (input.startsWith(QLatin1StringView(kScheme) + u"://"_s, Qt::CaseInsensitive))
        return parseAppLink(input);

    const qsizetype hash = input.indexOf(u'#');
    ServerLink link;
    const auto address = ServerAddress::parse(hash < 0 ? input : input.left(hash));
    if (!address)
        return std::nullopt;
    link.address = *address;
    if (hash >= 0) {
        const auto value = fingerprintField(input.mid(hash + 1));
        const auto fingerprint = value ? CertificateFingerprint::parse(*value) : std::nullopt;
        if (!fingerprint)
            return std::nullopt;
        link.fingerprint = *fingerprint;
        link.address = ServerAddress(address->host(), address->port(), true);
    }
    return link;
}

QUrl ServerLink::webUrl() const
{
    QUrl url = address.apiUrl(QString());
    url.setPath(u"/"_s);
    if (address.isSecure() && fingerprint)
        url.setFragment(QLatin1StringView(kFingerprintKey) + u'=' + fingerprint->toBase64Url());
    return url;
}

QUrl ServerLink::appUrl() const
{
    QUrl url;
    url.setScheme(QLatin1StringView(kScheme));
    url.setHost(address.host());
    url.setPort(address.port());
    if (!room.isEmpty())
        url.setPath(u'/' + room);
    if (fingerprint) {
        QUrlQuery query;
        query.addQueryItem(QLatin1StringView(kFingerprintKey), fingerprint->toBase64Url());
        url.setQuery(query);
    }
    return url;
}

} // namespace Tertulia
