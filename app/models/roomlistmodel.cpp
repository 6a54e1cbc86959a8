#include "app/models/roomlistmodel.h"

#include "app/session/chatroom.h"
#include "app/session/roomdirectory.h"

namespace Tertulia {

RoomListModel::RoomListModel(QObject *parent) : QAbstractListModel(parent) { }

RoomListModel::~RoomListModel() = default;

void RoomListModel::setDirectory(RoomDirectory *directory)
{
    beginResetModel();
    if (m_directory)
        m_directory->disconnect(this);
    m_directory = directory;
    if (m_directory) {
        connect(m_directory, &RoomDirectory::roomAboutToBeAdded, this, [this](int row) { beginInsertRows({}, row, row); });
        connect(m_directory, &RoomDirectory::roomAdded, this, &RoomListModel::endInsertRows);
        connect(m_directory, &RoomDirectory::roomAboutToBeRemoved, this, [this](int row) { beginRemoveRows({}, row, row); });
        connect(m_directory, &RoomDirectory::roomRemoved, this, &RoomListModel::endRemoveRows);
        connect(m_directory, &RoomDirectory::aboutToReset, this, &RoomListModel::beginResetModel);
        connect(m_directory, &RoomDirectory::reset, this, &RoomListModel::endResetModel);
        connect(m_directory, &RoomDirectory::roomChanged, this, [this](int row) {
            const QModelIndex changed = index(row);
            Q_EMIT dataChanged(changed, changed,
                               {Qt::DisplayRole, UnreadCountRole, HasUnreadRole, PrivateRole, JoinedRole,
                                MemberCountRole, CreatorRole, MentionCountRole, MutedRole, DirectRole, PeerRole});
        });
        connect(m_directory, &QObject::destroyed, this, [this] { setDirectory(nullptr); });
    }
    endResetModel();
}

int RoomListModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_directory)
        return 0;
    return m_directory->count();
}

QVariant RoomListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ChatRoom *room = m_directory->at(index.row());
    switch (role) {
    case Qt::DisplayRole: return room->displayName(); // the other person of a direct conversation; a renamed room's title
    case NameRole: return room->name();
    case DirectRole: return room->isDirect();
    case PeerRole: return room->peer();
    case UnreadCountRole: return room->unreadCount();
    case HasUnreadRole: return room->unreadCount() > 0;
    case PrivateRole: return room->isPrivate();
    case JoinedRole: return room->isJoined();
    case MemberCountRole: return room->memberCount();
    case CreatorRole: return room->creator();
    case MentionCountRole: return room->mentionCount();
    case MutedRole: return room->isMuted();
    case RoomObjectRole: return QVariant::fromValue(static_cast<QObject *>(m_directory->at(index.row())));
    default: return {};
    }
}

QHash<int, QByteArray> RoomListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(UnreadCountRole, "unreadCount");
    names.insert(HasUnreadRole, "hasUnread");
    names.insert(PrivateRole, "isPrivate");
    names.insert(JoinedRole, "joined");
    names.insert(MemberCountRole, "memberCount");
    names.insert(CreatorRole, "creator");
    names.insert(RoomObjectRole, "room");
    names.insert(MentionCountRole, "mentionCount");
    names.insert(MutedRole, "muted");
    names.insert(DirectRole, "direct");
    names.insert(PeerRole, "peer");
    return names;
}

} // namespace Tertulia
