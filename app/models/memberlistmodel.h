#pragma once

#include <QtCore/QAbstractListModel>
#include <QtCore/QPointer>

namespace Tertulia {

class ChatRoom;

/// The members of the current room with their presence and whether they are typing.
class MemberListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MemberListModel)

public:
    enum Roles {
        UserRole = Qt::UserRole + 1,
        PresenceRole,     ///< int(Protocol::PresenceStatus)
        PresenceTextRole, ///< "online", "away", "offline", translated
        TypingRole,
    };
    Q_ENUM(Roles)

    explicit MemberListModel(QObject *parent = nullptr);
    ~MemberListModel() override;

    void setRoom(ChatRoom *room);
    ChatRoom *room() const { return m_room; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QPointer<ChatRoom> m_room;
    QStringList m_typing;
};

} // namespace Tertulia
