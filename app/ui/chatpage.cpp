#include "app/ui/chatpage.h"

#include "app/models/memberlistmodel.h"
#include "app/models/messagelistmodel.h"
#include "app/models/roomlistmodel.h"
#include "app/session/markdownlite.h"
#include "app/session/roomdirectory.h" // roomlistmodel.h needs the complete type
#include "app/session/chatclient.h"
#include "app/session/chatfiles.h"
#include "app/session/chatroom.h"
#include "app/ui/appearance.h"
#include "app/ui/avatar.h"
#include "app/ui/avatarpictures.h"
#include "app/ui/composer.h"
#include "app/ui/emojipicker.h"
#include "app/ui/filethumbnails.h"
#include "app/ui/fileviewer.h"
#include "app/ui/composeredit.h"
#include "app/ui/connectionbanner.h"
#include "app/ui/icons.h"
#include "app/ui/messageview.h"
#include "app/ui/moderationdialog.h"
#include "app/session/connectionmanager.h"
#include "app/session/moderation.h"
#include "app/ui/preferences.h"
#include "app/ui/presentationmodel.h"
#include "app/ui/roomdelegate.h"
#include "app/ui/roomdialog.h"
#include "app/ui/uitext.h"
#include "shared/names.h"

#include <QtCore/QDir>
#include <QtCore/QEvent>
#include <QtCore/QMimeData>
#include <QtCore/QTimer>
#include <QtGui/QDragEnterEvent>
#include <QtGui/QDropEvent>
#include <QtGui/QIcon>
#include <QtGui/QKeyEvent>
#include <QtGui/QPainter>
#include <QtGui/QPixmapCache>
#include <QtWidgets/QBoxLayout>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QLabel>
#include <QtGui/QAction>
#include <QtWidgets/QListView>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QStackedWidget>
#include <QtWidgets/QToolButton>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
enum CentrePage { TimelinePage, NotJoinedPage, WelcomePage };

QLabel *sectionTitle(QWidget *parent)
{
    auto *label = new QLabel(parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    label->setContentsMargins(8, 6, 8, 2);
    return label;
}

QWidget *centred(QLabel *text, const QList<QPushButton *> &buttons)
{
    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);
    layout->addStretch(1);
    text->setAlignment(Qt::AlignCenter);
    text->setWordWrap(true);
    layout->addWidget(text);
    auto *row = new QHBoxLayout;
    row->addStretch(1);
    for (QPushButton *button : buttons)
        row->addWidget(button);
    row->addStretch(1);
    layout->addLayout(row);
    layout->addStretch(2);
    return page;
}

/// Issue 12: a member's avatar (their picture once loaded, else the generated one) with their presence dot on
/// its lower right corner (the dot's shape tells presence apart without colour), painted once per key
/// (QPixmapCache).
QPixmap memberAvatar(const QString &user, const QString &shown, Protocol::PresenceStatus presence, int size,
                     qreal dpr, bool dark, const Avatar::Picture &picture)
{
    const QString key = u"tertulia-member-avatar/%1/%2/%3/%4/%5/%6/%7"_s.arg(Names::canonical(user), shown)
                            .arg(int(presence))
                            .arg(size)
                            .arg(dpr)
                            .arg(dark ? 1 : 0)
                            .arg(picture.isNull() ? QString() : picture.version);
    QPixmap composed;
    if (QPixmapCache::find(key, &composed))
        return composed;
    composed = Avatar::pixmap(user, shown, size, dpr, dark, picture);
    QPainter painter(&composed);
    const int dot = std::max(8, size * 9 / 20);
    painter.drawPixmap(QRect(size - dot, size - dot, dot, dot), Icons::presence(presence).pixmap(QSize(dot, dot), dpr));
    painter.end();
    QPixmapCache::insert(key, composed);
    return composed;
}
} // namespace

ChatPage::ChatPage(ChatClient &client, Preferences &preferences, QWidget *parent)
    : QWidget(parent), m_client(client), m_preferences(preferences), m_banner(new ConnectionBanner(client, this)),
      m_keychainBar(new QWidget(this)), m_keychainText(new QLabel), m_keychainClose(new QToolButton),
      m_splitter(new QSplitter(Qt::Horizontal, this)), m_roomsTitle(sectionTitle(this)), m_rooms(new QListView),
      m_newRoom(new QPushButton), m_joinRoom(new QPushButton), m_roomName(new QLabel), m_roomLock(new QLabel),
      m_roomInfo(new QLabel), m_invite(new QPushButton), m_mute(new QToolButton), m_muteAction(new QAction(this)),
      m_settingsAction(new QAction(this)), m_topic(new QLabel),
      m_notice(new QLabel), m_noticeTimer(new QTimer(this)),
      m_centre(new QStackedWidget), m_olderStatus(new QLabel),
      m_messages(new MessageView), m_typing(new QLabel), m_mutedText(new QLabel), m_composer(new Composer(client)),
      m_notJoinedText(new QLabel), m_join(new QPushButton), m_welcomeText(new QLabel),
      m_welcomeCreate(new QPushButton), m_welcomeJoin(new QPushButton), m_membersTitle(sectionTitle(this)),
      m_members(new QListView)
{
    // ---- models with the window's presentation on top ----
    m_roomsModel = new PresentationModel(
        [](const QModelIndex &source, int role) -> std::optional<QVariant> {
            if (role != Qt::AccessibleTextRole && role != Qt::ToolTipRole)
                return std::nullopt;
            QStringList parts{source.data(Qt::DisplayRole).toString()};
            const bool direct = source.data(RoomListModel::DirectRole).toBool();
            if (direct)
                parts << tr("direct message");
            // A renamed room: its address too (what links and /join use).
            else if (const QString name = source.data(RoomListModel::NameRole).toString(); name != parts.constFirst())
                parts << u"#"_s + name;
            if (!direct && source.data(RoomListModel::PrivateRole).toBool())
                parts << tr("private");
            if (!source.data(RoomListModel::JoinedRole).toBool())
                parts << tr("not joined");
            else if (const int unread = source.data(RoomListModel::UnreadCountRole).toInt(); unread > 0)
                parts << tr("%1 unread").arg(unread);
            if (const int mentions = source.data(RoomListModel::MentionCountRole).toInt(); mentions > 0)
                parts << tr("mentions of you: %1").arg(mentions);
            if (source.data(RoomListModel::MutedRole).toBool())
                parts << tr("muted");
            parts << tr("members: %1").arg(source.data(RoomListModel::MemberCountRole).toInt());
            return parts.join(u", "_s);
        },
        this);
    m_roomsModel->setSourceModel(m_client.roomListModel());
    m_membersModel = new PresentationModel(
        [this](const QModelIndex &source, int role) -> std::optional<QVariant> {
            const QString user = source.data(MemberListModel::UserRole).toString();
            const bool typing = source.data(MemberListModel::TypingRole).toBool();
            const auto presence = Protocol::PresenceStatus(source.data(MemberListModel::PresenceRole).toInt());
            const bool self = Names::canonical(user) == Names::canonical(m_client.user());
            switch (role) {
            case Qt::DisplayRole: {
                // Issue 12: the display name, with the user name beside it (two people may pick one name).
                const QString displayName = source.data(MemberListModel::DisplayNameRole).toString();
                const QString name = displayName.isEmpty() ? user : tr("%1 (@%2)").arg(displayName, user);
                QString shown = typing ? tr("%1 (typing…)").arg(name) : self ? tr("%1 (you)").arg(name) : name;
                // The role badge: who may moderate here.
                if (const QString badge = source.data(MemberListModel::RoleTextRole).toString(); !badge.isEmpty())
                    shown = tr("%1 · %2").arg(shown, badge);
                if (source.data(MemberListModel::MutedRole).toBool())
                    shown = tr("%1 · muted").arg(shown);
                return shown;
            }
            case Qt::DecorationRole: // issue 12: the generated avatar, with the presence dot on its corner
                return QIcon(memberAvatar(user, source.data(Qt::DisplayRole).toString(), presence,
                                          m_members->iconSize().height(), m_members->devicePixelRatioF(),
                                          Appearance::isDark(m_members->palette()),
                                          m_pictures ? m_pictures->picture(user) : Avatar::Picture{}));
            case Qt::ToolTipRole:
            case Qt::AccessibleTextRole: {
                const QString displayName = source.data(MemberListModel::DisplayNameRole).toString();
                const QString who = displayName.isEmpty() ? user : tr("%1 (user name: %2)").arg(displayName, user);
                QString text = tr("%1, %2").arg(who, source.data(MemberListModel::PresenceTextRole).toString());
                if (const QString badge = source.data(MemberListModel::RoleTextRole).toString(); !badge.isEmpty())
                    text += tr(", %1").arg(badge);
                if (source.data(MemberListModel::MutedRole).toBool())
                    text += tr(", muted");
                return text + (typing ? tr(", typing") : QString());
            }
            case Qt::ForegroundRole:
                if (presence == Protocol::PresenceStatus::Offline) {
                    const QPalette palette = m_members->palette();
                    return QBrush(Appearance::muted(palette));
                }
                return std::nullopt;
            default: return std::nullopt;
            }
        },
        this);
    m_membersModel->setSourceModel(m_client.memberModel());
    m_messagesModel = new PresentationModel(
        [](const QModelIndex &source, int role) -> std::optional<QVariant> {
            if (role != Qt::AccessibleTextRole)
                return std::nullopt;
            // What a screen reader says for a row: who, when, what, and how it is doing if it is ours.
            const QDateTime written = source.data(MessageListModel::WrittenRole).toDateTime();
            const QDateTime time =
                written.isValid() ? written : source.data(MessageListModel::TimestampRole).toDateTime();
            const bool deleted = source.data(MessageListModel::DeletedRole).toBool();
            QString text = tr("%1, %2: %3")
                               .arg(source.data(MessageListModel::SenderNameRole).toString(), UiText::dateTime(time),
                                    deleted ? tr("This message was deleted")
                                            // what is shown, without the Markdown markers
                                            : MarkdownLite::plainText(source.data(MessageListModel::TextRole).toString()));
            // Written offline and sent later: say both ("(Written 10:02, sent 10:15 when the connection returned)").
            if (written.isValid())
                text += u" ("_s + MessageDelegate::timeText(source) + u')';
            if (const QDateTime edited = source.data(MessageListModel::EditedRole).toDateTime(); edited.isValid())
                text += u' ' + tr("(edited %1)").arg(UiText::dateTime(edited));
            if (const QString quote = MessageDelegate::quoteText(source); !quote.isEmpty())
                text += u' ' + tr("(in reply to %1)").arg(quote);
            QStringList reactions;
            for (const QVariant &entry : source.data(MessageListModel::ReactionsRole).toList()) {
                const QVariantMap reaction = entry.toMap();
                reactions << u"%1 %2"_s.arg(reaction.value(u"reaction"_s).toString()).arg(reaction.value(u"count"_s).toInt());
            }
            if (!reactions.isEmpty())
                text += u' ' + tr("(reactions: %1)").arg(reactions.join(u", "_s));
            if (source.data(MessageListModel::PendingRole).toBool()) {
                switch (TimelineItem::Delivery(source.data(MessageListModel::DeliveryRole).toInt())) {
                case TimelineItem::Delivery::Sending: text += u' ' + tr("(sending)"); break;
                case TimelineItem::Delivery::Failed:
                    text += u' ' + tr("(not sent: %1)").arg(source.data(MessageListModel::ErrorRole).toString());
                    break;
                case TimelineItem::Delivery::Sent: break;
                }
            }
            return text;
        },
        this);
    m_messagesModel->setSourceModel(m_client.messageModel());

    // ---- left: rooms ----
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 6);
    leftLayout->setSpacing(4);
    leftLayout->addWidget(m_roomsTitle);
    m_rooms->setModel(m_roomsModel);
    m_rooms->setItemDelegate(new RoomDelegate(m_rooms));
    m_rooms->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_rooms->setSelectionMode(QAbstractItemView::SingleSelection);
    m_rooms->setFrameShape(QFrame::NoFrame);
    m_roomsTitle->setBuddy(m_rooms);
    leftLayout->addWidget(m_rooms, 1);
    auto *roomButtons = new QHBoxLayout;
    roomButtons->setContentsMargins(6, 0, 6, 0);
    roomButtons->addWidget(m_newRoom);
    roomButtons->addWidget(m_joinRoom);
    leftLayout->addLayout(roomButtons);

    // ---- centre: header, timeline, typing, composer ----
    auto *centre = new QWidget;
    auto *centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 6);
    centreLayout->setSpacing(4);
    auto *header = new QHBoxLayout;
    header->setContentsMargins(10, 6, 8, 2);
    QFont nameFont = m_roomName->font();
    nameFont.setBold(true);
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.25);
    m_roomName->setFont(nameFont);
    m_roomName->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_roomLock->setPixmap(Icons::lock().pixmap(QSize(16, 16), devicePixelRatioF()));
    header->addWidget(m_roomLock);
    header->addWidget(m_roomName);
    header->addWidget(m_roomInfo, 1);
    header->addWidget(m_invite);
    header->addWidget(m_mute);
    m_invite->setAutoDefault(false);
    m_muteAction->setCheckable(true);
    m_muteAction->setEnabled(false);
    m_mute->setDefaultAction(m_muteAction);
    m_mute->setAutoRaise(true);
    m_mute->setToolButtonStyle(Qt::ToolButtonTextOnly);
    // Out of the Tab chain like the status bar: the Room menu (and its Alt+U) reaches it from the keyboard.
    m_mute->setFocusPolicy(Qt::NoFocus);
    centreLayout->addLayout(header);
    // The topic, under the name: one line a moderator wrote (plain text: no links or markup run from it).
    m_topic->setWordWrap(true);
    m_topic->setTextFormat(Qt::PlainText);
    m_topic->setContentsMargins(12, 0, 8, 2);
    m_topic->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_topic->setVisible(false);
    centreLayout->addWidget(m_topic);
    m_settingsAction->setEnabled(false);
    connect(m_settingsAction, &QAction::triggered, this, [this] { openRoomSettings(); });
    m_notice->setWordWrap(true);
    m_notice->setContentsMargins(10, 4, 10, 4);
    m_notice->setAutoFillBackground(true);
    m_notice->setVisible(false);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    centreLayout->addWidget(m_notice);
    m_noticeTimer->setSingleShot(true);
    m_noticeTimer->setInterval(kNoticeMs);
    connect(m_noticeTimer, &QTimer::timeout, m_notice, &QLabel::hide);

    auto *timeline = new QWidget;
    auto *timelineLayout = new QVBoxLayout(timeline);
    timelineLayout->setContentsMargins(0, 0, 0, 0);
    timelineLayout->setSpacing(2);
    m_olderStatus->setAlignment(Qt::AlignCenter);
    m_olderStatus->setVisible(false);
    timelineLayout->addWidget(m_olderStatus);
    m_messages->setModel(m_messagesModel);
    timelineLayout->addWidget(m_messages, 1);
    m_typing->setContentsMargins(12, 0, 8, 0);
    QFont typingFont = m_typing->font();
    typingFont.setItalic(true);
    typingFont.setPointSizeF(typingFont.pointSizeF() * 0.9);
    m_typing->setFont(typingFont);
    m_typing->setMinimumHeight(QFontMetrics(typingFont).height());
    timelineLayout->addWidget(m_typing);
    m_mutedText->setContentsMargins(12, 2, 8, 2);
    m_mutedText->setWordWrap(true);
    m_mutedText->setVisible(false);
    timelineLayout->addWidget(m_mutedText);
    auto *composerBox = new QHBoxLayout;
    composerBox->setContentsMargins(8, 0, 8, 0);
    composerBox->addWidget(m_composer);
    timelineLayout->addLayout(composerBox);

    m_centre->insertWidget(TimelinePage, timeline);
    m_join->setAutoDefault(false);
    m_centre->insertWidget(NotJoinedPage, centred(m_notJoinedText, {m_join}));
    m_centre->insertWidget(WelcomePage, centred(m_welcomeText, {m_welcomeCreate, m_welcomeJoin}));
    m_centre->setCurrentIndex(WelcomePage);
    centreLayout->addWidget(m_centre, 1);

    // ---- right: members ----
    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 6);
    rightLayout->setSpacing(4);
    rightLayout->addWidget(m_membersTitle);
    m_members->setModel(m_membersModel);
    m_members->setIconSize(QSize(22, 22)); // issue 12: room for the avatars
    m_members->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_members->setSelectionMode(QAbstractItemView::SingleSelection);
    m_members->setFrameShape(QFrame::NoFrame);
    m_membersTitle->setBuddy(m_members);
    rightLayout->addWidget(m_members, 1);

    m_splitter->addWidget(left);
    m_splitter->addWidget(centre);
    m_splitter->addWidget(right);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 0);
    m_splitter->setSizes({220, 640, 190});
    m_splitter->setChildrenCollapsible(false);

    // ---- keychain notice ----
    auto *keychainLayout = new QHBoxLayout(m_keychainBar);
    keychainLayout->setContentsMargins(12, 4, 6, 4);
    m_keychainText->setWordWrap(true);
    keychainLayout->addWidget(m_keychainText, 1);
    keychainLayout->addWidget(m_keychainClose);
    m_keychainClose->setAutoRaise(true);
    m_keychainBar->setAutoFillBackground(true);
    m_keychainBar->setVisible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(m_keychainBar);
    layout->addWidget(m_splitter, 1);

    setTabOrder(m_rooms, m_newRoom);
    setTabOrder(m_newRoom, m_joinRoom);
    setTabOrder(m_joinRoom, m_invite);
    setTabOrder(m_invite, m_messages);
    setTabOrder(m_messages, m_composer->editor());
    setTabOrder(m_composer->editor(), m_composer->sendButton());
    setTabOrder(m_composer->sendButton(), m_members);
    // Escape in a list goes back to writing (the timeline also jumps to the newest message).
    connect(m_messages, &MessageView::leaveRequested, this, &ChatPage::focusComposer);
    m_rooms->installEventFilter(this);
    m_members->installEventFilter(this);
    m_rooms->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_rooms, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        // From the keyboard (Shift+F10, Menu) the point may be anywhere: the current room then.
        QModelIndex index = m_rooms->indexAt(pos);
        if (!index.isValid())
            index = m_rooms->currentIndex();
        if (index.isValid())
            showRoomMenu(index, m_rooms->viewport()->mapToGlobal(m_rooms->visualRect(index).center()));
    });
    m_members->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_members, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QModelIndex index = m_members->indexAt(pos);
        if (!index.isValid())
            index = m_members->currentIndex();
        if (index.isValid())
            showMemberMenu(index, m_members->viewport()->mapToGlobal(m_members->visualRect(index).center()));
    });
    connect(&m_client, &ChatClient::moderated, this, &ChatPage::onModerated);
    // Whether we are a server administrator comes with each hello, and with admin_changed while connected:
    // what we may delete follows it (the menus ask when they open).
    connect(&m_client, &ChatClient::serverAdminChanged, this, [this] {
        if (m_room)
            updateHeader();
    });
    connect(&m_client, &ChatClient::roomDeleted, this, [this](const Protocol::RoomDeletedEvent &event) {
        showNotice(event.historyKept ? tr("%1 deleted #%2. Its messages are kept for the server's administrators.")
                                           .arg(event.by, event.room)
                                     : tr("%1 deleted #%2 and its messages.").arg(event.by, event.room));
    });
    connect(m_muteAction, &QAction::triggered, this, [this](bool muted) {
        if (m_room)
            m_client.setRoomMuted(m_room->name(), muted);
    });

    // ---- behaviour ----
    connect(m_rooms->selectionModel(), &QItemSelectionModel::currentChanged, this, &ChatPage::onRoomSelected);
    connect(&m_client, &ChatClient::currentRoomChanged, this, &ChatPage::onCurrentRoomChanged);
    connect(&m_client, &ChatClient::synced, this, &ChatPage::chooseRoomAfterSync);
    connect(&m_client, &ChatClient::olderMessagesLoading, this, [this](ChatRoom *room, bool loading) {
        if (room == m_room)
            m_olderStatus->setVisible(loading);
        if (room == m_room && !loading && m_wantedOriginal) // a page came in: is the original there now?
            showOriginal(m_wantedOriginal);
    });
    connect(m_messages, &MessageView::olderMessagesWanted, this, [this] {
        if (m_room && m_room->isJoined() && m_room->hasOlder() && !m_client.isLoadingOlder(m_room->name()))
            m_client.loadOlderMessages(m_room->name());
    });
    connect(m_messages, &MessageView::retryRequested, this, [this](const QString &id) { m_client.retryMessage(id); });
    connect(m_messages, &MessageView::discardRequested, this, [this](const QString &id) { m_client.discardMessage(id); });
    connect(m_composer, &Composer::messageSent, m_messages, &MessageView::scrollToNewest);
    connect(m_messages, &MessageView::editRequested, this, [this](qint64 seq, const QString &text) {
        if (!m_composer->isEnabled())
            return;
        m_composer->startEditing(seq, text);
        focusComposer();
    });
    connect(m_messages, &MessageView::deleteRequested, this, &ChatPage::deleteMessage);
    connect(m_messages, &MessageView::replyRequested, this, [this](qint64 seq, const QString &sender, const QString &text) {
        if (!m_composer->isEnabled())
            return;
        m_composer->startReply(seq, sender, text);
        focusComposer();
    });
    connect(m_messages, &MessageView::reactionRequested, this, [this](qint64 seq, const QString &reaction, bool remove) {
        if (!m_room || !m_room->isJoined())
            return;
        // The chip changes when the server's entry arrives, as for everyone in the room.
        m_client.react(m_room->name(), seq, reaction, remove, this, [this](const std::optional<Protocol::Error> &error) {
            if (error)
                showNotice(UiText::reactionError(*error));
        });
    });
    connect(m_messages, &MessageView::originalWanted, this, [this](qint64 seq) {
        m_originalPages = 0;
        showOriginal(seq);
    });
    connect(m_composer, &Composer::changeFailed, this, &ChatPage::showNotice);
    // Files and images (issue 12): uploads from the composer (button, paste, drop), images inline in the timeline.
    m_files = new ChatFiles(m_client, this);
    m_thumbnails = new FileThumbnails(*m_files, this);
    m_composer->setFiles(m_files);
    m_messages->messageDelegate()->setThumbnails(m_thumbnails);
    // Avatar pictures (issue 12): in the timeline and the member list once loaded; tried again after a reconnect.
    m_pictures = new AvatarPictures(*m_files, *m_client.displayNames(), this);
    m_messages->messageDelegate()->setAvatarPictures(m_pictures);
    connect(m_pictures, &AvatarPictures::pictureChanged, m_members->viewport(), qOverload<>(&QWidget::update));
    connect(m_client.connection(), &ConnectionManager::stateChanged, m_pictures, [this](ConnectionManager::State state) {
        if (state == ConnectionManager::State::Connected)
            m_pictures->retryFailed();
    });
    connect(m_messages->messageDelegate(), &MessageDelegate::fileActivated, this, &ChatPage::openFile);
    connect(m_files, &ChatFiles::uploaded, m_messages, &MessageView::scrollToNewest);
    setAcceptDrops(true);
    // The emoji chosen last come first in both pickers (the composer's and React ▸ More…), across restarts.
    for (EmojiPicker *picker : {m_composer->emojiPicker(), m_messages->reactionPicker()}) {
        picker->setRecent(m_preferences.recentEmoji());
        connect(picker, &EmojiPicker::recentChanged, this, [this](const QStringList &recent) {
            m_preferences.setRecentEmoji(recent);
            m_composer->emojiPicker()->setRecent(recent);
            m_messages->reactionPicker()->setRecent(recent);
        });
    }
    // Scrolled up to read older messages, what arrives is not read yet (the view shows a marker).
    connect(m_messages, &MessageView::followingChanged, &m_client, &ChatClient::setFollowingNewest);
    connect(m_banner, &ConnectionBanner::signInAgainRequested, this, &ChatPage::signInAgainRequested);
    connect(m_banner, &ConnectionBanner::certificateReviewRequested, this, &ChatPage::certificateReviewRequested);
    connect(m_banner, &ConnectionBanner::otherServerRequested, this, &ChatPage::otherServerRequested);
    connect(m_newRoom, &QPushButton::clicked, this, &ChatPage::createRoom);
    connect(m_welcomeCreate, &QPushButton::clicked, this, &ChatPage::createRoom);
    connect(m_joinRoom, &QPushButton::clicked, this, [this] { joinRoom(); });
    connect(m_welcomeJoin, &QPushButton::clicked, this, [this] { joinRoom(); });
    connect(m_join, &QPushButton::clicked, this, [this] {
        if (m_room)
            joinRoom(m_room->name());
    });
    connect(m_invite, &QPushButton::clicked, this, &ChatPage::inviteToRoom);
    connect(m_keychainClose, &QToolButton::clicked, this, &ChatPage::hideKeychainNotice);
    connect(&m_client, &ChatClient::signedOut, this, &ChatPage::hideKeychainNotice);
    connect(&m_client, &ChatClient::signedOut, m_notice, &QLabel::hide);
    connect(&m_client, &ChatClient::signedOut, this, [this] {
        m_leftRooms.clear();
        m_removedRooms.clear();
    });
    connect(&m_client, &ChatClient::invited, this, [this](ChatRoom *room, const QString &by) {
        showNotice(tr("%1 invited you to the private room #%2. Open it in the room list to join.")
                       .arg(by, room->name()));
    });

    tintNotice();
    retranslate();
    onCurrentRoomChanged(m_client.currentRoom());
}

ChatPage::~ChatPage() = default;

bool ChatPage::eventFilter(QObject *watched, QEvent *event)
{
    if ((watched == m_rooms || watched == m_members) && event->type() == QEvent::KeyPress) {
        // Shift+F10 is the keyboard's context menu key on every desktop; Qt only maps it on Windows.
        const auto *key = static_cast<QKeyEvent *>(event);
        const bool menuKey = (key->key() == Qt::Key_F10 && key->modifiers() == Qt::ShiftModifier)
                             || key->key() == Qt::Key_Menu;
        auto *list = static_cast<QListView *>(watched);
        if (menuKey && list->currentIndex().isValid()) {
            const QModelIndex index = list->currentIndex();
            const QPoint at = list->viewport()->mapToGlobal(list->visualRect(index).center());
            if (list == m_rooms)
                showRoomMenu(index, at);
            else
                showMemberMenu(index, at);
            return true;
        }
    }
    if ((watched == m_rooms || watched == m_members) && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape && m_composer->isEnabled()) {
        focusComposer();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

bool ChatPage::jumpToFirstUnread()
{
    const int row = m_client.messageModel()->firstUnreadRow();
    if (row < 0)
        return false;
    const QModelIndex index = m_messagesModel->mapFromSource(m_client.messageModel()->index(row));
    m_messages->setCurrentIndex(index);
    m_messages->scrollTo(index, QAbstractItemView::PositionAtTop);
    return true;
}

void ChatPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
    } else if (event->type() == QEvent::PaletteChange) {
        tintNotice();
    } else if (event->type() == QEvent::ActivationChange && !isActiveWindow()) {
        m_client.flushReadMarkers(); // the person's other devices are up to date when they turn to them
    }
    QWidget::changeEvent(event);
}

void ChatPage::tintNotice()
{
    m_keychainBar->setPalette(Appearance::tinted(palette(), QColor(0x2f, 0x7d, 0xc9), 0.18));
    m_notice->setPalette(Appearance::tinted(palette(), QColor(0x2e, 0x9d, 0x5b), 0.18));
}

void ChatPage::showNotice(const QString &text)
{
    m_notice->setText(text);
    m_notice->setAccessibleName(text);
    m_notice->setVisible(true);
    m_noticeTimer->start();
}

void ChatPage::retranslate()
{
    m_roomsTitle->setText(tr("R&ooms"));
    m_rooms->setAccessibleName(tr("Rooms"));
    m_newRoom->setText(tr("&New room…"));
    m_newRoom->setToolTip(tr("Create a room (Ctrl+N)"));
    m_joinRoom->setText(tr("&Join…"));
    m_joinRoom->setToolTip(tr("Join a room by name (Ctrl+J)"));
    m_membersTitle->setText(tr("&Members"));
    m_members->setAccessibleName(tr("Members"));
    m_olderStatus->setText(tr("Loading older messages…"));
    m_invite->setText(tr("&Invite…"));
    m_invite->setToolTip(tr("Invite someone to this private room"));
    m_muteAction->setText(tr("M&ute this room"));
    m_muteAction->setToolTip(tr("Notify only when someone mentions you; the room still counts what is unread"));
    m_settingsAction->setText(tr("Room se&ttings…"));
    m_join->setText(tr("Join &this room"));
    m_welcomeText->setText(tr("Pick a room on the left, or create one to start talking."));
    m_welcomeCreate->setText(tr("Create a room"));
    m_welcomeJoin->setText(tr("Join a room…"));
    m_keychainClose->setText(tr("Dismiss"));
    m_keychainClose->setAccessibleName(tr("Dismiss the keychain notice"));
    m_typing->setAccessibleName(tr("Who is typing"));
    updateHeader();
    updateTyping();
}

QString ChatPage::accountKey() const
{
    return m_client.isSignedIn() ? m_client.server().id() + u'/' + Names::canonical(m_client.user()) : QString();
}

void ChatPage::showKeychainNotice(const QString &message)
{
    m_keychainText->setText(message);
    m_keychainText->setAccessibleName(message);
    m_keychainBar->setVisible(true);
}

void ChatPage::hideKeychainNotice() { m_keychainBar->setVisible(false); }

void ChatPage::onRoomSelected(const QModelIndex &index)
{
    if (!index.isValid())
        return;
    m_client.setCurrentRoom(index.data(RoomListModel::NameRole).toString());
}

void ChatPage::onCurrentRoomChanged(ChatRoom *room)
{
    if (m_room)
        m_room->disconnect(this);
    m_room = room;
    m_wantedOriginal = 0; // an original belongs to its room
    if (room) {
        connect(room, &ChatRoom::typingUsersChanged, this, &ChatPage::updateTyping);
        connect(room, &ChatRoom::infoChanged, this, &ChatPage::updateHeader);
        connect(room, &ChatRoom::mutedChanged, this, &ChatPage::updateHeader);
        connect(room, &ChatRoom::silenceChanged, this, &ChatPage::updateHeader);
        connect(room, &ChatRoom::ownRoleChanged, this, &ChatPage::updateHeader);
        m_preferences.setLastRoom(accountKey(), room->name());
        // Keep the list's selection in step when the room changed from elsewhere (a notification).
        const QModelIndexList match = m_roomsModel->match(m_roomsModel->index(0, 0), RoomListModel::NameRole,
                                                          room->name(), 1, Qt::MatchFixedString);
        if (!match.isEmpty() && m_rooms->currentIndex() != match.first())
            m_rooms->setCurrentIndex(match.first());
    } else {
        m_rooms->clearSelection();
    }
    m_olderStatus->setVisible(room && m_client.isLoadingOlder(room->name()));
    m_composer->setRoom(room && room->isJoined() ? room->name() : QString());
    updateHeader();
    updateTyping();
    if (room && room->isJoined())
        m_messages->scrollToNewest();
}

void ChatPage::updateHeader()
{
    if (!m_room) {
        m_roomName->setText(m_client.isSignedIn() ? tr("No room selected") : QString());
        m_roomLock->setVisible(false);
        m_roomInfo->clear();
        m_invite->setVisible(false);
        m_mute->setVisible(false);
        m_muteAction->setEnabled(false);
        m_muteAction->setChecked(false);
        m_settingsAction->setEnabled(false);
        m_topic->setVisible(false);
        m_centre->setCurrentIndex(WelcomePage);
        m_composer->setEnabled(false);
        m_messages->setCanDeleteOf({});
        updateMuted();
        return;
    }
    // A renamed room shows its name; its address (what links and /join use) is in the tooltip.
    const bool renamed = !m_room->isDirect() && !m_room->title().isEmpty();
    m_roomName->setText(renamed ? m_room->title() : m_room->label());
    m_roomName->setToolTip(renamed ? tr("Address: #%1").arg(m_room->name()) : QString());
    m_topic->setText(m_room->topic());
    m_topic->setVisible(!m_room->topic().isEmpty());
    m_roomLock->setVisible(m_room->isPrivate() && !m_room->isDirect());
    m_roomLock->setToolTip(tr("Private room: only invited people can join"));
    m_roomLock->setAccessibleName(tr("Private room"));
    QStringList info;
    if (m_room->isDirect())
        info << tr("direct message with %1").arg(m_room->peer());
    else if (m_room->isPrivate())
        info << tr("private");
    if (m_room->isArchived())
        info << tr("archived");
    if (!m_room->isDirect())
        info << tr("members: %1").arg(m_room->memberCount());
    if (!m_room->creator().isEmpty() && !m_room->isDirect())
        info << tr("created by %1").arg(m_room->creator());
    m_invite->setVisible(m_room->isPrivate() && !m_room->isDirect() && m_room->isJoined()
                         && Names::canonical(m_room->creator()) == Names::canonical(m_client.user()));
    const bool joined = m_room->isJoined();
    m_mute->setVisible(joined);
    m_muteAction->setEnabled(joined);
    m_muteAction->setChecked(m_room->isMuted());
    m_settingsAction->setEnabled(joined);
    if (m_room->isMuted())
        info << tr("muted");
    m_roomInfo->setText(u"  "_s + info.join(u" · "_s));
    const QString key = Names::canonical(m_room->name());
    if (m_removedRooms.contains(key))
        m_notJoinedText->setText(m_removedRooms.value(key));
    else
        m_notJoinedText->setText(m_leftRooms.contains(key)
                                     ? tr("You left #%1. Join it again to read and write messages.").arg(m_room->name())
                                     : tr("You are not in #%1 yet. Join it to read and write messages.").arg(m_room->name()));
    m_centre->setCurrentIndex(joined ? TimelinePage : NotJoinedPage);
    m_composer->setEnabled(joined && !m_room->silence() && !m_room->isArchived());
    if (joined && canDeleteAnyMessage(standingOf(m_room->ownRole(), m_client.isServerAdmin()))) {
        // As the server rules: only messages of people below us (a moderator's not the owner's; a server
        // administrator's of everyone).
        m_messages->setCanDeleteOf([room = m_room, admin = m_client.isServerAdmin()](const QString &sender) {
            return room && canDeleteMessageOf(standingOf(room->ownRole(), admin), room->roleOf(sender));
        });
    } else {
        m_messages->setCanDeleteOf({});
    }
    updateMuted();
    m_composer->setRoom(joined ? m_room->name() : QString());
}

void ChatPage::showRoomMenu(const QModelIndex &index, const QPoint &globalPos)
{
    if (m_roomMenu)
        m_roomMenu->close();
    const QString name = index.data(RoomListModel::NameRole).toString();
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    QAction *mute = menu->addAction(tr("&Mute notifications"));
    mute->setCheckable(true);
    mute->setChecked(index.data(RoomListModel::MutedRole).toBool());
    mute->setEnabled(index.data(RoomListModel::JoinedRole).toBool());
    connect(mute, &QAction::triggered, this, [this, name](bool muted) { m_client.setRoomMuted(name, muted); });
    QAction *read = menu->addAction(tr("Mark as &read"));
    read->setEnabled(index.data(RoomListModel::UnreadCountRole).toInt() > 0);
    connect(read, &QAction::triggered, this, [this, name] {
        if (ChatRoom *room = m_client.rooms()->find(name))
            room->markRead();
    });
    // A direct conversation has no settings: it is between its two people only.
    if (const ChatRoom *room = m_client.rooms()->find(name); !room || !room->isDirect()) {
        QAction *settings = menu->addAction(tr("Room se&ttings…"));
        settings->setEnabled(index.data(RoomListModel::JoinedRole).toBool());
        connect(settings, &QAction::triggered, this, [this, name] { openRoomSettings(name); });
    }
    // A banned user is not in the member list: owners and moderators see every ban and mute here, and lift them.
    if (const ChatRoom *room = m_client.rooms()->find(name);
        room && room->isJoined() && canDeleteAnyMessage(standingOf(room->ownRole(), m_client.isServerAdmin()))) {
        menu->addSeparator();
        connect(menu->addAction(tr("&Bans and mutes…")), &QAction::triggered, this, [this, name] { showSanctions(name); });
    }
    m_roomMenu = menu;
    menu->popup(globalPos);
}

void ChatPage::updateMuted()
{
    // Archived: read-only for everyone, whatever else holds.
    if (m_room && m_room->isJoined() && m_room->isArchived()) {
        const QString text = tr("#%1 is archived: you can read and search it, but nobody can write in it until its "
                                "owner unarchives it.")
                                 .arg(m_room->name());
        m_mutedText->setText(text);
        m_mutedText->setAccessibleName(text);
        m_mutedText->setVisible(true);
        return;
    }
    const auto silence = m_room && m_room->isJoined() ? m_room->silence() : std::nullopt;
    if (!silence) {
        m_mutedText->setVisible(false);
        m_mutedText->clear();
        return;
    }
    QString text;
    const QString room = m_room->name();
    const QString until = silence->until.isValid() ? UiText::dateTime(silence->until.toLocalTime()) : QString();
    if (silence->by.isEmpty())
        text = until.isEmpty() ? tr("You are muted in #%1: you can read, but not write.").arg(room)
                               : tr("You are muted in #%1 until %2: you can read, but not write.").arg(room, until);
    else
        text = until.isEmpty()
                   ? tr("%1 muted you in #%2: you can read, but not write.").arg(silence->by, room)
                   : tr("%1 muted you in #%2 until %3: you can read, but not write.").arg(silence->by, room, until);
    if (!silence->reason.isEmpty())
        text += u' ' + tr("Reason: %1").arg(silence->reason);
    m_mutedText->setText(text);
    m_mutedText->setAccessibleName(text);
    m_mutedText->setVisible(true);
}

void ChatPage::onModerated(const QString &room, const Protocol::ModerationEvent &event)
{
    using Protocol::ModerationAction;
    const QString until = event.until > 0
                              ? UiText::dateTime(QDateTime::fromMSecsSinceEpoch(event.until).toLocalTime())
                              : QString();
    QString text;
    switch (event.action) {
    case ModerationAction::Removed:
        text = event.reason.isEmpty() ? tr("You were removed from #%1 by %2.").arg(room, event.by)
                                      : tr("You were removed from #%1 by %2: %3").arg(room, event.by, event.reason);
        m_removedRooms.insert(Names::canonical(room), text);
        break;
    case ModerationAction::Banned:
        if (until.isEmpty())
            text = event.reason.isEmpty() ? tr("You were banned from #%1 by %2.").arg(room, event.by)
                                          : tr("You were banned from #%1 by %2: %3").arg(room, event.by, event.reason);
        else
            text = event.reason.isEmpty()
                       ? tr("You were banned from #%1 by %2 until %3.").arg(room, event.by, until)
                       : tr("You were banned from #%1 by %2 until %3: %4").arg(room, event.by, until, event.reason);
        m_removedRooms.insert(Names::canonical(room), text);
        break;
    case ModerationAction::Unbanned:
        text = tr("%1 lifted your ban from #%2: you may join it again.").arg(event.by, room);
        m_removedRooms.remove(Names::canonical(room));
        break;
    case ModerationAction::Muted:
        text = until.isEmpty() ? tr("%1 muted you in #%2.").arg(event.by, room)
                               : tr("%1 muted you in #%2 until %3.").arg(event.by, room, until);
        break;
    case ModerationAction::Unmuted: text = tr("%1 unmuted you in #%2: you can write again.").arg(event.by, room); break;
    }
    showNotice(text);
    updateHeader();
}

void ChatPage::showMemberMenu(const QModelIndex &index, const QPoint &globalPos)
{
    if (m_memberMenu)
        m_memberMenu->close();
    if (!m_room || !index.isValid())
        return;
    const QString user = index.data(MemberListModel::UserRole).toString();
    const auto role = Protocol::Role(index.data(MemberListModel::RoleRole).toInt());
    const bool self = Names::canonical(user) == Names::canonical(m_client.user());
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    QAction *mention = menu->addAction(tr("M&ention %1").arg(user));
    mention->setEnabled(m_composer->isEnabled() && !self);
    connect(mention, &QAction::triggered, this, [this, user] {
        m_composer->editor()->insertPlainText(u'@' + user + u' ');
        focusComposer();
    });
    // Not from the conversation with that very person: it is the one open.
    if (!self && !m_room->isDirect()) {
        QAction *message = menu->addAction(tr("Me&ssage %1").arg(user));
        connect(message, &QAction::triggered, this, [this, user] { messageUser(user); });
    }
    const QList<MemberAction> actions = m_room->isJoined()
                                            ? allowedMemberActions(standingOf(m_room->ownRole(), m_client.isServerAdmin()), role,
                                                                   index.data(MemberListModel::MutedRole).toBool(), self)
                                            : QList<MemberAction>();
    if (!actions.isEmpty())
        menu->addSeparator();
    using Protocol::RequestType;
    for (const MemberAction action : actions) {
        switch (action) {
        case MemberAction::MakeModerator:
            connect(menu->addAction(tr("Make &moderator")), &QAction::triggered, this,
                    [this, user] { moderate(RequestType::SetRole, user, Protocol::Role::Moderator); });
            break;
        case MemberAction::MakeMember:
            connect(menu->addAction(tr("Make &member")), &QAction::triggered, this,
                    [this, user] { moderate(RequestType::SetRole, user, Protocol::Role::Member); });
            break;
        case MemberAction::TransferOwnership:
            connect(menu->addAction(tr("&Transfer ownership…")), &QAction::triggered, this,
                    [this, user] { askTransfer(user); });
            break;
        case MemberAction::Remove:
            connect(menu->addAction(tr("&Remove from room")), &QAction::triggered, this,
                    [this, user] { moderate(RequestType::RemoveMember, user); });
            break;
        case MemberAction::Ban:
            connect(menu->addAction(tr("&Ban…")), &QAction::triggered, this, [this, user] { askModeration(true, user); });
            break;
        case MemberAction::Mute:
            connect(menu->addAction(tr("M&ute…")), &QAction::triggered, this,
                    [this, user] { askModeration(false, user); });
            break;
        case MemberAction::Unmute:
            connect(menu->addAction(tr("U&nmute")), &QAction::triggered, this,
                    [this, user] { moderate(RequestType::Unmute, user); });
            break;
        }
    }
    m_memberMenu = menu;
    menu->popup(globalPos);
}

void ChatPage::moderate(Protocol::RequestType type, const QString &user, std::optional<Protocol::Role> role,
                        std::optional<qint64> duration, const QString &reason, const QString &room)
{
    if (room.isEmpty() && !m_room)
        return;
    Protocol::ModerationParams params;
    params.room = room.isEmpty() ? m_room->name() : room;
    params.user = user;
    params.role = role;
    params.duration = duration;
    params.reason = reason;
    m_client.moderate(type, params, this, [this](const std::optional<Protocol::Error> &error) {
        if (error)
            showNotice(UiText::moderationError(*error));
    });
}

void ChatPage::askModeration(bool ban, const QString &user)
{
    if (!m_room)
        return;
    if (m_moderationDialog)
        m_moderationDialog->close();
    auto *dialog = new ModerationDialog(ban ? ModerationDialog::Kind::Ban : ModerationDialog::Kind::Mute, user,
                                        m_room->name(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, ban, user] {
        moderate(ban ? Protocol::RequestType::Ban : Protocol::RequestType::Mute, user, std::nullopt,
                 dialog->duration(), dialog->reason());
    });
    m_moderationDialog = dialog;
    dialog->open();
}

void ChatPage::showSanctions(const QString &room)
{
    if (m_sanctionsDialog)
        m_sanctionsDialog->close();
    auto *dialog = new SanctionsDialog(room, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SanctionsDialog::liftRequested, this, [this, room](const QString &user, bool ban) {
        Protocol::ModerationParams params;
        params.room = room;
        params.user = user;
        m_client.moderate(ban ? Protocol::RequestType::Unban : Protocol::RequestType::Unmute, params, this,
                          [this](const std::optional<Protocol::Error> &error) {
                              if (error)
                                  showNotice(UiText::moderationError(*error));
                              loadSanctions();
                          });
    });
    m_sanctionsDialog = dialog;
    loadSanctions();
    dialog->open();
}

void ChatPage::loadSanctions()
{
    if (!m_sanctionsDialog)
        return;
    m_client.listSanctions(m_sanctionsDialog->room(), m_sanctionsDialog,
                           [dialog = m_sanctionsDialog.data()](const auto &answer) {
                               if (const auto *error = std::get_if<Protocol::Error>(&answer))
                                   return dialog->setError(UiText::moderationError(*error));
                               dialog->setSanctions(std::get<Protocol::SanctionsResult>(answer).sanctions);
                           });
}

void ChatPage::askTransfer(const QString &user)
{
    if (!m_room)
        return;
    if (m_transferQuestion)
        m_transferQuestion->close();
    const QString room = m_room->name();
    auto *question = new QMessageBox(QMessageBox::Question, tr("Transfer ownership of #%1?").arg(room),
                                     tr("Make %1 the owner of #%2?").arg(user, room), QMessageBox::NoButton, this);
    question->setInformativeText(tr("You become a moderator. Only %1 can give the room back to you.").arg(user));
    QPushButton *transfer = question->addButton(tr("&Transfer"), QMessageBox::AcceptRole);
    QPushButton *cancel = question->addButton(QMessageBox::Cancel);
    question->setDefaultButton(cancel); // handing a room over is not undone by us
    question->setAttribute(Qt::WA_DeleteOnClose);
    connect(question, &QMessageBox::buttonClicked, this, [this, transfer, user](QAbstractButton *button) {
        if (button == transfer)
            moderate(Protocol::RequestType::TransferOwnership, user);
    });
    m_transferQuestion = question;
    question->open();
}

void ChatPage::updateTyping()
{
    m_typing->setText(m_room ? UiText::typing(m_room->typingUsers()) : QString());
}

void ChatPage::chooseRoomAfterSync()
{
    if (m_client.currentRoom())
        return;
    QString name = m_preferences.lastRoom(accountKey());
    ChatRoom *room = name.isEmpty() ? nullptr : m_client.rooms()->find(name);
    if (!room || !room->isJoined()) {
        const QList<ChatRoom *> joined = m_client.rooms()->joinedRooms();
        room = joined.isEmpty() ? nullptr : joined.first();
    }
    if (room)
        m_client.setCurrentRoom(room->name());
}

void ChatPage::selectRelativeRoom(int delta)
{
    const int rows = m_roomsModel->rowCount();
    if (rows == 0)
        return;
    const int current = m_rooms->currentIndex().isValid() ? m_rooms->currentIndex().row() : (delta > 0 ? -1 : 0);
    m_rooms->setCurrentIndex(m_roomsModel->index(((current + delta) % rows + rows) % rows, 0));
}

void ChatPage::focusComposer()
{
    if (m_composer->isEnabled())
        m_composer->editor()->setFocus();
}

void ChatPage::showDialog(RoomDialog *dialog)
{
    if (m_dialog)
        m_dialog->close();
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_dialog = dialog;
    dialog->open();
}

void ChatPage::createRoom()
{
    auto *dialog = new RoomDialog(RoomDialog::Mode::Create, this);
    connect(dialog, &RoomDialog::submitted, this, [this, dialog](const QString &name, bool isPrivate) {
        const QPointer<RoomDialog> guard(dialog);
        m_client.createRoom(name, isPrivate, this, [this, guard, name](const std::optional<Protocol::Error> &error) {
            if (error) {
                if (guard)
                    guard->showError(UiText::roomError(*error));
                return;
            }
            if (guard)
                guard->finish();
            m_client.setCurrentRoom(name);
            focusComposer();
        });
    });
    showDialog(dialog);
}

void ChatPage::joinRoom(const QString &name)
{
    const auto join = [this](const QString &room, const QPointer<RoomDialog> &dialog) {
        m_client.joinRoom(room, this, [this, dialog, room](const std::optional<Protocol::Error> &error) {
            if (error) {
                if (dialog)
                    dialog->showError(UiText::roomError(*error));
                else
                    m_notJoinedText->setText(UiText::roomError(*error));
                return;
            }
            if (dialog)
                dialog->finish();
            m_leftRooms.remove(Names::canonical(room));
            m_removedRooms.remove(Names::canonical(room));
            m_client.setCurrentRoom(room);
            focusComposer();
        });
    };
    if (!name.isEmpty()) {
        join(name, nullptr);
        return;
    }
    auto *dialog = new RoomDialog(RoomDialog::Mode::Join, this);
    // What there is to join: the public rooms not joined yet, and private ones we were invited to.
    QStringList choices;
    for (const ChatRoom *room : m_client.rooms()->rooms()) {
        if (!room->isJoined())
            choices << room->name();
    }
    choices.sort(Qt::CaseInsensitive);
    dialog->setRoomChoices(choices);
    connect(dialog, &RoomDialog::submitted, this,
            [join, dialog](const QString &room, bool) { join(room, QPointer<RoomDialog>(dialog)); });
    showDialog(dialog);
}

void ChatPage::openRoom(const QString &name)
{
    if (const ChatRoom *room = m_client.rooms()->find(name); room && room->isJoined()) {
        m_client.setCurrentRoom(room->name());
        focusComposer();
        return;
    }
    m_client.joinRoom(name, this, [this, name](const std::optional<Protocol::Error> &error) {
        if (error) {
            // The server does not tell a private room from one that does not exist (NotFound for both).
            showNotice(tr("The link’s room #%1 cannot be opened. %2").arg(name, UiText::roomError(*error)));
            return;
        }
        m_leftRooms.remove(Names::canonical(name));
        const ChatRoom *room = m_client.rooms()->find(name);
        m_client.setCurrentRoom(room ? room->name() : name);
        focusComposer();
    });
}

void ChatPage::messageUser(const QString &user)
{
    m_client.openDirect(user, this, [this, user](const std::optional<Protocol::Error> &error, const QString &room) {
        if (error) {
            showNotice(error->code == Protocol::ErrorCode::NotFound
                           ? tr("There is no user “%1” to write to.").arg(user)
                           : tr("The conversation with %1 cannot be opened. %2").arg(user, UiText::roomError(*error)));
            return;
        }
        m_client.setCurrentRoom(room);
        focusComposer();
    });
}

void ChatPage::newDirectMessage()
{
    if (m_directDialog)
        m_directDialog->close();
    // Everyone we share a room with, to pick from; any other name may be typed.
    QStringList people;
    QSet<QString> seen{Names::canonical(m_client.user())};
    for (const ChatRoom *room : m_client.rooms()->rooms()) {
        for (const Protocol::Member &member : room->members()) {
            if (!seen.contains(Names::canonical(member.user))) {
                seen.insert(Names::canonical(member.user));
                people << member.user;
            }
        }
    }
    people.sort(Qt::CaseInsensitive);
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("New direct message"));
    dialog->setLabelText(tr("The user name of the person to write to:"));
    dialog->setOkButtonText(tr("&Message"));
    dialog->setComboBoxEditable(true);
    dialog->setComboBoxItems(people);
    dialog->setTextValue({});
    connect(dialog, &QInputDialog::textValueSelected, this, [this](const QString &user) {
        if (!user.trimmed().isEmpty())
            messageUser(user.trimmed());
    });
    m_directDialog = dialog;
    dialog->open();
}

void ChatPage::leaveRoom()
{
    if (!m_room || !m_room->isJoined())
        return;
    if (m_room->isDirect()) {
        showNotice(tr("A direct conversation cannot be left: it stays between you and %1.").arg(m_room->peer()));
        return;
    }
    if (m_leaveQuestion)
        m_leaveQuestion->close();
    const QString name = m_room->name();
    auto *question = new QMessageBox(QMessageBox::Question, tr("Leave #%1?").arg(name),
                                     tr("Leave #%1?").arg(name), QMessageBox::NoButton, this);
    question->setInformativeText(m_room->isPrivate()
                                     ? tr("It is a private room: you will need a new invitation to come back.")
                                     : tr("You can join it again at any time from the room list."));
    QPushButton *leave = question->addButton(tr("&Leave"), QMessageBox::AcceptRole);
    question->addButton(QMessageBox::Cancel);
    question->setDefaultButton(leave);
    question->setAttribute(Qt::WA_DeleteOnClose);
    connect(question, &QMessageBox::buttonClicked, this, [this, leave, name](QAbstractButton *button) {
        if (button != leave)
            return;
        m_client.leaveRoom(name, this, [this, name](const std::optional<Protocol::Error> &error) {
            if (error) {
                showNotice(UiText::roomError(*error));
                return;
            }
            m_leftRooms.insert(Names::canonical(name));
            updateHeader();
        });
    });
    m_leaveQuestion = question;
    question->open();
}

void ChatPage::showMessage(qint64 seq)
{
    m_originalPages = 0;
    showOriginal(seq);
}

void ChatPage::showOriginal(qint64 seq)
{
    m_wantedOriginal = 0;
    if (!m_room || seq <= 0)
        return;
    if (m_messages->showMessage(seq)) {
        m_messages->setFocus();
        return;
    }
    // Older than what is loaded: page back for it (each page comes back through olderMessagesLoading).
    const bool older = m_room->isLoaded() && seq < m_room->firstLoadedSeq() && m_room->hasOlder();
    if (older && m_originalPages < kMaxOriginalPages && m_room->isJoined()) {
        m_wantedOriginal = seq;
        if (!m_client.isLoadingOlder(m_room->name())) {
            ++m_originalPages;
            m_client.loadOlderMessages(m_room->name());
        }
        return;
    }
    showNotice(older ? tr("The original message is further back than the loaded history. Scroll up to find it.")
                     : tr("The original message is not loaded."));
}

void ChatPage::deleteMessage(qint64 seq)
{
    if (!m_room || !m_room->isJoined())
        return;
    const QString name = m_room->name();
    auto *question = new QMessageBox(QMessageBox::Question, tr("Delete this message?"), tr("Delete this message?"),
                                     QMessageBox::NoButton, this);
    question->setInformativeText(tr("Everyone in #%1 will see that a message was deleted, but not what it said. "
                                    "This cannot be undone.")
                                     .arg(name));
    QPushButton *remove = question->addButton(tr("&Delete"), QMessageBox::DestructiveRole);
    QPushButton *cancel = question->addButton(QMessageBox::Cancel);
    question->setDefaultButton(cancel); // Enter must not destroy by accident
    question->setAttribute(Qt::WA_DeleteOnClose);
    connect(question, &QMessageBox::buttonClicked, this, [this, remove, name, seq](QAbstractButton *button) {
        if (button != remove)
            return;
        // Someone else's message is a moderator's deletion: its refusal says which rule, not "not yours".
        const auto message = m_room ? m_room->message(seq) : std::nullopt;
        const bool others = message && Names::canonical(message->sender) != Names::canonical(m_client.user());
        m_client.deleteMessage(name, seq, this, [this, others](const std::optional<Protocol::Error> &error) {
            if (error)
                showNotice(others && error->code == Protocol::ErrorCode::Forbidden ? UiText::moderationError(*error)
                                                                                    : UiText::changeError(*error));
        });
    });
    m_deleteQuestion = question;
    question->open();
}

void ChatPage::openRoomSettings(const QString &name)
{
    ChatRoom *room = name.isEmpty() ? m_room.data() : m_client.rooms()->find(name);
    if (!room || !room->isJoined())
        return;
    if (m_settingsDialog)
        m_settingsDialog->close();
    auto *dialog = new RoomSettingsDialog(m_client, *room, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_settingsDialog = dialog;
    dialog->open();
}

void ChatPage::inviteToRoom()
{
    if (!m_room || !m_room->isPrivate())
        return;
    const QString room = m_room->name();
    auto *dialog = new RoomDialog(RoomDialog::Mode::Invite, this, room);
    connect(dialog, &RoomDialog::submitted, this, [this, dialog, room](const QString &user, bool) {
        const QPointer<RoomDialog> guard(dialog);
        m_client.invite(room, user, this, [this, guard, room, user](const std::optional<Protocol::Error> &error) {
            if (!error) {
                if (guard)
                    guard->finish();
                showNotice(tr("%1 is invited to #%2 and can join it from their room list.").arg(user, room));
                return;
            }
            if (!guard)
                return;
            if (error->code == Protocol::ErrorCode::NotFound)
                guard->showError(tr("There is no user with that name on this server."));
            else if (error->code == Protocol::ErrorCode::Forbidden)
                guard->showError(tr("Only the person who created the room can invite to it."));
            else
                guard->showError(UiText::roomError(*error));
        });
    });
    showDialog(dialog);
}

// ---- files (issue 12) ----

FileViewer *ChatPage::fileViewer() const { return m_fileViewer; }

bool ChatPage::dropFiles(const QMimeData *source) { return m_composer->attachMimeData(source); }

void ChatPage::dragEnterEvent(QDragEnterEvent *event)
{
    const QMimeData *mime = event->mimeData();
    if (m_composer->isEnabled() && mime && (mime->hasUrls() || mime->hasImage()))
        event->acceptProposedAction();
}

void ChatPage::dropEvent(QDropEvent *event)
{
    if (dropFiles(event->mimeData()))
        event->acceptProposedAction();
}

void ChatPage::openFile(const QVariantMap &file)
{
    const QString id = file.value(u"id"_s).toString();
    if (id.isEmpty())
        return;
    m_thumbnails->forget(id); // a click tries again what failed
    if (file.value(u"image"_s).toBool()) {
        if (m_fileViewer)
            m_fileViewer->close();
        m_fileViewer = new FileViewer(*m_files, file, this);
        m_fileViewer->setAttribute(Qt::WA_DeleteOnClose);
        m_fileViewer->show();
        return;
    }
    auto *dialog = new QFileDialog(window(), tr("Save as"), file.value(u"name"_s).toString());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setObjectName(u"saveFileDialog"_s);
    connect(dialog, &QFileDialog::fileSelected, this, [this, file](const QString &path) { saveFileTo(file, path); });
    dialog->open();
}

FileTransfer *ChatPage::saveFileTo(const QVariantMap &file, const QString &path)
{
    const QString id = file.value(u"id"_s).toString();
    const QString name = file.value(u"name"_s).toString();
    FileTransfer *transfer = m_files->download(id, path);
    showNotice(tr("Saving %1…").arg(name));
    connect(transfer, &FileTransfer::progress, this, [this, name](qint64 done, qint64 total) {
        m_notice->setText(tr("Saving %1: %2 of %3").arg(name, UiText::bytes(quint64(done)), UiText::bytes(quint64(total))));
    });
    connect(transfer, &FileTransfer::finished, this, [this, transfer, id, name, path] {
        if (const auto &error = transfer->error()) {
            m_thumbnails->noteError(id, error->text());
            showNotice(tr("%1 was not saved: %2").arg(name, error->text()));
            return;
        }
        showNotice(tr("Saved %1 as %2").arg(name, QDir::toNativeSeparators(path)));
    });
    return transfer;
}

} // namespace Tertulia
