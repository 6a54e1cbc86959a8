#include "app/hosting/hostcertificate.h"

#include "app/hosting/hostinglogging.h"
#include "app/hosting/shareaddresses.h"
#include "app/lan/networkinterfaceinfo.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QSaveFile>
#include <QtNetwork/QHostInfo>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string_view>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {

template<typename T, auto Free>
struct Deleter
{
    void operator()(T *pointer) const { Free(pointer); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using BigNumber = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using Names = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES, GENERAL_NAMES_free>>;

constexpr qint64 kSecondsPerDay = 24 * 3600;

/// OpenSSL's error queue as one line (and the queue emptied, so the next failure reads its own).
QString openSslError(const char *what)
{
    QStringList reasons;
    while (const unsigned long code = ERR_get_error()) {
        char text[256];
        ERR_error_string_n(code, text, sizeof text);
        reasons.append(QString::fromLatin1(text));
    }
    return reasons.isEmpty() ? QString::fromLatin1(what)
                             : QString::fromLatin1(what) + u": "_s + reasons.join(u"; "_s);
}

QByteArray memoryContents(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data); // BIO_get_mem_data without its C cast
    return size > 0 && data ? QByteArray(data, qsizetype(size)) : QByteArray();
}

Key readKey(const QByteArray &pem)
{
    Bio bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    return Key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

Certificate readCertificate(const QByteArray &pem)
{
    Bio bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    return Certificate(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

bool isP256(EVP_PKEY *key)
{
    if (EVP_PKEY_is_a(key, "EC") != 1)
        return false;
    char group[64] = {};
    size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &length) != 1)
        return false;
    const std::string_view name(group, length);
    return name == "prime256v1" || name == "P-256";
}

QByteArray keyPem(EVP_PKEY *key)
{
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    return memoryContents(bio.get());
}

QByteArray certificatePem(X509 *certificate)
{
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), certificate) != 1)
        return {};
    return memoryContents(bio.get());
}

/// A DNS name a certificate may carry: letters, digits and hyphens in dot-separated labels.
bool isDnsName(const QString &name)
{
    if (name.isEmpty() || name.size() > 253)
        return false;
    const auto labels = QStringView(name).split(u'.');
    for (const QStringView label : labels) {
        if (label.isEmpty() || label.size() > 63 || label.startsWith(u'-') || label.endsWith(u'-'))
            return false;
        for (const QChar c : label) {
            if (!((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-'))
                return false;
        }
    }
    return true;
}

bool addExtension(X509 *certificate, int nid, const char *value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
    Extension extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
    return extension && X509_add_ext(certificate, extension.get(), -1) == 1;
}

bool addSubjectAltNames(X509 *certificate, const QStringList &dnsNames, const QList<QHostAddress> &addresses)
{
    Names names(GENERAL_NAMES_new());
    if (!names)
        return false;
    const auto push = [&names](int type, void *value) {
        GENERAL_NAME *name = GENERAL_NAME_new();
        if (!name)
            return false;
        GENERAL_NAME_set0_value(name, type, value);
        if (sk_GENERAL_NAME_push(names.get(), name) <= 0) {
            GENERAL_NAME_free(name);
            return false;
        }
        return true;
    };
    for (const QString &dns : dnsNames) {
        const QByteArray ascii = dns.toLatin1();
        ASN1_IA5STRING *text = ASN1_IA5STRING_new();
        if (!text || ASN1_STRING_set(text, ascii.constData(), int(ascii.size())) != 1 || !push(GEN_DNS, text)) {
            ASN1_IA5STRING_free(text);
            return false;
        }
    }
    for (const QHostAddress &address : addresses) {
        QByteArray raw;
        if (address.protocol() == QAbstractSocket::IPv4Protocol) {
            const quint32 ip = address.toIPv4Address();
            raw = QByteArray(4, Qt::Uninitialized);
            for (int i = 0; i < 4; ++i)
                raw[i] = char((ip >> (24 - 8 * i)) & 0xff);
        } else if (address.protocol() == QAbstractSocket::IPv6Protocol) {
            const Q_IPV6ADDR ip = address.toIPv6Address();
            raw = QByteArray(reinterpret_cast<const char *>(ip.c), 16);
        } else {
            continue;
        }
        ASN1_OCTET_STRING *octets = ASN1_OCTET_STRING_new();
        if (!octets || ASN1_OCTET_STRING_set(octets, reinterpret_cast<const unsigned char *>(raw.constData()), int(raw.size())) != 1
            || !push(GEN_IPADD, octets)) {
            ASN1_OCTET_STRING_free(octets);
            return false;
        }
    }
    return X509_add1_ext_i2d(certificate, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) == 1;
}

std::variant<Certificate, QString> makeCertificate(const HostCertificate::Request &request, EVP_PKEY *key)
{
    Certificate certificate(X509_new());
    if (!certificate || X509_set_version(certificate.get(), 2) != 1) // 2 means version 3
        return openSslError("X509_new");

    // A random positive 127-bit serial number (RFC 5280: at most 20 bytes, unique per issuer).
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1)
        return openSslError("RAND_bytes");
    serial[0] = static_cast<unsigned char>((serial[0] & 0x7f) | 0x40);
    BigNumber number(BN_bin2bn(serial, sizeof serial, nullptr));
    if (!number || !BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(certificate.get())))
        return openSslError("serial number");

    const qint64 now = (request.now.isValid() ? request.now : QDateTime::currentDateTimeUtc()).toSecsSinceEpoch();
    // A day early: the clocks of the phones and laptops that join are not all exact.
    if (!ASN1_TIME_set(X509_getm_notBefore(certificate.get()), time_t(now - kSecondsPerDay))
        || !ASN1_TIME_set(X509_getm_notAfter(certificate.get()), time_t(now + qint64(request.validityDays) * kSecondsPerDay)))
        return openSslError("validity");
    if (X509_set_pubkey(certificate.get(), key) != 1)
        return openSslError("X509_set_pubkey");

    X509_NAME *name = X509_get_subject_name(certificate.get());
    const QByteArray commonName = request.commonName.left(64).toUtf8();
    if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>("Tertulia"), -1, -1, 0) != 1
        || X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>(commonName.constData()),
                                      int(commonName.size()), -1, 0) != 1
        || X509_set_issuer_name(certificate.get(), name) != 1)
        return openSslError("subject");

    // A server certificate that is not a CA (Firefox refuses a CA certificate used as a server's). No
    // keyUsage: without keyCertSign in it, OpenSSL (and Qt) would no longer see a self-signed certificate
    // as its own issuer, and with keyCertSign it would contradict CA:FALSE; it is optional.
    if (!addExtension(certificate.get(), NID_basic_constraints, "critical,CA:FALSE")
        || !addExtension(certificate.get(), NID_ext_key_usage, "serverAuth")
        || !addExtension(certificate.get(), NID_subject_key_identifier, "hash"))
        return openSslError("extensions");
    QStringList dnsNames;
    for (const QString &dns : request.dnsNames) {
        const QString lower = dns.toLower();
        if (isDnsName(lower) && !dnsNames.contains(lower))
            dnsNames.append(lower);
    }
    if ((!dnsNames.isEmpty() || !request.addresses.isEmpty())
        && !addSubjectAltNames(certificate.get(), dnsNames, request.addresses))
        return openSslError("subjectAltName");

    if (X509_sign(certificate.get(), key, EVP_sha256()) <= 0)
        return openSslError("X509_sign");
    return certificate;
}

std::optional<QString> writeKeyFile(const QString &path, const QByteArray &pem)
{
    QFile file(path);
    // Created 0600 from the first byte, as the server's secret.key: never readable by others.
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || file.write(pem) != pem.size() || !file.flush()) {
        const QString error = file.errorString();
        file.close();
        file.remove();
        return QStringLiteral("cannot write %1: %2").arg(path, error);
    }
    return std::nullopt;
}

} // namespace

HostCertificate::Request HostCertificate::requestFor(const QString &hostName, const QList<NetworkInterfaceInfo> &interfaces)
{
    Request request;
    const QString host = hostName.trimmed().toLower();
    request.commonName = host.isEmpty() ? u"Tertulia"_s : u"Tertulia on "_s + host;
    if (!host.isEmpty()) {
        request.dnsNames.append(host);
        if (!host.contains(u'.'))
            request.dnsNames.append(host + u".local"_s); // mDNS name, where the OS answers to one
    }
    request.dnsNames.append(u"localhost"_s);
    request.addresses = {QHostAddress(QHostAddress::LocalHost), QHostAddress(QHostAddress::LocalHostIPv6)};
    for (const QUrl &url : ShareAddresses::fromInterfaces(interfaces, 1)) {
        const QHostAddress address(url.host());
        if (!address.isNull())
            request.addresses.append(address);
    }
    return request;
}

HostCertificate::Request HostCertificate::requestForThisMachine()
{
    return requestFor(QHostInfo::localHostName(), NetworkInterfaceInfo::fromSystem());
}

std::variant<HostCertificate, HostCertificateError> HostCertificate::loadOrCreate(const QString &directory,
                                                                                  const Request &request)
{
    using Code = HostCertificateError::Code;
    if (!QDir().mkpath(directory))
        return HostCertificateError{Code::Write, QStringLiteral("cannot create the folder %1").arg(directory)};
    HostCertificate result;
    result.m_keyFile = QDir(directory).filePath(QString::fromLatin1(kKeyFile));
    result.m_certificateFile = QDir(directory).filePath(QString::fromLatin1(kCertificateFile));

    Key key;
    QFile keyFile(result.m_keyFile);
    if (keyFile.exists()) {
        if (!keyFile.open(QIODevice::ReadOnly))
            return HostCertificateError{Code::KeyUnreadable,
                                        QStringLiteral("cannot read %1: %2").arg(result.m_keyFile, keyFile.errorString())};
        key = readKey(keyFile.readAll());
        if (!key || !isP256(key.get())) {
            ERR_clear_error();
            return HostCertificateError{Code::KeyUnreadable,
                                        QStringLiteral("%1 is not an ECDSA P-256 private key").arg(result.m_keyFile)};
        }
    } else {
        key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
        if (!key)
            return HostCertificateError{Code::Generation, openSslError("EVP_PKEY_Q_keygen")};
        if (auto error = writeKeyFile(result.m_keyFile, keyPem(key.get())))
            return HostCertificateError{Code::Write, *error};
        result.m_created = true;
        qCInfo(lcClientHosting) << "made a new key for the hosted chat's certificate:" << result.m_keyFile;
    }

    // The certificate stays while it belongs to this key and has time left.
    const QDateTime now = request.now.isValid() ? request.now : QDateTime::currentDateTimeUtc();
    QFile certificateFile(result.m_certificateFile);
    Certificate existing;
    if (!result.m_created && certificateFile.open(QIODevice::ReadOnly))
        existing = readCertificate(certificateFile.readAll());
    certificateFile.close();
    ERR_clear_error();
    const bool ours = existing && EVP_PKEY_eq(X509_get0_pubkey(existing.get()), key.get()) == 1;
    const bool fresh = ours && X509_cmp_time(X509_get0_notAfter(existing.get()), nullptr) > 0
                       && [&] {
                              const time_t renewAt = time_t(now.toSecsSinceEpoch() + qint64(request.renewDays) * kSecondsPerDay);
                              time_t at = renewAt;
                              return X509_cmp_time(X509_get0_notAfter(existing.get()), &at) > 0;
                          }();

    QByteArray pem;
    if (fresh) {
        pem = certificatePem(existing.get());
    } else {
        auto made = makeCertificate(request, key.get());
        if (auto *error = std::get_if<QString>(&made))
            return HostCertificateError{Code::Generation, *error};
        pem = certificatePem(std::get<Certificate>(made).get());
        QSaveFile file(result.m_certificateFile);
        if (pem.isEmpty() || !file.open(QIODevice::WriteOnly) || file.write(pem) != pem.size() || !file.commit())
            return HostCertificateError{Code::Write,
                                        QStringLiteral("cannot write %1: %2").arg(result.m_certificateFile, file.errorString())};
        result.m_renewed = !result.m_created;
        qCInfo(lcClientHosting) << (result.m_created ? "made" : "renewed") << "the hosted chat's certificate"
                                << result.m_certificateFile;
    }
    result.m_certificate = QSslCertificate(pem, QSsl::Pem);
    if (result.m_certificate.isNull())
        return HostCertificateError{Code::Generation, QStringLiteral("Qt cannot read %1").arg(result.m_certificateFile)};
    return result;
}

} // namespace Tertulia
