#include "shared/protocol/payloads.h"

#include "shared/names.h"
#include "shared/identity.h"
#include "shared/protocol/jsonfields.h"
#include "shared/protocol/jsonwriter.h"

#include <QtCore/QJsonArray>
#include <QtCore/QTextBoundaryFinder>

#include <algorithm>
#include <cmath>

#include <limits>

using namespace Qt::StringLiterals;

namespace Tertulia::Protocol {

namespace {
using L1 = QLatin1StringView;

template<typename T>
Parsed<T> finish(const FieldReader &reader, T &&value)
{
    if (!reader.ok())
        return reader.error();
    return std::move(value);
}

/// A room a request or an answer names: a room name or a direct conversation's address.
QString readRoomName(FieldReader &reader, L1 key = L1("room"))
{
    QString name = reader.string(key, Names::kMaxRoomAddressLength);
    if (reader.ok() && !Names::isValidRoomAddress(name))
        reader.fail(QStringLiteral("'%1' is not a valid room name").arg(name));
    return name;
}

QString readUserName(FieldReader &reader, L1 key)
{
    QString name = reader.string(key, Names::kMaxUserNameLength);
    if (reader.ok() && !Names::isValidUserName(name))
        reader.fail(QStringLiteral("'%1' is not a valid user name").arg(name));
    return name;
}

/// Parses each element of an array with T::fromJson; the first bad element fails the whole.
template<typename T>
QList<T> readList(FieldReader &reader, L1 key)
{
    QList<T> items;
    const QJsonArray array = reader.array(key);
    items.reserve(array.size());
    for (const QJsonValue &value : array) {
        if (!reader.ok())
            break;
        if (!value.isObject()) {
            reader.fail(QStringLiteral("'%1' must hold objects").arg(key));
            break;
        }
        auto parsed = T::fromJson(value.toObject());
        if (auto *error = std::get_if<Error>(&parsed)) {
            reader.fail(error->message);
            break;
        }
        items.append(std::get<T>(std::move(parsed)));
    }
    return items;
}

template<typename T>
QJsonArray writeList(const QList<T> &items)
{
    QJsonArray array;
    for (const T &item : items)
        array.append(item.toJson());
    return array;
}

/// Issue 12: `display_names` and `avatars`, the profiles of the senders of a list of messages (a history page,
/// search results); each written only when not empty.
void writeSenderProfiles(QJsonObject &json, const QMap<QString, QString> &displayNames,
                         const QMap<QString, QString> &avatars)
{
    if (!displayNames.isEmpty()) {
        QJsonObject names;
        for (auto it = displayNames.cbegin(); it != displayNames.cend(); ++it)
            names.insert(it.key(), it.value());
        json.insert(L1("display_names"), names);
    }
    if (!avatars.isEmpty()) {
        QJsonObject versions;
        for (auto it = avatars.cbegin(); it != avatars.cend(); ++it)
            versions.insert(it.key(), it.value());
        json.insert(L1("avatars"), versions);
    }
}

/// The payloads of the connect path's frames (hello, the answer to join, member_joined) have ONE field list
/// each, a template below (`writeFields`) that writes to either of two outputs with the same calls:
/// - JsonWriter, for the frames the server sends on that path: the JSON is written straight from the value.
///   Building the QJsonObject first and serializing it took a third of a connect's instructions
///   (docs/benchmarks.md, issue 14);
/// - JsonObjectBuilder, for toJson() (every other use: other events, Socket.IO, the client), which measured
///   a little cheaper than the hand-built objects it replaced (the keys come in order, so every insert
///   appends: HelloInfo::toJson() ~25 000 -> ~20 000 instructions, RoomResult ~25 000 -> ~20 000).
/// One list rather than two checked against each other: a field added to it reaches both outputs, so they
/// cannot disagree, and it costs nothing at run time. The list names the keys in QJsonObject's (sorted)
/// order, as JsonWriter needs to match toJson() byte for byte; tests/shared/tst_jsonwriter compares the two
/// with every optional field on and off.
class JsonObjectBuilder
{
public:
    void string(L1 name, const QString &value) { m_json.insert(name, value); }
    void integer(L1 name, qint64 value) { m_json.insert(name, value); }
    void boolean(L1 name, bool value) { m_json.insert(name, value); }
    template<typename Members>
    void object(L1 name, Members &&write)
    {
        JsonObjectBuilder member;
        write(member);
        m_json.insert(name, member.m_json);
    }
    void stringMap(L1 name, const QMap<QString, QString> &map)
    {
        QJsonObject object;
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            object.insert(it.key(), it.value());
        m_json.insert(name, object);
    }
    QJsonObject take() { return std::move(m_json); }

private:
    QJsonObject m_json;
};

template<typename Value>
QJsonObject builtObject(const Value &value)
{
    JsonObjectBuilder builder;
    writeFields(value, builder);
    return builder.take();
}

template<typename Value>
void writeObject(const Value &value, JsonWriter &out)
{
    out.beginObject();
    writeFields(value, out);
    out.endObject();
}

/// Reads what writeSenderProfiles() wrote; a list of at most `maxSenders` messages has no more senders.
void readSenderProfiles(FieldReader &r, const QJsonObject &json, qsizetype maxSenders,
                        QMap<QString, QString> &displayNames, QMap<QString, QString> &avatars)
{
    if (r.ok() && json.contains(L1("display_names"))) {
        const QJsonObject names = r.object(L1("display_names"));
        if (r.ok() && names.size() > maxSenders)
            r.fail(u"'display_names' names more senders than a page holds"_s);
        for (auto it = names.constBegin(); r.ok() && it != names.constEnd(); ++it) {
            const QString name = it.value().toString();
            if (!it.value().isString() || !Names::isValidUserName(it.key()) || name.isEmpty()
                || name.size() > Identity::kMaxDisplayNameUnits)
                r.fail(u"'display_names' maps user names to display names"_s);
            else
                displayNames.insert(it.key(), name);
        }
    }
    if (r.ok() && json.contains(L1("avatars"))) {
        const QJsonObject versions = r.object(L1("avatars"));
        if (r.ok() && versions.size() > maxSenders)
            r.fail(u"'avatars' names more senders than a page holds"_s);
        for (auto it = versions.constBegin(); r.ok() && it != versions.constEnd(); ++it) {
            const QString version = it.value().toString();
            if (!it.value().isString() || !Names::isValidUserName(it.key()) || !Identity::isAvatarVersion(version))
                r.fail(u"'avatars' maps user names to avatar versions"_s);
            else
                avatars.insert(it.key(), version);
        }
    }
}
} // namespace

QString presenceName(PresenceStatus status)
{
    switch (status) {
    case PresenceStatus::Online: return QStringLiteral("online");
    case PresenceStatus::Away: return QStringLiteral("away");
    case PresenceStatus::Offline: return QStringLiteral("offline");
    }
    return QStringLiteral("offline");
}

std::optional<PresenceStatus> parsePresence(QStringView name)
{
    for (auto status : {PresenceStatus::Online, PresenceStatus::Away, PresenceStatus::Offline}) {
        if (name == presenceName(status))
            return status;
    }
    return std::nullopt;
}

QString messageKindName(MessageKind kind)
{
    switch (kind) {
    case MessageKind::Text: return QStringLiteral("text");
    case MessageKind::Edit: return QStringLiteral("edit");
    case MessageKind::Delete: return QStringLiteral("delete");
    case MessageKind::React: return QStringLiteral("react");
    case MessageKind::Unreact: return QStringLiteral("unreact");
    }
    return QStringLiteral("text");
}

std::optional<MessageKind> parseMessageKind(QStringView name)
{
    for (auto kind : {MessageKind::Text, MessageKind::Edit, MessageKind::Delete, MessageKind::React,
                      MessageKind::Unreact}) {
        if (name == messageKindName(kind))
            return kind;
    }
    return std::nullopt;
}

// ---- ChatMessage ----

bool isValidReaction(const QString &reaction)
{
    if (reaction.isEmpty() || reaction.toUtf8().size() > kMaxReactionBytes)
        return false;
    // One user-perceived character (an emoji with its modifiers and joiners is one grapheme cluster).
    QTextBoundaryFinder graphemes(QTextBoundaryFinder::Grapheme, reaction);
    if (graphemes.toNextBoundary() != reaction.size())
        return false;
    const auto codePoints = reaction.toUcs4();
    for (const char32_t c : codePoints) {
        // Emoji are symbols (with joiners, variation selectors and modifiers); words are not reactions.
        if (QChar::isLetterOrNumber(c) || QChar::isSpace(c) || QChar::category(c) == QChar::Other_Control
            || QChar::category(c) == QChar::Other_Surrogate || QChar::category(c) == QChar::Other_NotAssigned
            || (c < 0x80 && c != u'#' && c != u'*'))
            return false;
    }
    return true;
}

QJsonObject Reaction::toJson() const
{
    return {{L1("reaction"), reaction}, {L1("users"), QJsonArray::fromStringList(users)}};
}

Parsed<Reaction> Reaction::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    Reaction reaction;
    reaction.reaction = r.string(L1("reaction"), kMaxReactionBytes);
    const QJsonArray users = r.array(L1("users"));
    for (const QJsonValue &user : users) {
        if (!user.isString() || !Names::isValidUserName(user.toString())) {
            r.fail(QStringLiteral("'users' must hold user names"));
            break;
        }
        reaction.users.append(user.toString());
    }
    return finish(r, std::move(reaction));
}

bool ChatMessage::apply(const ChatMessage &change)
{
    if (!isText() || change.isText() || change.target != seq || deleted)
        return false;
    if (change.isReaction()) {
        if (change.seq <= reactionSeq)
            return false;
        reactionSeq = change.seq;
        const QString who = Names::canonical(change.sender);
        auto it = std::find_if(reactions.begin(), reactions.end(),
                               [&change](const Reaction &r) { return r.reaction == change.text; });
        const auto hasWho = [&who](const Reaction &r) {
            return std::any_of(r.users.cbegin(), r.users.cend(), [&who](const QString &u) { return Names::canonical(u) == who; });
        };
        if (change.kind == MessageKind::React) {
            if (it == reactions.end())
                it = reactions.insert(reactions.end(), Reaction{change.text, {}});
            if (!hasWho(*it))
                it->users.append(change.sender);
        } else if (it != reactions.end()) {
            it->users.removeIf([&who](const QString &u) { return Names::canonical(u) == who; });
            if (it->users.isEmpty())
                reactions.erase(it);
        }
        return true;
    }
    if (change.seq <= editSeq)
        return false;
    editSeq = change.seq;
    if (change.kind == MessageKind::Delete) {
        deleted = true;
        text.clear();
        if (Names::canonical(change.sender) != Names::canonical(sender))
            deletedBy = change.sender;
    } else {
        text = change.text;
        editedAt = change.timestamp;
    }
    return true;
}

// ---- written_at (issue 12, defect 11) ----

qint64 plausibleWrittenAt(qint64 writtenAt, qint64 receivedMs)
{
    if (writtenAt <= 0 || writtenAt > receivedMs + kWrittenAtMaxAheadMs)
        return 0;
    writtenAt = std::min(writtenAt, receivedMs);
    const qint64 delay = receivedMs - writtenAt;
    if (delay > kWrittenAtMaxAgeMs || delay <= kWrittenAtMinDelayMs)
        return 0;
    return writtenAt;
}

// ---- FileInfo (issue 12) ----

QJsonObject FileInfo::toJson() const
{
    QJsonObject json{{L1("id"), id}, {L1("name"), name}, {L1("type"), type}, {L1("size"), size}};
    if (width > 0 && height > 0) {
        json.insert(L1("width"), width);
        json.insert(L1("height"), height);
    }
    return json;
}

Parsed<FileInfo> FileInfo::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    FileInfo f;
    f.id = r.string(L1("id"), kMaxFileIdLength);
    f.name = r.string(L1("name"), kMaxFileNameLength);
    f.type = r.string(L1("type"), kMaxFileTypeLength);
    f.size = r.integer(L1("size"), 0, kMaxJsonInteger);
    f.width = int(r.optionalInteger(L1("width"), 0, 1 << 30).value_or(0));
    f.height = int(r.optionalInteger(L1("height"), 0, 1 << 30).value_or(0));
    return finish(r, std::move(f));
}

QJsonObject ChatMessage::toJson() const
{
    QJsonObject json{{L1("room"), room},   {L1("seq"), seq},
                     {L1("sender"), sender}, {L1("text"), text},
                     {L1("client_msg_id"), clientMsgId}, {L1("ts"), timestamp}};
    // Plain messages look exactly as before: the new members appear only where they say something.
    if (!isText()) {
        json.insert(L1("kind"), messageKindName(kind));
        json.insert(L1("target"), target);
    }
    if (editedAt)
        json.insert(L1("edited_at"), editedAt);
    if (editSeq)
        json.insert(L1("edit_seq"), editSeq);
    if (deleted)
        json.insert(L1("deleted"), true);
    if (!deletedBy.isEmpty())
        json.insert(L1("deleted_by"), deletedBy);
    if (replyTo)
        json.insert(L1("reply_to"), replyTo);
    if (!reactions.isEmpty())
        json.insert(L1("reactions"), writeList(reactions));
    if (reactionSeq)
        json.insert(L1("reaction_seq"), reactionSeq);
    if (file)
        json.insert(L1("file"), file->toJson());
    if (writtenAt)
        json.insert(L1("written_at"), writtenAt);
    return json;
}

Parsed<ChatMessage> ChatMessage::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    ChatMessage m;
    m.room = readRoomName(r);
    m.seq = r.integer(L1("seq"), 1, kMaxJsonInteger);
    m.sender = r.string(L1("sender"), Names::kMaxUserNameLength);
    m.text = r.optionalString(L1("text"), kMaxTextLength).value_or(QString());
    m.clientMsgId = r.optionalString(L1("client_msg_id"), kMaxIdLength).value_or(QString());
    m.timestamp = r.integer(L1("ts"), 0, kMaxJsonInteger);
    const QString kind = r.optionalString(L1("kind"), 16).value_or(messageKindName(MessageKind::Text));
    if (r.ok()) {
        if (const auto parsed = parseMessageKind(kind))
            m.kind = *parsed;
        else
            r.fail(QStringLiteral("unknown message kind '%1'").arg(kind));
    }
    if (r.ok() && !m.isText()) {
        m.target = r.integer(L1("target"), 1, kMaxJsonInteger);
        if (r.ok() && m.target >= m.seq)
            r.fail(QStringLiteral("an edit or delete refers to an earlier message"));
    }
    m.editedAt = r.optionalInteger(L1("edited_at"), 0, kMaxJsonInteger).value_or(0);
    m.editSeq = r.optionalInteger(L1("edit_seq"), 0, kMaxJsonInteger).value_or(0);
    m.deleted = r.optionalBoolean(L1("deleted"), false);
    m.deletedBy = r.optionalString(L1("deleted_by"), Names::kMaxUserNameLength).value_or(QString());
    m.replyTo = r.optionalInteger(L1("reply_to"), 1, kMaxJsonInteger).value_or(0);
    if (r.ok() && m.replyTo && (!m.isText() || m.replyTo >= m.seq))
        r.fail(QStringLiteral("a reply refers to an earlier message"));
    if (r.ok() && json.contains(L1("reactions")))
        m.reactions = readList<Reaction>(r, L1("reactions"));
    m.reactionSeq = r.optionalInteger(L1("reaction_seq"), 0, kMaxJsonInteger).value_or(0);
    if (r.ok() && json.contains(L1("file"))) {
        auto parsed = FileInfo::fromJson(r.object(L1("file")));
        if (auto *error = std::get_if<Error>(&parsed))
            r.fail(u"file: "_s + error->message);
        else
            m.file = std::get<FileInfo>(std::move(parsed));
    }
    m.writtenAt = r.optionalInteger(L1("written_at"), 0, kMaxJsonInteger).value_or(0);
    return finish(r, std::move(m));
}

// ---- RoomInfo ----

template<typename Out>
void writeFields(const RoomInfo &room, Out &out)
{
    if (room.archived)
        out.boolean(L1("archived"), true);
    out.string(L1("creator"), room.creator);
    out.boolean(L1("joined"), room.joined);
    if (room.direct)
        out.string(L1("kind"), u"direct"_s);
    out.integer(L1("last_seq"), room.lastSeq);
    out.integer(L1("members"), room.memberCount);
    out.string(L1("name"), room.name);
    if (room.direct)
        out.string(L1("peer"), room.peer);
    out.boolean(L1("private"), room.isPrivate);
    if (room.readSeq > 0)
        out.integer(L1("read_seq"), room.readSeq);
    if (!room.title.isEmpty())
        out.string(L1("title"), room.title);
    if (!room.topic.isEmpty())
        out.string(L1("topic"), room.topic);
}

QJsonObject RoomInfo::toJson() const { return builtObject(*this); }
void RoomInfo::writeJson(JsonWriter &out) const { writeObject(*this, out); }

Parsed<RoomInfo> RoomInfo::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    RoomInfo room;
    room.name = readRoomName(r, L1("name"));
    room.isPrivate = r.optionalBoolean(L1("private"), false);
    room.creator = r.optionalString(L1("creator"), Names::kMaxUserNameLength).value_or(QString());
    room.lastSeq = r.optionalInteger(L1("last_seq"), 0, kMaxJsonInteger).value_or(0);
    room.memberCount = int(r.optionalInteger(L1("members"), 0, INT_MAX).value_or(0));
    room.joined = r.optionalBoolean(L1("joined"), false);
    room.readSeq = r.optionalInteger(L1("read_seq"), 0, kMaxJsonInteger).value_or(0);
    // Kinds a newer server may add read as rooms; a direct conversation names its other person.
    room.direct = r.optionalString(L1("kind"), 16).value_or(QString()) == u"direct";
    if (room.direct)
        room.peer = r.string(L1("peer"), Names::kMaxUserNameLength);
    room.title = r.optionalString(L1("title"), kMaxTitleLength).value_or(QString());
    room.topic = r.optionalString(L1("topic"), kMaxTopicLength).value_or(QString());
    room.archived = r.optionalBoolean(L1("archived"), false);
    return finish(r, std::move(room));
}

// ---- Member ----

QString roleName(Role role)
{
    switch (role) {
    case Role::Member: return u"member"_s;
    case Role::Moderator: return u"moderator"_s;
    case Role::Owner: return u"owner"_s;
    }
    return u"member"_s;
}

std::optional<Role> parseRole(QStringView name)
{
    for (auto role : {Role::Member, Role::Moderator, Role::Owner}) {
        if (name == roleName(role))
            return role;
    }
    return std::nullopt;
}

QString moderationActionName(ModerationAction action)
{
    switch (action) {
    case ModerationAction::Removed: return u"removed"_s;
    case ModerationAction::Banned: return u"banned"_s;
    case ModerationAction::Unbanned: return u"unbanned"_s;
    case ModerationAction::Muted: return u"muted"_s;
    case ModerationAction::Unmuted: return u"unmuted"_s;
    }
    return u"removed"_s;
}

std::optional<ModerationAction> parseModerationAction(QStringView name)
{
    for (auto action : {ModerationAction::Removed, ModerationAction::Banned, ModerationAction::Unbanned,
                        ModerationAction::Muted, ModerationAction::Unmuted}) {
        if (name == moderationActionName(action))
            return action;
    }
    return std::nullopt;
}

// Issue 12 (profiles).
namespace {
/// A display name another party sent (a member entry, hello, profile_updated): optional, null or "" for none,
/// bounded. Not validated again: the server did when it was set.
QString readShownDisplayName(FieldReader &r, const QJsonObject &json)
{
    if (!r.ok() || json.value(L1("display_name")).isNull())
        return {};
    return r.optionalString(L1("display_name"), Identity::kMaxDisplayNameUnits).value_or(QString());
}

/// The version of an avatar picture another party sent: optional, null or "" for none; otherwise it has the
/// shape the server makes (Identity::isAvatarVersion()), since clients put it in a URL.
QString readAvatar(FieldReader &r, const QJsonObject &json)
{
    if (!r.ok() || json.value(L1("avatar")).isNull())
        return {};
    const QString version = r.optionalString(L1("avatar"), Identity::kMaxAvatarVersionLength).value_or(QString());
    if (r.ok() && !version.isEmpty() && !Identity::isAvatarVersion(version))
        r.fail(u"'avatar' is not an avatar version"_s);
    return version;
}
} // namespace

QJsonObject Member::toJson() const
{
    QJsonObject json{{L1("user"), user}, {L1("status"), presenceName(status)}};
    // Plain members look exactly as before.
    if (role != Role::Member)
        json.insert(L1("role"), roleName(role));
    if (muted)
        json.insert(L1("muted"), true);
    if (!displayName.isEmpty())
        json.insert(L1("display_name"), displayName);
    if (!avatar.isEmpty())
        json.insert(L1("avatar"), avatar);
    return json;
}

Parsed<Member> Member::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    Member m;
    m.user = r.string(L1("user"), Names::kMaxUserNameLength);
    const QString status = r.string(L1("status"), 16);
    if (r.ok()) {
        if (auto parsed = parsePresence(status))
            m.status = *parsed;
        else
            r.fail(QStringLiteral("unknown presence '%1'").arg(status));
    }
    const QString role = r.optionalString(L1("role"), 16).value_or(roleName(Role::Member));
    if (r.ok()) {
        if (auto parsed = parseRole(role))
            m.role = *parsed;
        else
            r.fail(QStringLiteral("unknown role '%1'").arg(role));
    }
    m.muted = r.optionalBoolean(L1("muted"), false);
    m.displayName = readShownDisplayName(r, json);
    m.avatar = readAvatar(r, json);
    return finish(r, std::move(m));
}

// ---- requests ----

QJsonObject AuthParams::toJson() const { return {{L1("token"), token}}; }

Parsed<AuthParams> AuthParams::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    AuthParams p;
    p.token = r.string(L1("token"), kMaxTokenLength);
    return finish(r, std::move(p));
}

QJsonObject RefreshParams::toJson() const { return {{L1("refresh_token"), refreshToken}}; }

Parsed<RefreshParams> RefreshParams::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    RefreshParams p;
    p.refreshToken = r.string(L1("refresh_token"), kMaxTokenLength);
    return finish(r, std::move(p));
}

QJsonObject CreateRoomParams::toJson() const
{
    return {{L1("name"), name}, {L1("private"), isPrivate}};
}

Parsed<CreateRoomParams> CreateRoomParams::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    CreateRoomParams p;
    // A room a user creates has a room name: direct conversations' addresses are the server's to give.
    p.name = r.string(L1("name"), Names::kMaxRoomNameLength);
    if (r.ok() && !Names::isValidRoomName(p.name))
        r.fail(QStringLiteral("'%1' is not a valid room name").arg(p.name));
    p.isPrivate = r.optionalBoolean(L1("private"), false);
    return finish(r, std::move(p));
}

QJsonObject RoomParams::toJson() const { return {{L1("room"), room}}; }

Parsed<RoomParams> RoomParams::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    RoomParams p;
    p.room = readRoomName(r);
    return finish(r, std::move(p));
}

QJsonObject OpenDirectParams::toJson() const { return {{L1("user"), user}}; }

Parsed<OpenDirectParams> OpenDirectParams::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    OpenDirectParams p;
    p.user = readUserName(r, L1("user"));
    return finish(r, std::move(p));
}

QJsonObject InviteParams::toJson() const { return {{L1("room"), room}, {L1("user"), user}}; }

Parsed<InviteParams> InviteParams::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    InviteParams p;
    p.room = readRoomName(r);
    p.user = readUserName(r, L1("user"));
    return finish(r, std::move(p));
}

QJsonObject SendParams::toJson() const
{
    QJsonObject json{{L1("room"), room}, {L1("text"), text}, {L1("client_msg_id"), clientMsgId}};
    if (replyTo) // a plain send looks exactly as before
        json.insert(L1("reply_to"), replyTo);
    if (!fileId.isEmpty())
        json.insert(L1("file"), QJsonObject{{L1("id"), fileId}});
    if (writtenAt)
        json.insert(L1("written_at"), writtenAt);
    return json;
}

Parsed<SendParams> SendParams::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    SendParams p;
    p.room = readRoomName(r);
    if (r.ok() && json.contains(L1("file"))) {
        const QJsonObject file = r.object(L1("file"));
        if (r.ok())
            p.fileId = FieldReader(file).optionalString(L1("id"), kMaxFileIdLength).value_or(QString());
        if (r.ok() && p.fileId.isEmpty())
            r.fail(u"'file' must be {\"id\": \"<the id the upload answered>\"}"_s);
    }
    // A message with a file may have no text (a picture on its own).
    p.text = p.fileId.isEmpty() ? r.string(L1("text"), kMaxTextLength)
                                : r.optionalString(L1("text"), kMaxTextLength).value_or(QString());
    p.clientMsgId = r.string(L1("client_msg_id"), kMaxIdLength);
    p.replyTo = r.optionalInteger(L1("reply_to"), 1, kMaxJsonInteger).value_or(0);
    // When the text was written (ms since the epoch): whether it is plausible is the server's to judge, against
    // its own clock; here only its type (null: not said).
    if (r.ok()) {
        const QJsonValue written = json.value(L1("written_at"));
        const double ms = written.toDouble(-1);
        if (!written.isUndefined() && !written.isNull()
            && (!written.isDouble() || ms < 0 || ms > double(kMaxJsonInteger) || std::trunc(ms) != ms))
            r.fail(u"'written_at' must be when the text was written, in milliseconds since the Unix epoch "
                   "(an integer from 0)"_s);
        else if (!written.isUndefined() && !written.isNull())
            p.writtenAt = qint64(ms);
    }
    return finish(r, std::move(p));
}

QJsonObject EditParams::toJson() const
{
    return {{L1("room"), room}, {L1("seq"), seq}, {L1("text"), text}, {L1("client_msg_id"), clientMsgId}};
}

Parsed<EditParams> EditParams::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    EditParams p;
    p.room = readRoomName(r);
    p.seq = r.integer(L1("seq"), 1, kMaxJsonInteger);
    p.text = r.string(L1("text"), kMaxTextLength);
    p.clientMsgId = r.string(L1("client_msg_id"), kMaxIdLength);
    return finish(r, std::move(p));
}

QJsonObject ReactParams::toJson() const
{
    QJsonObject json{{L1("room"), room}, {L1("seq"), seq}, {L1("reaction"), reaction}, {L1("client_msg_id"), clientMsgId}};
    if (remove)
        json.insert(L1("remove"), true);
    return json;
}

Parsed<ReactParams> ReactParams::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    ReactParams p;
    p.room = readRoomName(r);
    p.seq = r.integer(L1("seq"), 1, kMaxJsonInteger);
    p.reaction = r.string(L1("reaction"), kMaxReactionBytes);
    if (r.ok() && !isValidReaction(p.reaction))
        r.fail(QStringLiteral("'reaction' must be one emoji"));
    p.clientMsgId = r.string(L1("client_msg_id"), kMaxIdLength);
    p.remove = r.optionalBoolean(L1("remove"), false);
    return finish(r, std::move(p));
}

QJsonObject ReadMarker::toJson() const { return {{L1("room"), room}, {L1("seq"), seq}}; }

Parsed<ReadMarker> ReadMarker::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    ReadMarker p;
    p.room = readRoomName(r);
    p.seq = r.integer(L1("seq"), 0, kMaxJsonInteger);
    return finish(r, std::move(p));
}

QJsonObject DeleteParams::toJson() const
{
    return {{L1("room"), room}, {L1("seq"), seq}, {L1("client_msg_id"), clientMsgId}};
}

Parsed<DeleteParams> DeleteParams::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    DeleteParams p;
    p.room = readRoomName(r);
    p.seq = r.integer(L1("seq"), 1, kMaxJsonInteger);
    p.clientMsgId = r.string(L1("client_msg_id"), kMaxIdLength);
    return finish(r, std::move(p));
}

QJsonObject HistoryParams::toJson() const
{
    QJsonObject json{{L1("room"), room}, {L1("limit"), limit}};
    if (before)
        json.insert(L1("before"), *before);
    if (after)
        json.insert(L1("after"), *after);
    return json;
}

Parsed<HistoryParams> HistoryParams::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    HistoryParams p;
    p.room = readRoomName(r);
    p.before = r.optionalInteger(L1("before"), 1, kMaxJsonInteger);
    p.after = r.optionalInteger(L1("after"), 0, kMaxJsonInteger);
    p.limit = int(r.optionalInteger(L1("limit"), 1, kMaxHistoryPage).value_or(kDefaultHistoryPage));
    if (r.ok() && p.before && p.after)
        r.fail(QStringLiteral("give 'before' or 'after', not both"));
    return finish(r, std::move(p));
}

QJsonObject SearchParams::toJson() const
{
    QJsonObject json{{L1("query"), query}, {L1("limit"), limit}};
    if (!room.isEmpty())
        json.insert(L1("room"), room);
    if (!before.isEmpty())
        json.insert(L1("before"), before);
    return json;
}

Parsed<SearchParams> SearchParams::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    SearchParams p;
    p.query = r.string(L1("query"), kMaxSearchQueryLength);
    if (r.ok()) {
        const qsizetype terms = searchTerms(p.query).size();
        if (terms == 0)
            r.fail(QStringLiteral("the query has no words to search for (letters or digits)"));
        else if (terms > kMaxSearchTerms)
            r.fail(QStringLiteral("at most %1 words can be searched for at once").arg(kMaxSearchTerms));
    }
    // Both optional: absent or null mean "every room" and "from the newest".
    const std::optional<QString> room = r.optionalString(L1("room"), Names::kMaxRoomAddressLength);
    if (r.ok() && room) {
        if (!Names::isValidRoomAddress(*room))
            r.fail(QStringLiteral("'%1' is not a valid room name").arg(*room));
        p.room = *room;
    }
    const std::optional<QString> before = r.optionalString(L1("before"), kMaxSearchCursorLength);
    if (r.ok() && before && before->isEmpty())
        r.fail(QStringLiteral("'before' must be the 'next' of an earlier page"));
    p.before = before.value_or(QString());
    p.limit = int(r.optionalInteger(L1("limit"), 1, kMaxSearchPage).value_or(kDefaultSearchPage));
    return finish(r, std::move(p));
}

QStringList searchTerms(const QString &query)
{
    QStringList terms;
    QList<char32_t> word;
    bool wordHasLetter = false;
    const auto flush = [&] {
        // A run of combining marks alone is no word: the stores drop diacritics, and nothing would be left.
        const QString term = wordHasLetter ? QString::fromUcs4(word.constData(), word.size()) : QString();
        if (!term.isEmpty() && !terms.contains(term))
            terms.append(term);
        word.clear();
        wordHasLetter = false;
    };
    for (const char32_t c : query.toUcs4()) {
        if (QChar::isLetterOrNumber(c)) {
            word.append(c);
            wordHasLetter = true;
        } else if (QChar::isMark(c)) {
            word.append(c);
        } else {
            flush();
        }
    }
    flush();
    return terms;
}

QJsonObject SearchHit::toJson() const
{
    QJsonArray ranges;
    for (const TextRange &range : highlights)
        ranges.append(QJsonArray{range.start, range.length});
    return {{L1("message"), message.toJson()}, {L1("snippet"), snippet}, {L1("highlights"), ranges}};
}

Parsed<SearchHit> SearchHit::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    SearchHit hit;
    const QJsonObject message = r.object(L1("message"));
    if (r.ok()) {
        auto parsed = ChatMessage::fromJson(message);
        if (const auto *error = std::get_if<Error>(&parsed))
            r.fail(error->message);
        else
            hit.message = std::get<ChatMessage>(std::move(parsed));
    }
    if (r.ok())
        hit.snippet = r.optionalString(L1("snippet"), kMaxTextLength).value_or(QString());
    const QJsonArray ranges = r.ok() && json.contains(L1("highlights")) ? r.array(L1("highlights")) : QJsonArray();
    for (const QJsonValue &value : ranges) {
        const QJsonArray pair = value.toArray();
        const qint64 start = pair.size() == 2 ? pair.at(0).toInteger(-1) : -1;
        const qint64 length = pair.size() == 2 ? pair.at(1).toInteger(-1) : -1;
        if (start < 0 || length < 1 || start + length > hit.snippet.size()) {
            r.fail(QStringLiteral("'highlights' must hold [start, length] pairs inside the snippet"));
            break;
        }
        hit.highlights.append(TextRange{int(start), int(length)});
    }
    return finish(r, std::move(hit));
}

QJsonObject SearchResults::toJson() const
{
    QJsonObject json{{L1("results"), writeList(results)}};
    if (!next.isEmpty())
        json.insert(L1("next"), next);
    writeSenderProfiles(json, displayNames, avatars);
    return json;
}

Parsed<SearchResults> SearchResults::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    SearchResults page;
    page.results = readList<SearchHit>(r, L1("results"));
    if (r.ok())
        page.next = r.optionalString(L1("next"), kMaxSearchCursorLength).value_or(QString());
    readSenderProfiles(r, json, kMaxSearchPage, page.displayNames, page.avatars);
    return finish(r, std::move(page));
}

QJsonObject ResumeParams::toJson() const
{
    QJsonObject roomsJson;
    for (auto it = rooms.cbegin(); it != rooms.cend(); ++it)
        roomsJson.insert(it.key(), it.value());
    return {{L1("rooms"), roomsJson}};
}

Parsed<ResumeParams> ResumeParams::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    ResumeParams p;
    const QJsonObject roomsJson = r.object(L1("rooms"));
    if (r.ok() && roomsJson.size() > kMaxResumeRooms)
        r.fail(QStringLiteral("at most %1 rooms can be resumed at once").arg(kMaxResumeRooms));
    for (auto it = roomsJson.begin(); r.ok() && it != roomsJson.end(); ++it) {
        const double seq = it.value().toDouble(-1);
        if (!Names::isValidRoomAddress(it.key()))
            r.fail(QStringLiteral("'%1' is not a valid room name").arg(it.key()));
        else if (!it.value().isDouble() || seq < 0 || seq > double(kMaxJsonInteger) || qint64(seq) != seq)
            r.fail(QStringLiteral("the last sequence number of '%1' must be an integer >= 0").arg(it.key()));
        else
            p.rooms.insert(it.key(), qint64(seq));
    }
    return finish(r, std::move(p));
}

QJsonObject TypingParams::toJson() const { return {{L1("room"), room}, {L1("active"), active}}; }

Parsed<TypingParams> TypingParams::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    TypingParams p;
    p.room = readRoomName(r);
    p.active = r.optionalBoolean(L1("active"), true);
    return finish(r, std::move(p));
}

QJsonObject PresenceParams::toJson() const { return {{L1("status"), presenceName(status)}}; }

Parsed<PresenceParams> PresenceParams::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    PresenceParams p;
    const QString status = r.string(L1("status"), 16);
    if (r.ok()) {
        const auto parsed = parsePresence(status);
        if (!parsed || *parsed == PresenceStatus::Offline)
            r.fail(QStringLiteral("status must be 'online' or 'away'"));
        else
            p.status = *parsed;
    }
    return finish(r, std::move(p));
}

QJsonObject ChangePasswordParams::toJson() const
{
    return {{L1("current_password"), currentPassword}, {L1("new_password"), newPassword}};
}

Parsed<ChangePasswordParams> ChangePasswordParams::fromJson(const QJsonObject &json)
{
    // Lengths are the server's rules to check (with a clear message); here only what a codec must bound.
    FieldReader r(json);
    ChangePasswordParams p;
    p.currentPassword = r.string(L1("current_password"), Names::kMaxPasswordLength);
    p.newPassword = r.string(L1("new_password"), Names::kMaxPasswordLength);
    return finish(r, std::move(p));
}

QJsonObject DeviceParams::toJson() const { return {{L1("device"), device}}; }

Parsed<DeviceParams> DeviceParams::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    DeviceParams p;
    p.device = r.string(L1("device"), kMaxIdLength);
    return finish(r, std::move(p));
}

QJsonObject PasswordParams::toJson() const { return {{L1("password"), password}}; }

Parsed<PasswordParams> PasswordParams::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    PasswordParams p;
    p.password = r.string(L1("password"), Names::kMaxPasswordLength);
    return finish(r, std::move(p));
}

// ---- results and events ----

template<typename Out>
void writeFields(const HelloInfo &hello, Out &out)
{
    if (hello.admin)
        out.boolean(L1("admin"), true);
    if (!hello.avatar.isEmpty())
        out.string(L1("avatar"), hello.avatar);
    if (!hello.displayName.isEmpty())
        out.string(L1("display_name"), hello.displayName);
    out.integer(L1("expires_in"), hello.expiresIn);
    out.object(L1("server"), [&hello](auto &server) {
        server.integer(L1("max_text_bytes"), hello.server.maxTextBytes);
        server.string(L1("name"), hello.server.name);
        server.string(L1("version"), hello.server.version);
    });
    out.string(L1("user"), hello.user);
}

QJsonObject HelloInfo::toJson() const { return builtObject(*this); }
void HelloInfo::writeJson(JsonWriter &out) const { writeObject(*this, out); }

Parsed<HelloInfo> HelloInfo::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    HelloInfo h;
    h.user = r.string(L1("user"), Names::kMaxUserNameLength);
    const QJsonObject server = r.object(L1("server"));
    if (r.ok()) {
        FieldReader s(server);
        h.server.name = s.optionalString(L1("name"), 256).value_or(QString());
        h.server.version = s.optionalString(L1("version"), 64).value_or(QString());
        h.server.maxTextBytes = s.optionalInteger(L1("max_text_bytes"), 0, kMaxJsonInteger).value_or(0);
        if (!s.ok())
            r.fail(s.error().message);
    }
    h.expiresIn = r.optionalInteger(L1("expires_in"), 0, kMaxJsonInteger).value_or(0);
    h.displayName = readShownDisplayName(r, json);
    h.admin = r.optionalBoolean(L1("admin"), false);
    h.avatar = readAvatar(r, json);
    return finish(r, std::move(h));
}

QJsonObject TokenPair::toJson() const
{
    return {{L1("access_token"), accessToken},
            {L1("refresh_token"), refreshToken},
            {L1("expires_in"), expiresIn}};
}

Parsed<TokenPair> TokenPair::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    TokenPair t;
    t.accessToken = r.string(L1("access_token"), kMaxTokenLength);
    t.refreshToken = r.string(L1("refresh_token"), kMaxTokenLength);
    t.expiresIn = r.integer(L1("expires_in"), 0, kMaxJsonInteger);
    return finish(r, std::move(t));
}

QJsonObject RoomListResult::toJson() const
{
    QJsonObject json{{L1("rooms"), writeList(rooms)}};
    writeSenderProfiles(json, displayNames, avatars);
    return json;
}

Parsed<RoomListResult> RoomListResult::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    RoomListResult result;
    result.rooms = readList<RoomInfo>(r, L1("rooms"));
    // Profiles only of the people the list's direct conversations name: never more than there are rooms.
    readSenderProfiles(r, json, result.rooms.size(), result.displayNames, result.avatars);
    return finish(r, std::move(result));
}

template<typename Out>
void writeFields(const RoomResult &result, Out &out)
{
    if (!result.avatars.isEmpty())
        out.stringMap(L1("avatars"), result.avatars);
    if (!result.by.isEmpty())
        out.string(L1("by"), result.by);
    if (!result.displayNames.isEmpty())
        out.stringMap(L1("display_names"), result.displayNames);
    out.object(L1("room"), [&result](auto &room) { writeFields(result.room, room); });
}

QJsonObject RoomResult::toJson() const { return builtObject(*this); }
void RoomResult::writeJson(JsonWriter &out) const { writeObject(*this, out); }

Parsed<RoomResult> RoomResult::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    RoomResult result;
    const QJsonObject room = r.object(L1("room"));
    if (r.ok()) {
        auto parsed = RoomInfo::fromJson(room);
        if (auto *error = std::get_if<Error>(&parsed))
            r.fail(error->message);
        else
            result.room = std::get<RoomInfo>(std::move(parsed));
    }
    result.by = r.optionalString(L1("by"), Names::kMaxUserNameLength).value_or(QString());
    readSenderProfiles(r, json, 1, result.displayNames, result.avatars); // the one other person
    return finish(r, std::move(result));
}

QJsonObject SendResult::toJson() const
{
    return {{L1("room"), room}, {L1("seq"), seq}, {L1("ts"), timestamp}, {L1("duplicate"), duplicate}};
}

Parsed<SendResult> SendResult::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    SendResult s;
    s.room = readRoomName(r);
    s.seq = r.integer(L1("seq"), 1, kMaxJsonInteger);
    s.timestamp = r.integer(L1("ts"), 0, kMaxJsonInteger);
    s.duplicate = r.optionalBoolean(L1("duplicate"), false);
    return finish(r, std::move(s));
}


QJsonObject HistoryPage::toJson() const
{
    QJsonObject json{{L1("room"), room}, {L1("messages"), writeList(messages)}, {L1("has_more"), hasMore}};
    writeSenderProfiles(json, displayNames, avatars);
    return json;
}

Parsed<HistoryPage> HistoryPage::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    HistoryPage page;
    page.room = readRoomName(r);
    page.messages = readList<ChatMessage>(r, L1("messages"));
    page.hasMore = r.optionalBoolean(L1("has_more"), false);
    readSenderProfiles(r, json, kMaxHistoryPage, page.displayNames, page.avatars);
    return finish(r, std::move(page));
}

QJsonObject ResumeResult::toJson() const
{
    QJsonObject roomsJson;
    for (auto it = rooms.cbegin(); it != rooms.cend(); ++it) {
        QJsonObject state{{L1("recovered"), it->recovered},
                          {L1("last_seq"), it->lastSeq},
                          {L1("replayed_to"), it->replayedTo}};
        if (!it->error.isEmpty())
            state.insert(L1("error"), it->error);
        roomsJson.insert(it.key(), state);
    }
    return {{L1("rooms"), roomsJson}};
}

Parsed<ResumeResult> ResumeResult::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    ResumeResult result;
    const QJsonObject roomsJson = r.object(L1("rooms"));
    for (auto it = roomsJson.begin(); r.ok() && it != roomsJson.end(); ++it) {
        if (!it.value().isObject()) {
            r.fail(QStringLiteral("resume state of '%1' must be an object").arg(it.key()));
            break;
        }
        const QJsonObject stateJson = it.value().toObject();
        FieldReader s(stateJson);
        ResumeRoomState state;
        state.recovered = s.boolean(L1("recovered"));
        state.lastSeq = s.integer(L1("last_seq"), 0, kMaxJsonInteger);
        state.replayedTo = s.optionalInteger(L1("replayed_to"), 0, kMaxJsonInteger).value_or(0);
        state.error = s.optionalString(L1("error"), 1024).value_or(QString());
        if (!s.ok())
            r.fail(s.error().message);
        result.rooms.insert(it.key(), state);
    }
    return finish(r, std::move(result));
}

QJsonObject MembersResult::toJson() const
{
    return {{L1("room"), room}, {L1("members"), writeList(members)}};
}

Parsed<MembersResult> MembersResult::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    MembersResult result;
    result.room = readRoomName(r);
    result.members = readList<Member>(r, L1("members"));
    return finish(r, std::move(result));
}

// ---- devices ----

QJsonObject DeviceInfo::toJson() const
{
    return {{L1("id"), id},
            {L1("label"), label},
            {L1("created_at"), createdAt},
            {L1("last_used_at"), lastUsedAt},
            {L1("current"), current}};
}

Parsed<DeviceInfo> DeviceInfo::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    DeviceInfo d;
    d.id = r.string(L1("id"), kMaxIdLength);
    // Display-only text that the client chose: kept as it came, the UI shows it as plain text.
    d.label = r.optionalString(L1("label"), kMaxDeviceLabelLength, FieldReader::LoneSurrogates::Keep).value_or(QString());
    d.createdAt = r.optionalInteger(L1("created_at"), 0, kMaxJsonInteger).value_or(0);
    d.lastUsedAt = r.optionalInteger(L1("last_used_at"), 0, kMaxJsonInteger).value_or(0);
    d.current = r.optionalBoolean(L1("current"), false);
    return finish(r, std::move(d));
}

QJsonObject DeviceList::toJson() const { return {{L1("devices"), writeList(devices)}}; }

Parsed<DeviceList> DeviceList::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    DeviceList list;
    list.devices = readList<DeviceInfo>(r, L1("devices"));
    if (r.ok() && list.devices.size() > kMaxDevices)
        r.fail(QStringLiteral("'devices' holds more than %1 devices").arg(kMaxDevices));
    return finish(r, std::move(list));
}

QJsonObject RevokedResult::toJson() const { return {{L1("revoked"), revoked}}; }

Parsed<RevokedResult> RevokedResult::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    RevokedResult result;
    result.revoked = int(r.integer(L1("revoked"), 0, std::numeric_limits<int>::max()));
    return finish(r, std::move(result));
}

template<typename Out>
void writeFields(const MembershipEvent &membership, Out &out)
{
    if (!membership.by.isEmpty())
        out.string(L1("by"), membership.by);
    out.string(L1("room"), membership.room);
    out.string(L1("user"), membership.user);
}

QJsonObject MembershipEvent::toJson() const { return builtObject(*this); }
void MembershipEvent::writeJson(JsonWriter &out) const { writeObject(*this, out); }

Parsed<MembershipEvent> MembershipEvent::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    MembershipEvent e;
    e.room = readRoomName(r);
    e.user = r.string(L1("user"), Names::kMaxUserNameLength);
    e.by = r.optionalString(L1("by"), Names::kMaxUserNameLength).value_or(QString());
    return finish(r, std::move(e));
}

QJsonObject ModerationParams::toJson() const
{
    QJsonObject json{{L1("room"), room}, {L1("user"), user}};
    if (role)
        json.insert(L1("role"), roleName(*role));
    if (duration)
        json.insert(L1("duration"), *duration);
    if (!reason.isEmpty())
        json.insert(L1("reason"), reason);
    return json;
}

Parsed<ModerationParams> ModerationParams::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    ModerationParams p;
    p.room = readRoomName(r);
    p.user = r.string(L1("user"), Names::kMaxUserNameLength);
    if (const auto role = r.optionalString(L1("role"), 16); role && r.ok()) {
        p.role = parseRole(*role);
        if (!p.role)
            r.fail(QStringLiteral("unknown role '%1'").arg(*role));
    }
    p.duration = r.optionalInteger(L1("duration"), 1, qint64(10) * 366 * 24 * 3600);
    p.reason = r.optionalString(L1("reason"), kMaxReasonLength).value_or(QString());
    return finish(r, std::move(p));
}

QJsonObject RoleEvent::toJson() const
{
    return {{L1("room"), room}, {L1("user"), user}, {L1("role"), roleName(role)}, {L1("by"), by}};
}

Parsed<RoleEvent> RoleEvent::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    RoleEvent e;
    e.room = readRoomName(r);
    e.user = r.string(L1("user"), Names::kMaxUserNameLength);
    const QString role = r.string(L1("role"), 16);
    if (r.ok()) {
        if (auto parsed = parseRole(role))
            e.role = *parsed;
        else
            r.fail(QStringLiteral("unknown role '%1'").arg(role));
    }
    e.by = r.optionalString(L1("by"), Names::kMaxUserNameLength).value_or(QString());
    return finish(r, std::move(e));
}

QJsonObject ModerationEvent::toJson() const
{
    QJsonObject json{{L1("room"), room}, {L1("action"), moderationActionName(action)}, {L1("by"), by}};
    if (until)
        json.insert(L1("until"), until);
    if (!reason.isEmpty())
        json.insert(L1("reason"), reason);
    return json;
}

Parsed<ModerationEvent> ModerationEvent::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    ModerationEvent e;
    e.room = readRoomName(r);
    const QString action = r.string(L1("action"), 16);
    if (r.ok()) {
        if (auto parsed = parseModerationAction(action))
            e.action = *parsed;
        else
            r.fail(QStringLiteral("unknown moderation action '%1'").arg(action));
    }
    e.by = r.optionalString(L1("by"), Names::kMaxUserNameLength).value_or(QString());
    e.until = r.optionalInteger(L1("until"), 0, kMaxJsonInteger).value_or(0);
    e.reason = r.optionalString(L1("reason"), kMaxReasonLength).value_or(QString());
    return finish(r, std::move(e));
}

QJsonObject SanctionInfo::toJson() const
{
    QJsonObject json{{L1("user"), user}, {L1("kind"), ban ? u"ban"_s : u"mute"_s}, {L1("by"), by}, {L1("until"), until}};
    if (!reason.isEmpty())
        json.insert(L1("reason"), reason);
    if (at)
        json.insert(L1("at"), at);
    return json;
}

Parsed<SanctionInfo> SanctionInfo::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    SanctionInfo s;
    s.user = r.string(L1("user"), Names::kMaxUserNameLength);
    const QString kind = r.string(L1("kind"), 8);
    if (r.ok() && kind != u"ban" && kind != u"mute")
        r.fail(QStringLiteral("unknown sanction kind '%1'").arg(kind));
    s.ban = kind == u"ban";
    s.by = r.optionalString(L1("by"), Names::kMaxUserNameLength).value_or(QString());
    s.reason = r.optionalString(L1("reason"), kMaxReasonLength).value_or(QString());
    s.until = r.optionalInteger(L1("until"), 0, kMaxJsonInteger).value_or(0);
    s.at = r.optionalInteger(L1("at"), 0, kMaxJsonInteger).value_or(0);
    return finish(r, std::move(s));
}

QJsonObject SanctionsResult::toJson() const
{
    return {{L1("room"), room}, {L1("sanctions"), writeList(sanctions)}};
}

Parsed<SanctionsResult> SanctionsResult::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    SanctionsResult result;
    result.room = readRoomName(r);
    result.sanctions = readList<SanctionInfo>(r, L1("sanctions"));
    return finish(r, std::move(result));
}

QJsonObject MuteEvent::toJson() const
{
    QJsonObject json{{L1("room"), room}, {L1("user"), user}, {L1("muted"), muted}, {L1("by"), by}};
    if (until)
        json.insert(L1("until"), until);
    return json;
}

Parsed<MuteEvent> MuteEvent::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    MuteEvent e;
    e.room = readRoomName(r);
    e.user = r.string(L1("user"), Names::kMaxUserNameLength);
    e.muted = r.boolean(L1("muted"));
    e.by = r.optionalString(L1("by"), Names::kMaxUserNameLength).value_or(QString());
    e.until = r.optionalInteger(L1("until"), 0, kMaxJsonInteger).value_or(0);
    return finish(r, std::move(e));
}

QJsonObject TypingEvent::toJson() const
{
    return {{L1("room"), room}, {L1("user"), user}, {L1("active"), active}};
}

Parsed<TypingEvent> TypingEvent::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    TypingEvent e;
    e.room = readRoomName(r);
    e.user = r.string(L1("user"), Names::kMaxUserNameLength);
    e.active = r.optionalBoolean(L1("active"), true);
    return finish(r, std::move(e));
}

template<typename Out>
void writeFields(const PresenceEvent &presence, Out &out)
{
    out.string(L1("status"), presenceName(presence.status));
    out.string(L1("user"), presence.user);
}

QJsonObject PresenceEvent::toJson() const { return builtObject(*this); }
void PresenceEvent::writeJson(JsonWriter &out) const { writeObject(*this, out); }

Parsed<PresenceEvent> PresenceEvent::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    PresenceEvent e;
    e.user = r.string(L1("user"), Names::kMaxUserNameLength);
    const QString status = r.string(L1("status"), 16);
    if (r.ok()) {
        if (auto parsed = parsePresence(status))
            e.status = *parsed;
        else
            r.fail(QStringLiteral("unknown presence '%1'").arg(status));
    }
    return finish(r, std::move(e));
}

// ---- Room settings (issue 13) ----

namespace {
/// A title or a topic: one line of text a person wrote, shown as is (no control characters: no line breaks,
/// no terminal escapes in the room header).
std::optional<QString> readSettingText(FieldReader &r, L1 key, qsizetype maxLength)
{
    if (!r.ok())
        return std::nullopt;
    std::optional<QString> text = r.optionalString(key, maxLength);
    if (!text || !r.ok())
        return std::nullopt;
    *text = text->trimmed();
    if (std::any_of(text->cbegin(), text->cend(), [](QChar c) { return c.category() == QChar::Other_Control; })) {
        r.fail(QStringLiteral("'%1' may not hold control characters (line breaks, tabs)").arg(key));
        return std::nullopt;
    }
    return text;
}
} // namespace

QJsonObject UpdateRoomParams::toJson() const
{
    QJsonObject json{{L1("room"), room}};
    if (title)
        json.insert(L1("title"), *title);
    if (topic)
        json.insert(L1("topic"), *topic);
    if (isPrivate)
        json.insert(L1("private"), *isPrivate);
    if (archived)
        json.insert(L1("archived"), *archived);
    if (!reason.isEmpty())
        json.insert(L1("reason"), reason);
    return json;
}

Parsed<UpdateRoomParams> UpdateRoomParams::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    UpdateRoomParams p;
    p.room = readRoomName(r);
    p.title = readSettingText(r, L1("title"), kMaxTitleLength);
    p.topic = readSettingText(r, L1("topic"), kMaxTopicLength);
    if (json.contains(L1("private")))
        p.isPrivate = r.boolean(L1("private"));
    if (json.contains(L1("archived")))
        p.archived = r.boolean(L1("archived"));
    p.reason = r.optionalString(L1("reason"), kMaxReasonLength).value_or(QString());
    if (r.ok() && !p.title && !p.topic && !p.isPrivate && !p.archived)
        r.fail(u"nothing to change: give 'title', 'topic', 'private' or 'archived'"_s);
    return finish(r, std::move(p));
}

QJsonObject DeleteRoomParams::toJson() const
{
    QJsonObject json{{L1("room"), room}, {L1("keep_history"), keepHistory}};
    if (!reason.isEmpty())
        json.insert(L1("reason"), reason);
    return json;
}

Parsed<DeleteRoomParams> DeleteRoomParams::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    DeleteRoomParams p;
    p.room = readRoomName(r);
    // Required: what happens to the history is the owner's choice, never a default.
    p.keepHistory = r.boolean(L1("keep_history"));
    p.reason = r.optionalString(L1("reason"), kMaxReasonLength).value_or(QString());
    return finish(r, std::move(p));
}

QJsonObject RoomDeletedEvent::toJson() const
{
    QJsonObject json{{L1("room"), room}, {L1("by"), by}, {L1("history_kept"), historyKept}};
    if (!reason.isEmpty())
        json.insert(L1("reason"), reason);
    return json;
}

Parsed<RoomDeletedEvent> RoomDeletedEvent::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    RoomDeletedEvent e;
    e.room = readRoomName(r);
    e.by = r.string(L1("by"), Names::kMaxUserNameLength);
    e.historyKept = r.boolean(L1("history_kept"));
    e.reason = r.optionalString(L1("reason"), kMaxReasonLength).value_or(QString());
    return finish(r, std::move(e));
}

// ---- Profiles (issue 12) ----

QJsonObject SetProfileParams::toJson() const
{
    return {{L1("display_name"), displayName.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(displayName)}};
}

Parsed<SetProfileParams> SetProfileParams::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    SetProfileParams p;
    if (!json.value(L1("display_name")).isNull()) { // absent or null: clear
        const QString text = r.optionalString(L1("display_name"), Identity::kMaxDisplayNameUnits).value_or(QString());
        if (r.ok()) {
            const Identity::Validated valid = Identity::validateDisplayName(text);
            if (valid.ok())
                p.displayName = valid.name;
            else
                r.fail(valid.error);
        }
    }
    return finish(r, std::move(p));
}

QJsonObject ProfileEvent::toJson() const
{
    return {{L1("user"), user},
            {L1("display_name"), displayName.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(displayName)},
            {L1("avatar"), avatar.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(avatar)}};
}

Parsed<ProfileEvent> ProfileEvent::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    ProfileEvent e;
    e.user = r.string(L1("user"), Names::kMaxUserNameLength);
    e.displayName = readShownDisplayName(r, json);
    e.avatar = readAvatar(r, json);
    return finish(r, std::move(e));
}

QJsonObject AdminChangedEvent::toJson() const { return {{L1("admin"), admin}, {L1("by"), by}}; }

Parsed<AdminChangedEvent> AdminChangedEvent::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    AdminChangedEvent e;
    e.admin = r.boolean(L1("admin"));
    e.by = r.string(L1("by"), Names::kMaxUserNameLength);
    return finish(r, std::move(e));
}

QString describe(const ChatMessage &m)
{
    QString text = QStringLiteral("%1#%2 <%3> %4 [%5]").arg(m.room).arg(m.seq).arg(m.sender, m.text, m.clientMsgId);
    if (!m.isText())
        text += QStringLiteral(" %1 of #%2").arg(messageKindName(m.kind)).arg(m.target);
    if (m.replyTo)
        text += QStringLiteral(" reply to #%1").arg(m.replyTo);
    for (const Reaction &reaction : m.reactions)
        text += QStringLiteral(" %1×%2").arg(reaction.reaction).arg(reaction.users.size());
    if (m.writtenAt)
        text += QStringLiteral(" written %1 ms before").arg(m.timestamp - m.writtenAt);
    if (m.deleted)
        text += QStringLiteral(" (deleted)");
    else if (m.editSeq)
        text += QStringLiteral(" (edited by #%1)").arg(m.editSeq);
    return text;
}

QString describe(const Error &error)
{
    return errorCodeName(error.code) + QStringLiteral(": ") + error.message;
}

} // namespace Tertulia::Protocol
