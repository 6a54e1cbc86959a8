#include "support/testpki.h"

#include <QtCore/QDir>
#include <QtCore/QFile>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace Tertulia::Testing {

namespace {
template<typename T, auto Free>
struct Deleter
{
    void operator()(T *pointer) const { Free(pointer); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

QByteArray contents(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data);
    return QByteArray(data, qsizetype(size));
}

void extension(X509 *subject, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer, subject, nullptr, nullptr, 0);
    X509_EXTENSION *made = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
    if (!made)
        qFatal("TestCa: extension %d", nid);
    X509_add_ext(subject, made, -1);
    X509_EXTENSION_free(made);
}

Certificate build(const QByteArray &commonName, EVP_PKEY *subjectKey, X509 *issuer, EVP_PKEY *issuerKey, bool ca,
                  const QByteArray &altNames)
{
    Certificate certificate(X509_new());
    X509_set_version(certificate.get(), 2);
    unsigned char serial[12];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f;
    BIGNUM *number = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate.get()));
    BN_free(number);
    X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 365L * 24 * 3600);
    X509_set_pubkey(certificate.get(), subjectKey);
    X509_NAME *name = X509_get_subject_name(certificate.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>(commonName.constData()),
                               -1, -1, 0);
    X509_set_issuer_name(certificate.get(), issuer ? X509_get_subject_name(issuer) : name);
    X509 *issuerCertificate = issuer ? issuer : certificate.get();
    if (ca) {
        extension(certificate.get(), issuerCertificate, NID_basic_constraints, "critical,CA:TRUE");
        extension(certificate.get(), issuerCertificate, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        extension(certificate.get(), issuerCertificate, NID_basic_constraints, "critical,CA:FALSE");
        extension(certificate.get(), issuerCertificate, NID_key_usage, "critical,digitalSignature");
        extension(certificate.get(), issuerCertificate, NID_ext_key_usage, "serverAuth");
        if (!altNames.isEmpty())
            extension(certificate.get(), issuerCertificate, NID_subject_alt_name, altNames.constData());
    }
    extension(certificate.get(), issuerCertificate, NID_subject_key_identifier, "hash");
    if (X509_sign(certificate.get(), issuerKey, EVP_sha256()) <= 0)
        qFatal("TestCa: X509_sign failed");
    return certificate;
}

QByteArray pem(X509 *certificate)
{
    Bio bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), certificate);
    return contents(bio.get());
}

QByteArray pem(EVP_PKEY *key)
{
    Bio bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    return contents(bio.get());
}
} // namespace

std::pair<QString, QString> Identity::writeTo(const QString &dir) const
{
    const QString certificatePath = QDir(dir).filePath(QStringLiteral("certificate.pem"));
    const QString keyPath = QDir(dir).filePath(QStringLiteral("key.pem"));
    for (const auto &[path, bytes] : {std::pair{certificatePath, certificatePem}, std::pair{keyPath, keyPem}}) {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(path));
    }
    return {certificatePath, keyPath};
}

struct TestCa::Private
{
    Key key;
    Certificate certificate;
};

TestCa::TestCa(const QString &name) : d(std::make_unique<Private>())
{
    d->key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    d->certificate = build(name.toUtf8(), d->key.get(), nullptr, d->key.get(), true, {});
}

TestCa::~TestCa() = default;

QSslCertificate TestCa::certificate() const { return QSslCertificate(pem(d->certificate.get()), QSsl::Pem); }

Identity TestCa::issue(const QStringList &dnsNames, const QList<QHostAddress> &addresses) const
{
    Key key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    QStringList names;
    for (const QString &dns : dnsNames)
        names.append(QStringLiteral("DNS:") + dns);
    for (const QHostAddress &address : addresses)
        names.append(QStringLiteral("IP:") + address.toString());
    const QByteArray commonName = dnsNames.isEmpty() ? addresses.value(0).toString().toUtf8() : dnsNames.first().toUtf8();
    Certificate certificate = build(commonName, key.get(), d->certificate.get(), d->key.get(), false,
                                    names.join(QLatin1Char(',')).toLatin1());
    return Identity{pem(certificate.get()), pem(key.get())};
}

} // namespace Tertulia::Testing
