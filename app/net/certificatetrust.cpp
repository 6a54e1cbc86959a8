#include "app/net/certificatetrust.h"

#include "app/logging.h"

#include <QtCore/QSettings>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
using Outcome = CertificateCheck::Outcome;

QString sourceName(PinSource source)
{
    switch (source) {
    case PinSource::FirstUse: return u"first-use"_s;
    case PinSource::Discovery: return u"discovery"_s;
    case PinSource::Link: return u"link"_s;
    case PinSource::OwnHost: return u"own-host"_s;
    case PinSource::Replaced: return u"replaced"_s;
    }
    return u"first-use"_s;
}

PinSource sourceFromName(const QString &name)
{
    for (const PinSource source : {PinSource::FirstUse, PinSource::Discovery, PinSource::Link, PinSource::OwnHost,
                                   PinSource::Replaced}) {
        if (sourceName(source) == name)
            return source;
    }
    return PinSource::FirstUse;
}
} // namespace

CertificateTrust::CertificateTrust(QObject *parent)
    : QObject(parent), m_now([] { return QDateTime::currentDateTimeUtc(); })
{
}

CertificateTrust::~CertificateTrust() = default;

QString CertificateTrust::keyFor(const ServerAddress &server)
{
    // The id without the scheme: a pin belongs to the place, and only TLS connections consult it.
    return ServerAddress(server.host(), server.port(), false).id();
}

void CertificateTrust::setStorageFile(const QString &path)
{
    m_settings.reset();
    m_pins.clear();
    if (!path.isEmpty()) {
        m_settings = std::make_unique<QSettings>(path, QSettings::IniFormat);
        load();
    }
    Q_EMIT pinsChanged();
}

void CertificateTrust::load()
{
    const int count = m_settings->beginReadArray(u"pins"_s);
    for (int i = 0; i < count; ++i) {
        m_settings->setArrayIndex(i);
        const QString server = m_settings->value(u"server"_s).toString();
        const auto fingerprint = CertificateFingerprint::parse(m_settings->value(u"sha256"_s).toString());
        if (server.isEmpty() || !fingerprint) {
            qCWarning(lcClientTls) << "ignoring an unreadable pin in" << m_settings->fileName();
            continue;
        }
        CertificatePin pin;
        pin.fingerprint = *fingerprint;
        pin.publicKeySha256 = QByteArray::fromHex(m_settings->value(u"key_sha256"_s).toByteArray());
        pin.source = sourceFromName(m_settings->value(u"source"_s).toString());
        pin.since = m_settings->value(u"since"_s).toDateTime();
        m_pins.insert(server, pin);
    }
    m_settings->endArray();
}

void CertificateTrust::save()
{
    if (!m_settings)
        return;
    m_settings->remove(u"pins"_s);
    m_settings->beginWriteArray(u"pins"_s, int(m_pins.size()));
    int index = 0;
    for (auto it = m_pins.cbegin(); it != m_pins.cend(); ++it) {
        m_settings->setArrayIndex(index++);
        m_settings->setValue(u"server"_s, it.key());
        m_settings->setValue(u"sha256"_s, it->fingerprint.toHex());
        m_settings->setValue(u"key_sha256"_s, QString::fromLatin1(it->publicKeySha256.toHex()));
        m_settings->setValue(u"source"_s, sourceName(it->source));
        m_settings->setValue(u"since"_s, it->since);
    }
    m_settings->endArray();
    m_settings->sync();
    if (m_settings->status() != QSettings::NoError)
        qCWarning(lcClientTls) << "could not save the pinned certificates to" << m_settings->fileName();
}

void CertificateTrust::store(const QString &key, const CertificatePin &pin)
{
    m_pins.insert(key, pin);
    save();
    Q_EMIT pinsChanged();
}

void CertificateTrust::addCaCertificates(const QList<QSslCertificate> &certificates) { m_extraCas += certificates; }

std::optional<CertificatePin> CertificateTrust::pin(const ServerAddress &server) const
{
    const auto it = m_pins.constFind(keyFor(server));
    return it == m_pins.cend() ? std::nullopt : std::optional(*it);
}

void CertificateTrust::expect(const ServerAddress &server, const CertificateFingerprint &fingerprint, PinSource source)
{
    if (fingerprint.isNull())
        return;
    m_expected.insert(keyFor(server), Expectation{fingerprint, source});
}

std::optional<CertificateFingerprint> CertificateTrust::expected(const ServerAddress &server) const
{
    const auto it = m_expected.constFind(keyFor(server));
    return it == m_expected.cend() ? std::nullopt : std::optional(it->fingerprint);
}

void CertificateTrust::trust(const CertificateCheck &check)
{
    if (check.presented.isNull() || check.server.isEmpty())
        return;
    CertificatePin pin;
    pin.fingerprint = check.presented;
    pin.publicKeySha256 = publicKeySha256(check.certificate);
    pin.source = check.pin ? PinSource::Replaced : PinSource::FirstUse;
    pin.since = m_now();
    qCInfo(lcClientTls).noquote() << "pinning" << pin.fingerprint.toHex() << "for" << check.server << "(accepted by the user)";
    m_expected.remove(check.server);
    store(check.server, pin);
}

void CertificateTrust::forget(const ServerAddress &server)
{
    const QString key = keyFor(server);
    m_expected.remove(key);
    if (m_pins.remove(key) > 0) {
        save();
        Q_EMIT pinsChanged();
    }
}

QSslConfiguration CertificateTrust::configurationFor(const ServerAddress &server) const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    const QString key = keyFor(server);
    if (m_pins.contains(key) || m_expected.contains(key)) {
        // No authority at all: whatever the server presents fails ordinary validation and reaches
        // check(), which accepts only the pinned certificate. (setCaCertificates also stops Qt from
        // loading the system's roots on demand.)
        configuration.setCaCertificates({});
    } else if (!m_extraCas.isEmpty()) {
        configuration.addCaCertificates(m_extraCas);
    }
    return configuration;
}

CertificateCheck CertificateTrust::evaluate(const ServerAddress &server, const QSslCertificate &presented,
                                            const QList<QSslError> &errors) const
{
    CertificateCheck check;
    check.server = keyFor(server);
    check.certificate = presented;
    check.presented = CertificateFingerprint::of(presented);
    for (const QSslError &error : errors)
        check.errors.append(error.errorString());
    check.pin = pin(server);
    if (const auto it = m_expected.constFind(check.server); it != m_expected.cend()) {
        check.expected = it->fingerprint;
        check.expectedSource = it->source;
    }

    if (check.presented.isNull()) {
        check.outcome = Outcome::Mismatch; // nothing to compare: never accept
    } else if (check.pin) {
        if (check.presented == check.pin->fingerprint)
            check.outcome = Outcome::Pinned;
        else if (!check.pin->publicKeySha256.isEmpty() && check.pin->publicKeySha256 == publicKeySha256(presented))
            check.outcome = Outcome::Renewed;
        else
            check.outcome = Outcome::Mismatch;
    } else if (check.expected) {
        check.outcome = check.presented == *check.expected ? Outcome::PreVerified : Outcome::Mismatch;
    } else {
        check.outcome = errors.isEmpty() ? Outcome::CaVerified : Outcome::FirstUse;
    }
    return check;
}

CertificateCheck CertificateTrust::check(const ServerAddress &server, const QSslCertificate &presented,
                                         const QList<QSslError> &errors)
{
    CertificateCheck result = evaluate(server, presented, errors);
    switch (result.outcome) {
    case Outcome::PreVerified: {
        CertificatePin pin;
        pin.fingerprint = result.presented;
        pin.publicKeySha256 = publicKeySha256(presented);
        pin.source = result.expectedSource.value_or(PinSource::Link);
        pin.since = m_now();
        m_expected.remove(result.server);
        qCInfo(lcClientTls).noquote() << "pinning" << pin.fingerprint.toHex() << "for" << result.server
                                      << "(pre-verified)";
        store(result.server, pin);
        break;
    }
    case Outcome::Renewed: {
        CertificatePin pin = *result.pin;
        pin.fingerprint = result.presented;
        qCInfo(lcClientTls).noquote() << result.server << "renewed its certificate with the same key; now pinning"
                                      << pin.fingerprint.toHex();
        store(result.server, pin);
        break;
    }
    case Outcome::Pinned:
        if (result.pin->publicKeySha256.isEmpty()) {
            CertificatePin pin = *result.pin; // learn the key, for renewals
            pin.publicKeySha256 = publicKeySha256(presented);
            store(result.server, pin);
        }
        break;
    case Outcome::Mismatch: {
        const CertificateFingerprint wanted = result.pin ? result.pin->fingerprint : result.expected.value_or(CertificateFingerprint());
        qCWarning(lcClientTls).noquote() << "blocked" << result.server << ": it presented"
                                         << (result.presented.isNull() ? u"no certificate"_s : result.presented.toHex())
                                         << "but" << wanted.toHex() << "is pinned or expected";
        break;
    }
    case Outcome::CaVerified:
    case Outcome::FirstUse:
        break;
    }
    return result;
}

} // namespace Tertulia
