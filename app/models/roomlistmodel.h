#pragma once

#include <QtCore/QAbstractListModel>
#include <QtCore/QPointer>

namespace Tertulia {

class RoomDirectory;

/// One row per room the account can see: name, unread and mention counts, private flag, joined flag,
/// muted flag, members; direct conversations are rows too, titled (DisplayRole) with the other person's name.
class RoomListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoomListModel)

public:
    enum Roles {
        NameRole = Qt::UserRole + 1,
        UnreadCountRole,
        HasUnreadRole,   ///< for the bold/badge style
        PrivateRole,
        JoinedRole,
        MemberCountRole,
        CreatorRole,
        RoomObjectRole,  ///< the ChatRoom itself (QObject *)
        MentionCountRole, ///< unread mentions of us (the mention badge)
        MutedRole,
        DirectRole,      ///< a direct conversation (issue 12); DisplayRole is then the other person's name
        PeerRole,        ///< the other person of a direct conversation; empty for rooms
    };
    Q_ENUM(Roles)

    explicit RoomListModel(QObject *parent = nullptr);
    ~RoomListModel() override;

    /// Connects first, then shows what is already there; null empties the model.
    void setDirectory(RoomDirectory *directory);
    RoomDirectory *directory() const { return m_directory; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QPointer<RoomDirectory> m_directory;
};

} // namespace Tertulia
