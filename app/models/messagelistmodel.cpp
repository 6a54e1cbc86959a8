#include "app/models/messagelistmodel.h"

#include "app/session/chatroom.h"
#include "app/session/mentions.h"
#include "shared/names.h"

#include <QtCore/QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tertulia {

MessageListModel::MessageListModel(QObject *parent) : RoomBoundModel(parent) { }

MessageListModel::~MessageListModel() = default;

void MessageListModel::attach(ChatRoom &room)
{
    connect(&room, &ChatRoom::timelineAboutToInsert, this, [this](int first, int last) { beginInsertRows({}, first, last); });
    connect(&room, &ChatRoom::timelineInserted, this, [this](int, int last) {
        endInsertRows();
        neighbourChanged(last + 1);
        quotesChanged(); // an older page may hold the originals of replies below it
    });
    connect(&room, &ChatRoom::timelineAboutToRemove, this, [this](int first, int last) { beginRemoveRows({}, first, last); });
    connect(&room, &ChatRoom::timelineRemoved, this, [this](int first, int) {
        endRemoveRows();
        neighbourChanged(first);
    });
    connect(&room, &ChatRoom::timelineAboutToReset, this, &MessageListModel::beginResetModel);
    connect(&room, &ChatRoom::timelineReset, this, &MessageListModel::endResetModel);
    connect(&room, &ChatRoom::timelineItemChanged, this, [this](int row) {
        const QModelIndex changed = index(row);
        Q_EMIT dataChanged(changed, changed,
                           {SeqRole, DeliveryRole, PendingRole, ErrorRole, Qt::DisplayRole, TextRole, EditedRole,
                            DeletedRole, MentionsRole, MentionsYouRole, ReplyToRole, ReplyQuoteRole, ReactionsRole, FileRole});
        quotesChanged(); // replies quote the changed message as it is now
    });
    // Who can be mentioned changed: the highlights may change (a name becomes a member's).
    const auto mentionsChanged = [this] {
        m_mentionable.reset();
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0), index(rowCount() - 1), {MentionsRole, MentionsYouRole});
    };
    // Issue 12: a rename shows on every row at once (the sender's, and quotes of theirs).
    connect(&room, &ChatRoom::personRenamed, this, [this] {
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0), index(rowCount() - 1), {SenderNameRole, ReplyQuoteRole});
    });
    connect(&room, &ChatRoom::membersReset, this, mentionsChanged);
    connect(&room, &ChatRoom::memberInserted, this, mentionsChanged);
    connect(&room, &ChatRoom::memberRemoved, this, mentionsChanged);
}

const QSet<QString> &MessageListModel::mentionable() const
{
    if (!m_mentionable) {
        QSet<QString> names{Names::canonical(room()->ownUser())};
        for (const Protocol::Member &member : room()->members())
            names.insert(Names::canonical(member.user));
        m_mentionable = std::move(names);
    }
    return *m_mentionable;
}

QString MessageListModel::excerpt(const QString &text)
{
    QString line = text.section(u'\n', 0, 0).trimmed();
    if (line.size() > kExcerptLength) {
        qsizetype cut = kExcerptLength;
        if (line.at(cut - 1).isHighSurrogate()) // never split a character in two
            --cut;
        line = line.left(cut) + u'…';
    }
    return line;
}

void MessageListModel::quotesChanged()
{
    // Only replies show quotes; a room has few, and this runs on inserts and changes, not on paints.
    for (int row = 0; row < rowCount(); ++row) {
        if (room()->itemAt(row).replyTo > 0) {
            const QModelIndex changed = index(row);
            Q_EMIT dataChanged(changed, changed, {ReplyQuoteRole});
        }
    }
}

void MessageListModel::setUnreadAfter(qint64 seq)
{
    const int before = firstUnreadRow();
    m_unreadAfter = seq;
    const int after = firstUnreadRow();
    for (const int row : {before, after}) {
        if (row >= 0)
            Q_EMIT dataChanged(index(row), index(row), {UnreadLineRole});
    }
}

int MessageListModel::firstUnreadRow() const
{
    if (m_unreadAfter <= 0 || !room())
        return -1;
    // The first stored message after the marker, from the end: what is unread is among the newest rows.
    int found = -1;
    for (int row = rowCount() - 1; row >= 0; --row) {
        const qint64 seq = room()->itemAt(row).seq;
        if (seq == 0)
            continue; // ours, not stored yet
        if (seq <= m_unreadAfter)
            break;
        found = row;
    }
    return found;
}

void MessageListModel::neighbourChanged(int row)
{
    // The grouping and day hints of a row depend on the row above it.
    if (row < 0 || row >= rowCount())
        return;
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed, {GroupedWithPreviousRole, DaySeparatorRole});
}

int MessageListModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !room())
        return 0;
    return room()->timelineCount();
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TimelineItem item = room()->itemAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TextRole: return item.text;
    case FileRole: {
        if (!item.file)
            return QVariantMap();
        const Protocol::FileInfo &file = *item.file;
        return QVariantMap{{u"id"_s, file.id},         {u"name"_s, file.name},     {u"type"_s, file.type},
                           {u"size"_s, file.size},     {u"width"_s, file.width},   {u"height"_s, file.height},
                           {u"image"_s, file.isImage() && file.width > 0 && file.height > 0}};
    }
    case Qt::AccessibleTextRole: {
        if (!item.file)
            return item.text;
        const QString file = fileDescription(data(index, FileRole).toMap());
        return item.text.isEmpty() ? file : file + u": "_s + item.text;
    }
    case SenderRole: return item.sender;
    case SenderNameRole: return room()->shownName(item.sender);
    case TimestampRole: return item.time.toLocalTime();
    case SeqRole: return item.seq;
    case WrittenRole: return item.writtenAt.isValid() ? QVariant(item.writtenAt.toLocalTime()) : QVariant();
    case ClientMsgIdRole: return item.clientMsgId;
    case DeliveryRole: return int(item.delivery);
    case PendingRole: return item.pending;
    case ErrorRole: return item.error;
    case EditedRole: return item.editedAt.isValid() ? QVariant(item.editedAt.toLocalTime()) : QVariant();
    case DeletedRole: return item.deleted;
    case MentionsRole: {
        QVariantList mentions;
        if (item.deleted)
            return mentions;
        const QString own = Names::canonical(room()->ownUser());
        for (const Mentions::Mention &mention : Mentions::find(item.text, mentionable())) {
            mentions.append(QVariantMap{{u"start"_s, mention.start},
                                        {u"length"_s, mention.length},
                                        {u"user"_s, mention.user},
                                        {u"you"_s, mention.user == own}});
        }
        return mentions;
    }
    case MentionsYouRole:
        return !item.deleted && !item.pending && Names::canonical(item.sender) != Names::canonical(room()->ownUser())
               && Mentions::mentions(item.text, room()->ownUser());
    case ReplyToRole: return item.replyTo;
    case ReplyQuoteRole: {
        if (item.replyTo <= 0)
            return QVariantMap();
        const auto original = room()->message(item.replyTo);
        if (!original)
            return QVariantMap{{u"loaded"_s, false}};
        return QVariantMap{{u"loaded"_s, true},
                           {u"sender"_s, room()->shownName(original->sender)},
                           {u"excerpt"_s, original->deleted ? QString() : excerpt(original->text)},
                           {u"deleted"_s, original->deleted}};
    }
    case ReactionsRole: {
        QVariantList reactions;
        const QString own = Names::canonical(room()->ownUser());
        for (const Protocol::Reaction &reaction : item.reactions) {
            const bool mine = std::any_of(reaction.users.cbegin(), reaction.users.cend(),
                                          [&own](const QString &user) { return Names::canonical(user) == own; });
            reactions.append(QVariantMap{{u"reaction"_s, reaction.reaction},
                                         {u"count"_s, int(reaction.users.size())},
                                         {u"users"_s, reaction.users},
                                         {u"mine"_s, mine}});
        }
        return reactions;
    }
    case OwnRole: return item.pending || Names::canonical(item.sender) == Names::canonical(room()->ownUser());
    case GroupedWithPreviousRole: {
        if (index.row() == 0 || item.writtenAt.isValid())
            return false;
        const TimelineItem previous = room()->itemAt(index.row() - 1);
        return Names::canonical(previous.sender) == Names::canonical(item.sender)
               && previous.time.toLocalTime().date() == item.time.toLocalTime().date()
               && previous.time.msecsTo(item.time) < kGroupingWindowMs;
    }
    case UnreadLineRole: return index.row() == firstUnreadRow();
    case DaySeparatorRole: {
        const QDate day = item.time.toLocalTime().date();
        if (index.row() == 0)
            return day;
        const QDate previous = room()->itemAt(index.row() - 1).time.toLocalTime().date();
        return previous == day ? QDate() : day;
    }
    default: return {};
    }
}

QString MessageListModel::fileDescription(const QVariantMap &file)
{
    const QString size = QLocale().formattedDataSize(file.value(u"size"_s).toLongLong(), 1,
                                                     QLocale::DataSizeTraditionalFormat);
    const QString name = file.value(u"name"_s).toString();
    return file.value(u"image"_s).toBool() ? tr("image %1, %2").arg(name, size) : tr("file %1, %2").arg(name, size);
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    QHash<int, QByteArray> names = RoomBoundModel::roleNames();
    names.insert(SenderRole, "sender");
    names.insert(SenderNameRole, "senderName");
    names.insert(TextRole, "text");
    names.insert(TimestampRole, "timestamp");
    names.insert(SeqRole, "seq");
    names.insert(ClientMsgIdRole, "clientMsgId");
    names.insert(DeliveryRole, "delivery");
    names.insert(PendingRole, "pending");
    names.insert(ErrorRole, "error");
    names.insert(OwnRole, "own");
    names.insert(GroupedWithPreviousRole, "groupedWithPrevious");
    names.insert(DaySeparatorRole, "daySeparator");
    names.insert(WrittenRole, "written");
    names.insert(EditedRole, "edited");
    names.insert(DeletedRole, "deleted");
    names.insert(MentionsRole, "mentions");
    names.insert(MentionsYouRole, "mentionsYou");
    names.insert(ReplyToRole, "replyTo");
    names.insert(ReplyQuoteRole, "replyQuote");
    names.insert(ReactionsRole, "reactions");
    names.insert(UnreadLineRole, "unreadLine");
    names.insert(FileRole, "file");
    return names;
}

} // namespace Tertulia
