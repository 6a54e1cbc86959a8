#include "app/lan/lanmessage.h"

#include "shared/protocol/jsonfields.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
constexpr auto kBase64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
// Base64url of kMaxInstanceIdBytes bytes, without padding.
constexpr int kMaxEncodedIdLength = (LanMessage::kMaxInstanceIdBytes * 4 + 2) / 3;
// Base64url of a SHA-256, without padding.
constexpr int kFingerprintLength = (CertificateFingerprint::kSize * 4 + 2) / 3;

bool isBase64Url(const QString &text)
{
    return std::all_of(text.begin(), text.end(), [](QChar c) {
        return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-'
            || c == u'_';
    });
}
} // namespace

LanMessage LanMessage::announce(const LanAnnouncement &announcement, int intervalMs)
{
    LanMessage message;
    message.kind = Kind::Announce;
    message.announcement = announcement;
    message.intervalMs = intervalMs;
    return message;
}

LanMessage LanMessage::bye(const QByteArray &instanceId)
{
    LanMessage message;
    message.kind = Kind::Bye;
    message.announcement.instanceId = instanceId;
    return message;
}

QString LanMessage::cleanText(const QString &text, int maxLength)
{
    QList<char32_t> kept;
    for (const uint codePoint : text.toUcs4()) {
        // Tabs and newlines are controls too, but they separate words: they become one space.
        if (QChar::isSpace(codePoint)) {
            if (!kept.isEmpty() && kept.last() != U' ' && kept.size() < maxLength)
                kept.append(U' ');
            continue;
        }
        switch (QChar::category(codePoint)) {
        case QChar::Other_Control:
        case QChar::Other_Format:
        case QChar::Other_Surrogate:
        case QChar::Other_PrivateUse:
        case QChar::Other_NotAssigned:
            continue;
        default:
            break;
        }
        if (codePoint == QChar::ReplacementCharacter)
            continue; // what a broken encoding decoded to: noise in a name
        if (kept.size() == maxLength)
            break;
        kept.append(char32_t(codePoint));
    }
    while (!kept.isEmpty() && kept.last() == U' ')
        kept.removeLast();
    return QString::fromUcs4(kept.constData(), kept.size());
}

QByteArray LanMessage::encode() const
{
    QJsonObject json{
        {"proto"_L1, QLatin1StringView(kProtocolName)},
        {"v"_L1, kVersion},
        {"type"_L1, kind == Kind::Announce ? "announce"_L1 : "bye"_L1},
        {"id"_L1, QString::fromLatin1(announcement.instanceId.left(kMaxInstanceIdBytes).toBase64(kBase64))},
    };
    if (kind == Kind::Announce) {
        json.insert("name"_L1, cleanText(announcement.serverName, kMaxNameLength));
        json.insert("port"_L1, announcement.port);
        json.insert("version"_L1, cleanText(announcement.version, kMaxVersionLength));
        json.insert("users"_L1, std::clamp(announcement.users, 0, kMaxUsers));
        json.insert("web"_L1, announcement.webPage);
        json.insert("interval"_L1, std::clamp(intervalMs, kMinIntervalMs, kMaxIntervalMs));
        // Optional (hosts without TLS leave it out); readers of version 1 ignore fields they do not know.
        if (!announcement.fingerprint.isNull())
            json.insert("sha256"_L1, announcement.fingerprint.toBase64Url());
    }
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

std::optional<LanMessage> LanMessage::parse(const QByteArray &datagram)
{
    if (datagram.isEmpty() || datagram.size() > kMaxDatagramBytes)
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(datagram, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject json = document.object();
    Protocol::FieldReader fields(json);
    if (fields.string("proto"_L1, 32) != QLatin1StringView(kProtocolName)
        || fields.integer("v"_L1, 0, Protocol::kMaxJsonInteger) != kVersion || !fields.ok())
        return std::nullopt;

    LanMessage message;
    const QString type = fields.string("type"_L1, 16);
    if (type == "announce"_L1)
        message.kind = Kind::Announce;
    else if (type == "bye"_L1)
        message.kind = Kind::Bye;
    else
        return std::nullopt;
    const QString id = fields.string("id"_L1, kMaxEncodedIdLength);
    if (!fields.ok() || !isBase64Url(id))
        return std::nullopt;
    message.announcement.instanceId = QByteArray::fromBase64(id.toLatin1(), kBase64);
    if (message.announcement.instanceId.isEmpty())
        return std::nullopt;
    if (message.kind == Kind::Bye)
        return message;

    // Lengths are checked on the raw text (UTF-16 units, generous) before cleaning cuts to code points; the
    // cleaning also drops lone surrogates, so they are kept for it rather than refusing the datagram.
    constexpr auto keep = Protocol::FieldReader::LoneSurrogates::Keep;
    message.announcement.serverName =
        cleanText(fields.optionalString("name"_L1, 4 * kMaxNameLength, keep).value_or(QString()), kMaxNameLength);
    message.announcement.port = quint16(fields.integer("port"_L1, 1, 65535));
    message.announcement.version =
        cleanText(fields.optionalString("version"_L1, 4 * kMaxVersionLength, keep).value_or(QString()), kMaxVersionLength);
    message.announcement.users = int(fields.optionalInteger("users"_L1, 0, kMaxUsers).value_or(0));
    message.announcement.webPage = fields.optionalBoolean("web"_L1, false);
    const qint64 interval = fields.optionalInteger("interval"_L1, 1, Protocol::kMaxJsonInteger).value_or(2000);
    const auto fingerprint = fields.optionalString("sha256"_L1, kFingerprintLength);
    if (!fields.ok())
        return std::nullopt;
    if (fingerprint) {
        // Exactly the 43 characters of base64url that encode() writes; anything else refuses the datagram
        // (a fingerprint that does not parse must not turn into "no fingerprint", which means first use).
        const auto parsed = fingerprint->size() == kFingerprintLength && isBase64Url(*fingerprint)
                                ? CertificateFingerprint::parse(*fingerprint)
                                : std::nullopt;
        if (!parsed)
            return std::nullopt;
        message.announcement.fingerprint = *parsed;
    }
    message.intervalMs = int(std::clamp<qint64>(interval, kMinIntervalMs, kMaxIntervalMs));
    return message;
}

} // namespace Tertulia
