#pragma once

#include "app/models/roomboundmodel.h"

#include <QtCore/QStringList>

namespace Tertulia {

/// The members of the current room with their presence, role, whether they are muted and whether they are typing.
class MemberListModel final : public RoomBoundModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MemberListModel)

public:
    enum Roles {
        UserRole = Qt::UserRole + 1,
        PresenceRole,     ///< int(Protocol::PresenceStatus)
        PresenceTextRole, ///< "online", "away", "offline", translated
        TypingRole,
        RoleRole,         ///< int(Protocol::Role)
        RoleTextRole,     ///< "owner", "moderator", translated; empty for a member
        MutedRole,        ///< a moderator muted them here
        DisplayNameRole,  ///< issue 12: their display name; empty when none (Qt::DisplayRole shows the user name)
    };
    Q_ENUM(Roles)

    explicit MemberListModel(QObject *parent = nullptr);
    ~MemberListModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

protected:
    void attach(ChatRoom &room) override;
    void detach() override { m_typing.clear(); }

private:
    QStringList m_typing;
};

} // namespace Tertulia
