#include "app/net/certificatefingerprint.h"

#include <QtCore/QCryptographicHash>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
constexpr auto kBase64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
constexpr int kBase64Length = 43; // 32 bytes, unpadded

bool isHexDigit(QChar c)
{
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}

bool isBase64UrlChar(QChar c)
{
    return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-' || c == u'_';
}
} // namespace

CertificateFingerprint CertificateFingerprint::of(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return {};
    return fromBytes(certificate.digest(QCryptographicHash::Sha256));
}

CertificateFingerprint CertificateFingerprint::fromBytes(const QByteArray &sha256)
{
    CertificateFingerprint fingerprint;
    if (sha256.size() == kSize)
        fingerprint.m_sha256 = sha256;
    return fingerprint;
}

std::optional<CertificateFingerprint> CertificateFingerprint::parse(QStringView text)
{
    QStringView rest = text.trimmed();
    for (const QStringView prefix : {u"sha256:", u"sha-256:", u"sha256 ", u"sha-256 "}) {
        if (rest.startsWith(prefix, Qt::CaseInsensitive)) {
            rest = rest.mid(prefix.size()).trimmed();
            break;
        }
    }
    if (rest.size() == kBase64Length && std::all_of(rest.begin(), rest.end(), isBase64UrlChar)) {
        // 43 characters could also be hex with some separators left out; base64url is what links carry.
        const auto decoded = QByteArray::fromBase64Encoding(rest.toLatin1(), kBase64 | QByteArray::AbortOnBase64DecodingErrors);
        if (decoded && decoded.decoded.size() == kSize)
            return fromBytes(decoded.decoded);
        return std::nullopt;
    }
    QByteArray hex;
    for (const QChar c : rest) {
        if (isHexDigit(c))
            hex.append(char(c.unicode()));
        else if (c != u':' && c != u' ' && c != u'\t' && c != u'\n')
            return std::nullopt;
    }
    if (hex.size() != 2 * kSize)
        return std::nullopt;
    return fromBytes(QByteArray::fromHex(hex));
}

QString CertificateFingerprint::toHex() const { return QString::fromLatin1(m_sha256.toHex(':').toUpper()); }

QString CertificateFingerprint::toHexLines(int pairsPerLine) const
{
    QStringList lines;
    for (int i = 0; i < m_sha256.size(); i += pairsPerLine)
        lines.append(QString::fromLatin1(m_sha256.mid(i, pairsPerLine).toHex(':').toUpper()));
    return lines.join(u'\n');
}

QString CertificateFingerprint::toBase64Url() const { return QString::fromLatin1(m_sha256.toBase64(kBase64)); }

QString CertificateFingerprint::shortHex(int pairs) const
{
    return QString::fromLatin1(m_sha256.left(pairs).toHex(':').toUpper());
}

QByteArray publicKeySha256(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return {};
    // QSslKey::toDer() of a public key is its SubjectPublicKeyInfo, the part that survives a renewal.
    const QByteArray spki = certificate.publicKey().toDer();
    return spki.isEmpty() ? QByteArray() : QCryptographicHash::hash(spki, QCryptographicHash::Sha256);
}

} // namespace Tertulia
