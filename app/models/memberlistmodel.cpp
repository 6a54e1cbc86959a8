#include "app/models/memberlistmodel.h"

#include "app/session/chatroom.h"
#include "shared/identity.h"

namespace Tertulia {

MemberListModel::MemberListModel(QObject *parent) : RoomBoundModel(parent) { }

MemberListModel::~MemberListModel() = default;

void MemberListModel::attach(ChatRoom &room)
{
    m_typing = room.typingUsers();
    connect(&room, &ChatRoom::membersAboutToReset, this, &MemberListModel::beginResetModel);
    connect(&room, &ChatRoom::membersReset, this, &MemberListModel::endResetModel);
    connect(&room, &ChatRoom::memberAboutToInsert, this, [this](int row) { beginInsertRows({}, row, row); });
    connect(&room, &ChatRoom::memberInserted, this, &MemberListModel::endInsertRows);
    connect(&room, &ChatRoom::memberAboutToRemove, this, [this](int row) { beginRemoveRows({}, row, row); });
    connect(&room, &ChatRoom::memberRemoved, this, &MemberListModel::endRemoveRows);
    connect(&room, &ChatRoom::memberChanged, this, [this](int row) {
        const QModelIndex changed = index(row);
        Q_EMIT dataChanged(changed, changed); // presence, role or mute
    });
    connect(&room, &ChatRoom::typingUsersChanged, this, [this](const QStringList &users) {
        m_typing = users;
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0), index(rowCount() - 1), {TypingRole});
    });
}

int MemberListModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !room())
        return 0;
    return int(room()->members().size());
}

QVariant MemberListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Protocol::Member member = room()->members().at(index.row());
    switch (role) {
    // Issue 12: people by their display name; the user name stays in the tooltip and the secondary text, so
    // someone who takes another's display name is still told apart.
    case Qt::DisplayRole: return Identity::shownName(member.user, member.displayName);
    case Qt::ToolTipRole:
        return member.displayName.isEmpty() ? member.user : tr("%1 (user name: %2)").arg(member.displayName, member.user);
    case UserRole: return member.user;
    case DisplayNameRole: return member.displayName;
    case PresenceRole: return int(member.status);
    case PresenceTextRole:
        switch (member.status) {
        case Protocol::PresenceStatus::Online: return tr("online");
        case Protocol::PresenceStatus::Away: return tr("away");
        case Protocol::PresenceStatus::Offline: return tr("offline");
        }
        return {};
    case TypingRole: return m_typing.contains(room()->shownName(member.user), Qt::CaseInsensitive);
    case RoleRole: return int(member.role);
    case RoleTextRole:
        switch (member.role) {
        case Protocol::Role::Owner: return tr("owner");
        case Protocol::Role::Moderator: return tr("moderator");
        case Protocol::Role::Member: return QString();
        }
        return {};
    case MutedRole: return member.muted;
    default: return {};
    }
}

QHash<int, QByteArray> MemberListModel::roleNames() const
{
    QHash<int, QByteArray> names = RoomBoundModel::roleNames();
    names.insert(UserRole, "user");
    names.insert(PresenceRole, "presence");
    names.insert(PresenceTextRole, "presenceText");
    names.insert(TypingRole, "typing");
    names.insert(RoleRole, "role");
    names.insert(RoleTextRole, "roleText");
    names.insert(MutedRole, "muted");
    names.insert(DisplayNameRole, "displayName");
    return names;
}

} // namespace Tertulia
