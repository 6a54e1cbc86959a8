#include "app/models/memberlistmodel.h"

#include "app/session/chatroom.h"

namespace Tertulia {

MemberListModel::MemberListModel(QObject *parent) : QAbstractListModel(parent) { }

MemberListModel::~MemberListModel() = default;

void MemberListModel::setRoom(ChatRoom *room)
{
    if (room == m_room)
        return;
    beginResetModel();
    if (m_room)
        m_room->disconnect(this);
    m_room = room;
    m_typing = m_room ? m_room->typingUsers() : QStringList();
    if (m_room) {
        connect(m_room, &ChatRoom::membersAboutToReset, this, &MemberListModel::beginResetModel);
        connect(m_room, &ChatRoom::membersReset, this, &MemberListModel::endResetModel);
        connect(m_room, &ChatRoom::memberAboutToInsert, this, [this](int row) { beginInsertRows({}, row, row); });
        connect(m_room, &ChatRoom::memberInserted, this, &MemberListModel::endInsertRows);
        connect(m_room, &ChatRoom::memberAboutToRemove, this, [this](int row) { beginRemoveRows({}, row, row); });
        connect(m_room, &ChatRoom::memberRemoved, this, &MemberListModel::endRemoveRows);
        connect(m_room, &ChatRoom::memberChanged, this, [this](int row) {
            const QModelIndex changed = index(row);
            Q_EMIT dataChanged(changed, changed, {PresenceRole, PresenceTextRole});
        });
        connect(m_room, &ChatRoom::typingUsersChanged, this, [this](const QStringList &users) {
            m_typing = users;
            if (rowCount() > 0)
                Q_EMIT dataChanged(index(0), index(rowCount() - 1), {TypingRole});
        });
        connect(m_room, &QObject::destroyed, this, [this] {
            beginResetModel();
            m_typing.clear();
            endResetModel();
        });
    }
    endResetModel();
}

int MemberListModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_room)
        return 0;
    return int(m_room->members().size());
}

QVariant MemberListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Protocol::Member member = m_room->members().at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case UserRole: return member.user;
    case PresenceRole: return int(member.status);
    case PresenceTextRole:
        switch (member.status) {
        case Protocol::PresenceStatus::Online: return tr("online");
        case Protocol::PresenceStatus::Away: return tr("away");
        case Protocol::PresenceStatus::Offline: return tr("offline");
        }
        return {};
    case TypingRole: return m_typing.contains(member.user, Qt::CaseInsensitive);
    default: return {};
    }
}

QHash<int, QByteArray> MemberListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(UserRole, "user");
    names.insert(PresenceRole, "presence");
    names.insert(PresenceTextRole, "presenceText");
    names.insert(TypingRole, "typing");
    return names;
}

} // namespace Tertulia
