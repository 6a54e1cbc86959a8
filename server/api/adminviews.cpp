#include "server/api/adminviews.h"

#include <QtCore/QJsonValue>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tertulia::Admin {

using L1 = QLatin1StringView;

namespace {
QJsonValue stringOrNull(const QString &text) { return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text); }
} // namespace

QJsonObject ConnectionView::toJson() const
{
    QJsonObject json{{L1("id"), QString::number(id)},
                       {L1("user"), stringOrNull(user)},
                       {L1("state"), state},
                       {L1("address"), address},
                       {L1("protocol"), protocol},
                       {L1("transport"), transport},
                       {L1("connected_at"), connectedAtMs},
                       {L1("rtt_ms"), rttMs ? QJsonValue(*rttMs) : QJsonValue(QJsonValue::Null)},
                       {L1("queued_bytes"), queuedBytes},
                       {L1("rooms"), rooms}};
    if (!node.isEmpty()) {
        json.insert(L1("node"), node);
        json.insert(L1("key"), node + u':' + QString::number(id));
    }
    return json;
}

QJsonObject RoomView::toJson() const
{
    return QJsonObject{{L1("name"), name},
                       {L1("private"), isPrivate},
                       {L1("creator"), creator},
                       {L1("created_at"), createdAtMs},
                       {L1("members"), members},
                       {L1("online_members"), onlineMembers},
                       {L1("connections"), connections},
                       {L1("last_seq"), lastSeq},
                       {L1("kind"), u"room"_s},
                       {L1("title"), title},
                       {L1("topic"), topic},
                       {L1("archived"), archived},
                       {L1("messages_last_minute"), messagesLastMinute},
                       {L1("messages_per_second"), double(messagesLastMinute) / 60.0}};
}

QJsonObject MemberView::toJson() const
{
    QJsonObject json{{L1("user"), user}, {L1("role"), role}, {L1("online"), online}, {L1("muted"), mutedUntil >= 0}};
    if (mutedUntil >= 0)
        json.insert(L1("muted_until"), mutedUntil);
    return json;
}

QJsonObject UserView::toJson() const
{
    return QJsonObject{{L1("name"), name},
                       {L1("admin"), isAdmin},
                       {L1("created_at"), createdAtMs},
                       {L1("online"), online},
                       {L1("connections"), connections},
                       {L1("logins"), logins},
                       {L1("disabled"), disabled}};
}

bool isNodeName(QStringView text)
{
    if (text.isEmpty() || text.size() > kMaxNodeName)
        return false;
    return std::all_of(text.begin(), text.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'-';
    });
}

std::optional<ConnectionRef> parseConnectionRef(QStringView text)
{
    const qsizetype colon = text.indexOf(u':');
    if (colon < 0) {
        const auto id = parseConnectionId(text);
        return id ? std::optional<ConnectionRef>(ConnectionRef{QString(), *id}) : std::nullopt;
    }
    const QStringView node = text.first(colon);
    const auto id = parseConnectionId(text.sliced(colon + 1));
    if (!isNodeName(node) || !id)
        return std::nullopt;
    return ConnectionRef{node.toString(), *id};
}

std::optional<quint64> parseConnectionId(QStringView text)
{
    if (text.isEmpty() || text.size() > 20)
        return std::nullopt;
    for (const QChar c : text) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
    }
    bool ok = false;
    const quint64 id = text.toULongLong(&ok);
    if (!ok || id == 0) // ids start at 1
        return std::nullopt;
    return id;
}

QJsonObject AuditView::toJson() const
{
    return QJsonObject{{QLatin1StringView("id"), record.id},         {QLatin1StringView("at"), record.at},
                       {QLatin1StringView("actor"), record.actor},   {QLatin1StringView("action"), record.action},
                       {QLatin1StringView("target"), record.target}, {QLatin1StringView("room"), record.room},
                       {QLatin1StringView("reason"), record.reason}, {QLatin1StringView("detail"), record.detail}};
}

std::optional<QString> checkedReason(const QString &reason, QString *error)
{
    if (reason.toUtf8().size() > kMaxReasonBytes) {
        *error = QStringLiteral("the reason must fit in %1 bytes of UTF-8").arg(kMaxReasonBytes);
        return std::nullopt;
    }
    for (const QChar c : reason) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format) {
            *error = u"the reason must not contain control characters"_s;
            return std::nullopt;
        }
    }
    return reason;
}

} // namespace Tertulia::Admin
