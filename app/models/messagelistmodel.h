#pragma once

#include "app/models/roomboundmodel.h"

#include <QtCore/QSet>

#include <optional>

namespace Tertulia {

/// The timeline of the current room, one row per message: the server's messages in seq order,
/// then our pending ones. Switching rooms resets the model.
class MessageListModel final : public RoomBoundModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageListModel)

public:
    enum Roles {
        SenderRole = Qt::UserRole + 1,
        TextRole,
        TimestampRole,           ///< QDateTime, local time
        SeqRole,                 ///< 0 while the server has not assigned one
        ClientMsgIdRole,
        DeliveryRole,            ///< int(TimelineItem::Delivery): sending, sent, failed
        PendingRole,             ///< one of ours still in the outbox
        ErrorRole,               ///< why it failed
        OwnRole,                 ///< written by us
        /// Same sender as the row above, minutes apart, same day: no header. Never for a message sent long after
        /// it was written (WrittenRole): its header says both times.
        GroupedWithPreviousRole,
        DaySeparatorRole,        ///< the QDate when this row starts a new day, else an invalid QDate
        /// QDateTime (local) its sender wrote it, when the server received it more than a minute later (written
        /// offline: the message's `written_at`); invalid otherwise. TimestampRole stays the server's time.
        WrittenRole,
        EditedRole,              ///< QDateTime (local) of the current text when it was edited, else invalid
        DeletedRole,             ///< a tombstone: "This message was deleted" (TextRole is empty)
        /// The `@name` mentions of the room's members in TextRole (Mentions::find), a QVariantList of
        /// QVariantMaps: start, length (in TextRole), user (canonical), you (a mention of us).
        MentionsRole,
        MentionsYouRole,         ///< someone else's message that mentions us
        ReplyToRole,             ///< the seq of the message it replies to (qint64); 0: not a reply
        /// What a reply quotes, a QVariantMap (empty when not a reply): loaded (the original is in the loaded
        /// timeline), and when loaded: sender, excerpt (its first line, shortened), deleted.
        ReplyQuoteRole,
        /// Its reactions, a QVariantList of QVariantMaps: reaction, count, users (QStringList), mine (we gave it).
        ReactionsRole,
        /// The first unread message when the room was opened: a "New messages" line goes above it (bool).
        UnreadLineRole,
        /// Issue 12: the sender as people see them, their display name or their user name (SenderRole).
        SenderNameRole,
        /// The file the message carries (issue 12), a QVariantMap (empty when none): id, name, type, size, width,
        /// height, image (bool: shown inline). Qt::AccessibleTextRole then describes it ("image gato.png, 47 KiB").
        FileRole,
    };
    Q_ENUM(Roles)

    /// Consecutive messages of one sender this close together are drawn as one group.
    static constexpr qint64 kGroupingWindowMs = 5 * 60 * 1000;

    /// The quote's excerpt keeps at most this many characters of the original's first line.
    static constexpr int kExcerptLength = 120;
    /// The first line of a message, shortened to kExcerptLength (with an ellipsis), as a reply quotes it.
    static QString excerpt(const QString &text);
    /// What a screen reader says for a file: "image gato.png, 47 KiB" / "file notes.pdf, 1.2 MiB".
    static QString fileDescription(const QVariantMap &file);

    explicit MessageListModel(QObject *parent = nullptr);
    ~MessageListModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Where the read marker stood when the room was opened (0: nothing was unread): the row of the first
    /// message after it gets UnreadLineRole. It stays while the room is open, though reading moves the marker.
    void setUnreadAfter(qint64 seq);
    qint64 unreadAfter() const { return m_unreadAfter; }
    /// The row with the "New messages" line, or -1 (nothing was unread, or it is not loaded).
    int firstUnreadRow() const;

protected:
    void attach(ChatRoom &room) override;
    void detach() override { m_mentionable.reset(); }

private:
    void neighbourChanged(int row);
    /// The quotes of the replies to these rows' messages may have changed (loaded, edited, deleted).
    void quotesChanged();
    /// The canonical names of the room's members and ours: who can be mentioned (kept until they change:
    /// every row asks, on every paint).
    const QSet<QString> &mentionable() const;
    mutable std::optional<QSet<QString>> m_mentionable;
    qint64 m_unreadAfter = 0;
};

} // namespace Tertulia
