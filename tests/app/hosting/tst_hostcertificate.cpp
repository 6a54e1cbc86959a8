// The hosted chat's certificate: made with OpenSSL on first use, read back with Qt (ECDSA P-256,
// self-signed, the names and addresses asked for, the validity), the key file private to its owner, the
// same certificate after a restart, a renewal that keeps the key, and clear errors for a damaged key.
#include "app/hosting/hostcertificate.h"
#include "app/lan/networkinterfaceinfo.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QSslKey>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Qt::StringLiterals;

namespace {
const QDateTime kNow = QDateTime(QDate(2026, 12, 6), QTime(10, 0), Qt::UTC);

HostCertificate::Request request(const QDateTime &now = kNow)
{
    HostCertificate::Request r;
    r.commonName = u"Tertulia on ana-laptop"_s;
    r.dnsNames = {u"ana-laptop"_s, u"Ana-Laptop.local"_s, u"localhost"_s, u"bad name"_s, u"-dash.example"_s, u"a,b"_s};
    r.addresses = {QHostAddress(u"127.0.0.1"_s), QHostAddress(u"192.168.1.20"_s), QHostAddress(u"::1"_s),
                   QHostAddress(u"fd00::7"_s)};
    r.now = now;
    return r;
}

HostCertificate make(const QString &dir, const HostCertificate::Request &r = request())
{
    auto result = HostCertificate::loadOrCreate(dir, r);
    if (auto *error = std::get_if<HostCertificateError>(&result))
        qFatal("loadOrCreate failed: %s", qPrintable(error->message));
    return std::get<HostCertificate>(result);
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QStringList altNames(const QSslCertificate &certificate, QSsl::AlternativeNameEntryType type)
{
    QStringList names = certificate.subjectAlternativeNames().values(type);
    names.sort();
    return names;
}
} // namespace

class TestHostCertificate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! A first call makes a key and a certificate that Qt reads back: ECDSA P-256, self-signed, the valid
     *  names (lower case) and every address in subjectAltName, a day of slack before now, 825 days after. */
    void firstUseMakesAReadableP256Certificate()
    {
        QTemporaryDir dir;
        const HostCertificate made = make(dir.path());
        QVERIFY(made.isNew());
        QVERIFY(!made.wasRenewed());

        const QList<QSslCertificate> onDisk = QSslCertificate::fromPath(made.certificateFile(), QSsl::Pem);
        QCOMPARE(onDisk.size(), 1);
        const QSslCertificate &certificate = onDisk.first();
        QCOMPARE(certificate, made.certificate());
        QCOMPARE(certificate.publicKey().algorithm(), QSsl::Ec);
        QCOMPARE(certificate.publicKey().length(), 256);
        QVERIFY(certificate.isSelfSigned());
        QCOMPARE(certificate.subjectInfo(QSslCertificate::CommonName), QStringList{u"Tertulia on ana-laptop"_s});
        QCOMPARE(certificate.subjectInfo(QSslCertificate::Organization), QStringList{u"Tertulia"_s});
        QCOMPARE(altNames(certificate, QSsl::DnsEntry),
                 (QStringList{u"ana-laptop"_s, u"ana-laptop.local"_s, u"localhost"_s}));
        QCOMPARE(altNames(certificate, QSsl::IpAddressEntry),
                 (QStringList{u"127.0.0.1"_s, u"192.168.1.20"_s, u"::1"_s, u"fd00::7"_s}));
        QCOMPARE(certificate.effectiveDate(), kNow.addDays(-1));
        QCOMPARE(certificate.expiryDate(), kNow.addDays(825));
        QCOMPARE(certificate.serialNumber().size(), 16 * 3 - 1); // 16 bytes as "aa:bb:…"

        // The fingerprint is the SHA-256 of the DER certificate, as browsers compute it.
        QCOMPARE(made.fingerprint().bytes(), QCryptographicHash::hash(certificate.toDer(), QCryptographicHash::Sha256));

        const QSslKey key(readFile(made.keyFile()), QSsl::Ec, QSsl::Pem);
        QVERIFY(!key.isNull());
        QCOMPARE(key.type(), QSsl::PrivateKey);
        QCOMPARE(key.length(), 256);
    }

    /*! The key file is readable and writable by its owner only. */
    void keyFileIsPrivate()
    {
        QTemporaryDir dir;
        const HostCertificate made = make(dir.path());
        const QFileDevice::Permissions permissions = QFile::permissions(made.keyFile());
        QVERIFY(permissions.testFlag(QFileDevice::ReadOwner));
        QVERIFY(permissions.testFlag(QFileDevice::WriteOwner));
        for (const auto other : {QFileDevice::ReadGroup, QFileDevice::WriteGroup, QFileDevice::ExeGroup,
                                 QFileDevice::ReadOther, QFileDevice::WriteOther, QFileDevice::ExeOther})
            QVERIFY2(!permissions.testFlag(other), qPrintable(u"%1"_s.arg(int(permissions), 0, 16)));
    }

    /*! A restart (another call on the same folder, later) finds the same certificate: same fingerprint,
     *  files untouched. */
    void sameCertificateAfterARestart()
    {
        QTemporaryDir dir;
        const HostCertificate first = make(dir.path());
        const QByteArray certificateBytes = readFile(first.certificateFile());
        const QByteArray keyBytes = readFile(first.keyFile());

        const HostCertificate again = make(dir.path(), request(kNow.addDays(100)));
        QVERIFY(!again.isNew());
        QVERIFY(!again.wasRenewed());
        QCOMPARE(again.fingerprint(), first.fingerprint());
        QCOMPARE(readFile(again.certificateFile()), certificateBytes);
        QCOMPARE(readFile(again.keyFile()), keyBytes);
    }

    /*! Within the renewal margin the certificate is made again with the same key: a new fingerprint, the
     *  same public key (which is how pinned clients recognise it). */
    void renewalKeepsTheKey()
    {
        QTemporaryDir dir;
        const HostCertificate first = make(dir.path());
        const QByteArray keyBytes = readFile(first.keyFile());
        const QDateTime later = kNow.addDays(825 - 10);
        const HostCertificate renewed = make(dir.path(), request(later));
        QVERIFY(!renewed.isNew());
        QVERIFY(renewed.wasRenewed());
        QVERIFY(renewed.fingerprint() != first.fingerprint());
        QCOMPARE(publicKeySha256(renewed.certificate()), publicKeySha256(first.certificate()));
        QCOMPARE(renewed.certificate().expiryDate(), later.addDays(825));
        QCOMPARE(readFile(renewed.keyFile()), keyBytes);
    }

    /*! A certificate that is missing, or belongs to another key, is made for the key in the folder. */
    void certificateFollowsTheKey()
    {
        QTemporaryDir dir;
        const HostCertificate first = make(dir.path());
        QTemporaryDir other;
        const HostCertificate stranger = make(other.path());
        QVERIFY(QFile::remove(first.certificateFile()));
        QVERIFY(QFile::copy(stranger.certificateFile(), first.certificateFile()));

        const HostCertificate fixed = make(dir.path());
        QVERIFY(fixed.wasRenewed());
        QCOMPARE(publicKeySha256(fixed.certificate()), publicKeySha256(first.certificate()));
        QVERIFY(fixed.fingerprint() != stranger.fingerprint());

        QVERIFY(QFile::remove(fixed.certificateFile()));
        const HostCertificate remade = make(dir.path());
        QVERIFY(remade.wasRenewed());
        QCOMPARE(publicKeySha256(remade.certificate()), publicKeySha256(first.certificate()));
    }

    /*! A damaged key, or a key of another kind (RSA), is an error naming the file; it is never replaced
     *  behind the host's back (a new key would break every pin). */
    void unusableKeyIsAnError_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("garbage") << QByteArray("not a key\n");
        QTest::newRow("truncated") << QByteArray("-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49\n");
        QTest::newRow("rsa") << readFile(QStringLiteral(DATA_DIR "/../../data/tls-test.key"));
    }
    void unusableKeyIsAnError()
    {
        QFETCH(QByteArray, content);
        QVERIFY(!content.isEmpty());
        QTemporaryDir dir;
        const QString keyPath = dir.filePath(QString::fromLatin1(HostCertificate::kKeyFile));
        QFile key(keyPath);
        QVERIFY(key.open(QIODevice::WriteOnly));
        key.write(content);
        key.close();
        const auto result = HostCertificate::loadOrCreate(dir.path(), request());
        const auto *error = std::get_if<HostCertificateError>(&result);
        QVERIFY(error);
        QCOMPARE(error->code, HostCertificateError::Code::KeyUnreadable);
        QVERIFY2(error->message.contains(keyPath), qPrintable(error->message));
        QCOMPARE(readFile(keyPath), content);
    }

    /*! The request for a machine: its name, name.local and localhost; loopback and the shareable
     *  addresses (not IPv6 link-local, which no URL can carry). */
    void requestForAMachine()
    {
        NetworkInterfaceInfo wifi;
        wifi.name = u"wlan0"_s;
        wifi.flags = QNetworkInterface::IsUp | QNetworkInterface::IsRunning;
        for (const QString &ip : {u"192.168.1.20"_s, u"fe80::1"_s, u"2001:db8::5"_s}) {
            QNetworkAddressEntry entry;
            entry.setIp(QHostAddress(ip));
            wifi.addresses.append(entry);
        }
        const auto r = HostCertificate::requestFor(u"Ana-Laptop"_s, {wifi});
        QCOMPARE(r.commonName, u"Tertulia on ana-laptop"_s);
        QCOMPARE(r.dnsNames, (QStringList{u"ana-laptop"_s, u"ana-laptop.local"_s, u"localhost"_s}));
        QCOMPARE(r.addresses, (QList<QHostAddress>{QHostAddress(QHostAddress::LocalHost),
                                                   QHostAddress(QHostAddress::LocalHostIPv6),
                                                   QHostAddress(u"192.168.1.20"_s), QHostAddress(u"2001:db8::5"_s)}));
    }
};

QTEST_GUILESS_MAIN(TestHostCertificate)
#include "tst_hostcertificate.moc"
