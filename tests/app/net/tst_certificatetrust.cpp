// The decisions about a server's certificate, with real certificates (made by HostCertificate and a test
// CA): first use, pre-verified pins, mismatches, renewals with the same key, a pin that outranks a
// certificate authority, what is remembered, and the TLS configuration each case connects with.
#include "app/hosting/hostcertificate.h"
#include "app/net/certificatetrust.h"
#include "support/testpki.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;
using Outcome = CertificateCheck::Outcome;

namespace {
const ServerAddress kServer(u"192.168.1.20"_s, 7420, true);
const QDateTime kNow = QDateTime(QDate(2026, 12, 6), QTime(10, 0), Qt::UTC);

HostCertificate hostCertificate(const QString &dir, const QDateTime &now = kNow)
{
    HostCertificate::Request request = HostCertificate::requestFor(u"ana-laptop"_s, {});
    request.now = now;
    auto made = HostCertificate::loadOrCreate(dir, request);
    if (std::holds_alternative<HostCertificateError>(made))
        qFatal("certificate: %s", qPrintable(std::get<HostCertificateError>(made).message));
    return std::get<HostCertificate>(made);
}

QList<QSslError> selfSigned(const QSslCertificate &certificate)
{
    return {QSslError(QSslError::SelfSignedCertificate, certificate)};
}
} // namespace

class TestCertificateTrust : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_a = hostCertificate(m_dirA.path()).certificate();
        m_b = hostCertificate(m_dirB.path()).certificate();
        // The host of A renews its certificate: same key, new certificate.
        m_aRenewed = hostCertificate(m_dirA.path(), kNow.addDays(820)).certificate();
        QVERIFY(CertificateFingerprint::of(m_aRenewed) != CertificateFingerprint::of(m_a));
        m_caIssued = m_ca.issue({u"chat.example.org"_s}, {}).certificate();
    }

    /*! Without a pin or an expectation: a certificate that passed validation is CA-verified (and not
     *  pinned); one that did not is a first use, never pinned by the check itself. */
    void noPin()
    {
        CertificateTrust trust;
        const CertificateCheck ca = trust.check(kServer, m_caIssued, {});
        QCOMPARE(ca.outcome, Outcome::CaVerified);
        QVERIFY(ca.accepted());
        QCOMPARE(ca.server, u"192.168.1.20:7420"_s);

        const CertificateCheck first = trust.check(kServer, m_a, selfSigned(m_a));
        QCOMPARE(first.outcome, Outcome::FirstUse);
        QVERIFY(!first.accepted());
        QCOMPARE(first.presented, CertificateFingerprint::of(m_a));
        QCOMPARE(first.errors.size(), 1);
        QVERIFY(!trust.pin(kServer));
    }

    /*! The person accepts a first use: pinned (trusted on first use); the same certificate is then
     *  Pinned, another one a Mismatch that names both fingerprints. */
    void trustOnFirstUse()
    {
        CertificateTrust trust;
        trust.setClock([] { return kNow; });
        trust.trust(trust.check(kServer, m_a, selfSigned(m_a)));
        const auto pin = trust.pin(kServer);
        QVERIFY(pin);
        QCOMPARE(pin->fingerprint, CertificateFingerprint::of(m_a));
        QCOMPARE(pin->source, PinSource::FirstUse);
        QCOMPARE(pin->since, kNow);
        QCOMPARE(pin->publicKeySha256, publicKeySha256(m_a));

        QCOMPARE(trust.check(kServer, m_a, selfSigned(m_a)).outcome, Outcome::Pinned);
        const CertificateCheck other = trust.check(kServer, m_b, selfSigned(m_b));
        QCOMPARE(other.outcome, Outcome::Mismatch);
        QCOMPARE(other.pin->fingerprint, CertificateFingerprint::of(m_a));
        QCOMPARE(other.presented, CertificateFingerprint::of(m_b));
        // Another port of the same host is another server.
        QCOMPARE(trust.check(ServerAddress(u"192.168.1.20"_s, 7421, true), m_b, selfSigned(m_b)).outcome, Outcome::FirstUse);

        // Accepting the new certificate after the change replaces the pin.
        trust.trust(other);
        QCOMPARE(trust.pin(kServer)->source, PinSource::Replaced);
        QCOMPARE(trust.check(kServer, m_b, selfSigned(m_b)).outcome, Outcome::Pinned);
    }

    /*! A fingerprint from discovery, a link or a QR code: the matching certificate is accepted at once
     *  and pinned with its source; any other is a Mismatch and nothing is pinned. */
    void preVerified_data()
    {
        QTest::addColumn<int>("source");
        QTest::newRow("discovery") << int(PinSource::Discovery);
        QTest::newRow("link") << int(PinSource::Link);
        QTest::newRow("own host") << int(PinSource::OwnHost);
    }
    void preVerified()
    {
        QFETCH(int, source);
        CertificateTrust wrong;
        wrong.expect(kServer, CertificateFingerprint::of(m_b), PinSource(source));
        const CertificateCheck refused = wrong.check(kServer, m_a, selfSigned(m_a));
        QCOMPARE(refused.outcome, Outcome::Mismatch);
        QCOMPARE(*refused.expected, CertificateFingerprint::of(m_b));
        QVERIFY(!wrong.pin(kServer));

        CertificateTrust right;
        QSignalSpy changed(&right, &CertificateTrust::pinsChanged);
        right.expect(kServer, CertificateFingerprint::of(m_a), PinSource(source));
        QCOMPARE(right.check(kServer, m_a, selfSigned(m_a)).outcome, Outcome::PreVerified);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(right.pin(kServer)->source, PinSource(source));
        QCOMPARE(right.pin(kServer)->fingerprint, CertificateFingerprint::of(m_a));
        QVERIFY(!right.expected(kServer)); // it became the pin
        QCOMPARE(right.check(kServer, m_a, selfSigned(m_a)).outcome, Outcome::Pinned);
    }

    /*! An announcement or link naming another certificate never replaces a pin: the pin stays in force. */
    void expectationDoesNotReplaceAPin()
    {
        CertificateTrust trust;
        trust.trust(trust.check(kServer, m_a, selfSigned(m_a)));
        trust.expect(kServer, CertificateFingerprint::of(m_b), PinSource::Discovery);
        const CertificateCheck check = trust.check(kServer, m_b, selfSigned(m_b));
        QCOMPARE(check.outcome, Outcome::Mismatch);
        QCOMPARE(*check.expected, CertificateFingerprint::of(m_b)); // shown in the explanation
        QCOMPARE(trust.check(kServer, m_a, selfSigned(m_a)).outcome, Outcome::Pinned);
    }

    /*! A renewed certificate with the pinned key is accepted and becomes the pin; a pin that only knows
     *  a fingerprint (pre-verified, never connected) learns the key on its first connection. */
    void renewalWithTheSameKey()
    {
        CertificateTrust trust;
        trust.trust(trust.check(kServer, m_a, selfSigned(m_a)));
        const CertificateCheck renewed = trust.check(kServer, m_aRenewed, selfSigned(m_aRenewed));
        QCOMPARE(renewed.outcome, Outcome::Renewed);
        QCOMPARE(trust.pin(kServer)->fingerprint, CertificateFingerprint::of(m_aRenewed));
        QCOMPARE(trust.pin(kServer)->source, PinSource::FirstUse);

        CertificateTrust fromLink;
        fromLink.expect(kServer, CertificateFingerprint::of(m_a), PinSource::Link);
        QCOMPARE(fromLink.check(kServer, m_a, selfSigned(m_a)).outcome, Outcome::PreVerified);
        QCOMPARE(fromLink.check(kServer, m_aRenewed, selfSigned(m_aRenewed)).outcome, Outcome::Renewed);
    }

    /*! A pin outranks every authority: a CA-issued certificate that is not the pinned one is a Mismatch,
     *  and a pinned server is connected to with no authority at all (so its certificate always comes to
     *  check()). Unpinned servers keep the system's authorities plus the extra ones. */
    void pinOutranksAuthorities()
    {
        CertificateTrust trust;
        trust.addCaCertificates({m_ca.certificate()});
        QVERIFY(trust.configurationFor(kServer).caCertificates().contains(m_ca.certificate()));
        trust.trust(trust.check(kServer, m_a, selfSigned(m_a)));
        QCOMPARE(trust.check(kServer, m_caIssued, {}).outcome, Outcome::Mismatch);
        QVERIFY(trust.configurationFor(kServer).caCertificates().isEmpty());

        CertificateTrust expecting;
        expecting.expect(kServer, CertificateFingerprint::of(m_a), PinSource::Link);
        QVERIFY(expecting.configurationFor(kServer).caCertificates().isEmpty());
    }

    /*! No certificate at all is never accepted. */
    void nullCertificate()
    {
        CertificateTrust trust;
        QCOMPARE(trust.check(kServer, QSslCertificate(), {}).outcome, Outcome::Mismatch);
    }

    /*! Pins live in the profile's INI file: another CertificateTrust on the same file (an app restart)
     *  knows them; forget() removes one. */
    void persistence()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"pins.ini"_s);
        {
            CertificateTrust trust;
            trust.setStorageFile(file);
            trust.setClock([] { return kNow; });
            trust.expect(kServer, CertificateFingerprint::of(m_a), PinSource::Discovery);
            trust.check(kServer, m_a, selfSigned(m_a));
            const ServerAddress other(u"10.0.0.5"_s, 9000, true);
            trust.trust(trust.check(other, m_b, selfSigned(m_b)));
        }
        CertificateTrust reopened;
        reopened.setStorageFile(file);
        const auto pin = reopened.pin(kServer);
        QVERIFY(pin);
        QCOMPARE(pin->fingerprint, CertificateFingerprint::of(m_a));
        QCOMPARE(pin->source, PinSource::Discovery);
        QCOMPARE(pin->since, kNow);
        QCOMPARE(pin->publicKeySha256, publicKeySha256(m_a));
        QCOMPARE(reopened.check(kServer, m_aRenewed, selfSigned(m_aRenewed)).outcome, Outcome::Renewed);
        QCOMPARE(reopened.pin(ServerAddress(u"10.0.0.5"_s, 9000, true))->source, PinSource::FirstUse);

        reopened.forget(kServer);
        CertificateTrust third;
        third.setStorageFile(file);
        QVERIFY(!third.pin(kServer));
        QVERIFY(third.pin(ServerAddress(u"10.0.0.5"_s, 9000, true)));
    }

private:
    QTemporaryDir m_dirA;
    QTemporaryDir m_dirB;
    TestCa m_ca;
    QSslCertificate m_a;
    QSslCertificate m_b;
    QSslCertificate m_aRenewed;
    QSslCertificate m_caIssued;
};

QTEST_GUILESS_MAIN(TestCertificateTrust)
#include "tst_certificatetrust.moc"
