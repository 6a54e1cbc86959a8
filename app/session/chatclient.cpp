#include "app/session/chatclient.h"

#include "app/logging.h"
#include "app/models/memberlistmodel.h"
#include "app/models/messagelistmodel.h"
#include "app/models/roomlistmodel.h"
#include "app/net/authclient.h"
#include "app/net/certificatetrust.h"
#include "app/net/chatconnection.h"
#include "app/net/clock.h"
#include "app/net/networkwatcher.h"
#include "app/session/chatroom.h"
#include "app/session/connectionmanager.h"
#include "app/session/credentials.h"
#include "app/session/outbox.h"
#include "app/session/outboxsender.h"
#include "app/session/readmarkersync.h"
#include "app/session/displayreports.h"
#include "app/session/displaynames.h"
#include "app/session/roomdirectory.h"
#include "app/session/roomsync.h"
#include "app/storage/clientdatabase.h"
#include "app/storage/credentialstore.h"
#include "shared/names.h"
#include "shared/version.h"

#include <QtCore/QDir>
#include <QtCore/QSysInfo>
#include <QtCore/QTimeZone>
#include <QtCore/QTimer>
#include <QtCore/QUuid>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace Tertulia {

using Protocol::ErrorCode;
using Protocol::Reply;
using Protocol::Request;
using State = ConnectionManager::State;

namespace {
constexpr qint64 kTypingResendMs = 3000;

template<typename T>
std::optional<T> parse(const Reply &reply, const char *what)
{
    auto parsed = T::fromJson(reply.data);
    if (auto *error = std::get_if<Protocol::Error>(&parsed)) {
        qCWarning(lcClientSession) << "unreadable" << what << "reply:" << error->message;
        return std::nullopt;
    }
    return std::get<T>(std::move(parsed));
}
} // namespace

ChatClient::ChatClient(CredentialStore &credentials, QObject *parent)
    : ChatClient(credentials, SystemClock::instance(),
                 [] { return std::unique_ptr<Transport>(std::make_unique<ChatConnection>()); }, parent)
{
    m_network = new NetworkWatcher(true, this);
    connect(m_network, &NetworkWatcher::online, m_connection, &ConnectionManager::notifyNetworkOnline);
}

ChatClient::ChatClient(CredentialStore &credentials, Clock &clock, TransportFactory transports, QObject *parent)
    : QObject(parent)
    , m_credentials(credentials)
    , m_clock(clock)
    , m_trust(new CertificateTrust(this))
    , m_auth(new AuthClient(nullptr, this))
    , m_connection(new ConnectionManager(clock, std::move(transports), m_auth, this))
    , m_rooms(new RoomDirectory(clock, this))
    , m_outbox(new Outbox(this))
    , m_sender(new OutboxSender(*m_connection, *m_outbox, clock, this))
    , m_sync(new RoomSync(*m_connection, *m_rooms, this))
    , m_readSync(new ReadMarkerSync(*m_connection, *m_rooms, this))
    , m_displayReports(new DisplayReports(*m_connection, this))
    , m_roomListModel(new RoomListModel(this))
    , m_messageModel(new MessageListModel(this))
    , m_memberModel(new MemberListModel(this))
{
    m_auth->setCertificateTrust(m_trust);
    m_connection->setCertificateTrust(m_trust);
    m_names = new DisplayNames(this);
    m_rooms->setDisplayNames(m_names);
    m_sync->setDisplayNames(m_names);
    m_roomListModel->setDirectory(m_rooms);
    connect(m_sender, &OutboxSender::messageStored, health(), &ConnectionHealth::recordMessageSent);
    wire();
    m_auth->setDeviceLabel(deviceLabel());
}

ChatClient::~ChatClient()
{
    // Models first: they must not watch rooms while those go away.
    m_messageModel->setRoom(nullptr);
    m_memberModel->setRoom(nullptr);
    m_roomListModel->setDirectory(nullptr);
}

ConnectionHealth *ChatClient::health() const { return m_connection->health(); }

void ChatClient::setDataDirectory(const QString &path)
{
    if (path == m_dataDirectory)
        return;
    m_dataDirectory = path;
    m_database.reset();
}

void ChatClient::wire()
{
    connect(m_sync, &RoomSync::pageMerged, this, &ChatClient::markReadIfSeen);
    connect(m_sync, &RoomSync::roomAboutToBeForgotten, this, [this](ChatRoom *room) {
        if (room == m_currentRoom)
            setCurrentRoom({});
    });
    connect(m_sync, &RoomSync::aboutToFinishSync, m_sender, &OutboxSender::flush);
    connect(m_sync, &RoomSync::synced, this, &ChatClient::synced);
    // After the sync the server's markers are applied: what was read here meanwhile goes out now.
    connect(m_sync, &RoomSync::synced, m_readSync, &ReadMarkerSync::flush);
    // Read here (not a marker from another device): the traced messages up to it were shown.
    connect(m_readSync, &ReadMarkerSync::readHere, m_displayReports,
            [this](ChatRoom *room, qint64 seq) { m_displayReports->noteRead(room->name(), seq); });
    connect(m_sync, &RoomSync::olderMessagesLoading, this, &ChatClient::olderMessagesLoading);
    connect(m_connection, &ConnectionManager::eventReceived, this, &ChatClient::onEvent);
    // Our own display name and picture (issue 12), at every sign-in and reconnect: a change made elsewhere
    // meanwhile.
    connect(m_connection, &ConnectionManager::authenticated, this, [this](const Protocol::HelloInfo &hello) {
        m_names->setProfile(hello.user, hello.displayName, hello.avatar);
        setServerAdmin(hello.admin);
    });
    connect(m_connection, &ConnectionManager::credentialsChanged, this, [this](const Credentials &credentials) {
        if (m_remember)
            storeRefreshToken(credentials.refreshToken);
    });
    connect(m_connection, &ConnectionManager::connectionLost, this, [this] {
        // The sync's own state is RoomSync's to reset; typing starts over with the next connection.
        m_typingSentMs = -1;
        for (ChatRoom *room : m_rooms->rooms())
            room->forgetPresence();
    });
    connect(m_connection, &ConnectionManager::stateChanged, this, [this](State state) {
        if (state != State::Failed)
            return;
        const auto failure = m_connection->failure();
        // A token the server no longer accepts must not be offered again at the next start.
        if (failure == ConnectionManager::Failure::BadCredentials || failure == ConnectionManager::Failure::LoginRevoked
            || failure == ConnectionManager::Failure::SessionExpired
            || failure == ConnectionManager::Failure::AccountDeleted) {
            m_credentials.remove(credentialKey(), this, [](const CredentialStore::Result &) {});
            m_remembered = false;
        }
        if (failure == ConnectionManager::Failure::AccountDeleted) {
            // Not from inside the connection's own state change: signing out stops the connection.
            QMetaObject::invokeMethod(this, &ChatClient::onAccountDeleted, Qt::QueuedConnection);
        }
    });

    // A message whose file is still uploading is shown by the uploads (ChatFiles), not in the timeline: it
    // joins its room's pending rows once the server has the file.
    connect(m_outbox, &Outbox::entryAdded, this, [this](const OutboxEntry &entry) {
        if (ChatRoom *room = m_rooms->find(entry.room); room && !entry.awaitsUpload())
            room->addPending(entry);
    });
    connect(m_outbox, &Outbox::entryChanged, this, [this](const OutboxEntry &entry) {
        ChatRoom *room = m_rooms->find(entry.room);
        if (!room || entry.awaitsUpload())
            return;
        if (entry.upload)
            room->addPending(entry); // an update, or the first showing of a message whose file was just uploaded
        else
            room->updatePending(entry);
    });
    connect(m_outbox, &Outbox::entryRemoved, this, [this](const OutboxEntry &entry) {
        if (ChatRoom *room = m_rooms->find(entry.room))
            room->removePending(entry.clientMsgId);
    });
    connect(m_outbox, &Outbox::unsentCountChanged, health(), &ConnectionHealth::setOutboxLength);
    connect(m_rooms, &RoomDirectory::roomAdded, this, &ChatClient::onRoomAdded);
}

void ChatClient::onRoomAdded(int row)
{
    ChatRoom *room = m_rooms->at(row);
    const QString key = Names::canonical(room->name());
    const auto marker = m_readMarkers.constFind(key);
    const bool saved = marker != m_readMarkers.cend();
    if (saved)
        room->setReadSeq(std::min(*marker, room->lastSeq()));
    room->setMuted(m_mutedRooms.contains(key));
    connect(room, &ChatRoom::mutedChanged, this, [this, key](bool muted) {
        if (muted)
            m_mutedRooms.insert(key);
        else
            m_mutedRooms.remove(key);
        if (m_database)
            m_database->setRoomMuted(m_account, key, muted);
    });
    connect(room, &ChatRoom::pendingConfirmed, m_outbox, [this](const QString &id) { m_outbox->confirm(id); });
    connect(room, &ChatRoom::readSeqChanged, this, [this, key, room](qint64 seq) {
        m_readMarkers.insert(key, seq);
        if (m_database)
            m_database->setReadMarker(m_account, key, seq);
        m_readSync->noteRead(room, seq);
    });
    m_readSync->track(room, saved); // the larger of the local marker and the server's
    for (const OutboxEntry &entry : m_outbox->entries()) {
        if (Names::canonical(entry.room) == key && !entry.awaitsUpload())
            room->addPending(entry);
    }
}

// ---- account --------------------------------------------------------------------------------------

QString ChatClient::credentialKey() const { return CredentialStore::keyFor(m_server, m_user); }

void ChatClient::signIn(const ServerAddress &server, const QString &user, const QString &password, bool remember)
{
    const quint64 generation = ++m_signInGeneration;
    m_auth->login(server, user, password, this,
                  [this, generation, server, user, remember](const AuthResult<Protocol::TokenPair> &result) {
        if (generation != m_signInGeneration)
            return;
        if (const auto *error = std::get_if<AuthError>(&result)) {
            Q_EMIT signInFailed(*error);
            return;
        }
        Credentials credentials;
        credentials.user = user;
        credentials.apply(std::get<Protocol::TokenPair>(result), m_clock.elapsedMs());
        beginSession(server, user, credentials, remember);
    });
}

void ChatClient::createAccount(const ServerAddress &server, const QString &user, const QString &password,
                               bool remember)
{
    const quint64 generation = ++m_signInGeneration;
    m_auth->registerAccount(server, user, password, this,
                            [this, generation, server, user, password, remember](const std::optional<AuthError> &error) {
        if (generation != m_signInGeneration)
            return;
        if (error) {
            Q_EMIT signInFailed(*error);
            return;
        }
        signIn(server, user, password, remember);
    });
}

void ChatClient::resumeSavedSignIn(const ServerAddress &server, const QString &user)
{
    const quint64 generation = ++m_signInGeneration;
    m_credentials.read(CredentialStore::keyFor(server, user), this,
                       [this, generation, server, user](const CredentialStore::Result &result) {
        if (generation != m_signInGeneration)
            return;
        if (!result.ok() || result.secret.isEmpty()) {
            Q_EMIT savedSignInUnavailable(CredentialStore::describe(result.ok() ? CredentialStore::Error::NotFound
                                                                                : result.error));
            return;
        }
        // Only the refresh token: the connection exchanges it for an access token before each
        // attempt, so an offline start still shows the rooms' saved state and retries by itself.
        Credentials credentials;
        credentials.user = user;
        credentials.refreshToken = result.secret;
        beginSession(server, user, credentials, true);
    });
}

void ChatClient::signInWithTokens(const ServerAddress &server, const QString &user,
                                  const Protocol::TokenPair &tokens, bool remember)
{
    ++m_signInGeneration;
    Credentials credentials;
    credentials.user = user;
    credentials.apply(tokens, m_clock.elapsedMs());
    beginSession(server, user, credentials, remember);
}

void ChatClient::beginSession(const ServerAddress &server, const QString &user, const Credentials &credentials,
                              bool remember)
{
    m_connection->stop();
    setCurrentRoom({});
    m_rooms->clear();
    m_outbox->detach();

    // Readings of the last server (round trips, counts, its certificate) say nothing about this one.
    health()->reset();
    m_server = server;
    m_user = user;
    m_account = server.id() + u'/' + Names::canonical(user);
    m_remember = remember;
    m_remembered = false;
    m_warnedStorage = false;
    if (!m_database && !m_dataDirectory.isEmpty()) {
        QString error;
        m_database = ClientDatabase::open(QDir(m_dataDirectory).filePath(u"client.sqlite"_s), &error);
        if (!m_database)
            qCWarning(lcClientStorage) << "the outbox will not survive a restart:" << error;
    }
    m_rooms->setOwnUser(user);
    m_readMarkers = m_database ? m_database->readMarkers(m_account) : QHash<QString, qint64>();
    m_readSync->reset();
    m_displayReports->reset();
    m_drafts = m_database ? m_database->drafts(m_account) : QHash<QString, QString>();
    m_mutedRooms = m_database ? m_database->mutedRooms(m_account) : QSet<QString>();
    m_outbox->attach(m_database.get(), m_account);

    if (remember && !credentials.refreshToken.isEmpty())
        storeRefreshToken(credentials.refreshToken);
    else if (!remember)
        m_credentials.remove(credentialKey(), this, [](const CredentialStore::Result &) {});

    qCInfo(lcClientSession) << "signed in as" << user << "on" << server.id();
    Q_EMIT signedIn();
    m_connection->start(server, credentials);
}

void ChatClient::storeRefreshToken(const QString &refreshToken)
{
    const QString key = credentialKey();
    auto answered = std::make_shared<bool>(false);
    m_credentials.write(key, refreshToken, this, [this, key, answered](const CredentialStore::Result &result) {
        *answered = true;
        if (key != credentialKey())
            return;
        m_remembered = result.ok();
        if (!result.ok() && !m_warnedStorage) {
            m_warnedStorage = true;
            Q_EMIT credentialStorageUnavailable(CredentialStore::describe(result.error));
        } else if (result.ok() && m_warnedStorage) {
            m_warnedStorage = false;
            Q_EMIT credentialStorageRecovered();
        }
    });
    QTimer::singleShot(kKeychainPatienceMs, this, [this, key, answered] {
        if (*answered || key != credentialKey() || m_warnedStorage)
            return;
        m_warnedStorage = true;
        Q_EMIT credentialStorageUnavailable(tr("The system keychain is not answering, so this sign-in lasts only "
                                               "until Tertulia quits."));
    });
}

void ChatClient::trustCertificate(const CertificateCheck &check)
{
    m_trust->trust(check);
    const auto failure = m_connection->failure();
    if (isSignedIn() && m_connection->state() == State::Failed
        && (failure == ConnectionManager::Failure::CertificateUnknown
            || failure == ConnectionManager::Failure::CertificateChanged)
        && CertificateTrust::keyFor(m_server) == check.server) {
        qCInfo(lcClientSession) << "certificate accepted; connecting again";
        m_connection->start(m_server, m_connection->credentials());
    }
}

void ChatClient::signOut()
{
    if (!isSignedIn())
        return;
    ++m_signInGeneration;
    const ServerAddress server = m_server;
    const QString accessToken = m_connection->credentials().accessToken;
    const QString key = credentialKey();
    // A login the server ended already has nothing left to revoke there.
    const auto failure = m_connection->failure();
    const bool loginGone = m_connection->state() == State::Failed
                           && (failure == ConnectionManager::Failure::LoginRevoked
                               || failure == ConnectionManager::Failure::AccountDeleted);
    m_connection->stop();
    if (!accessToken.isEmpty() && !loginGone) {
        m_auth->logout(server, accessToken, this, [this](const std::optional<AuthError> &error) {
            Q_EMIT serverSignOutFinished(!error, error ? error->message() : QString());
        });
    }
    m_credentials.remove(key, this, [](const CredentialStore::Result &) {});
    setCurrentRoom({});
    m_rooms->clear();
    m_outbox->detach();
    m_readMarkers.clear();
    m_readSync->reset();
    m_displayReports->reset();
    m_drafts.clear();
    m_mutedRooms.clear();
    m_names->clear();
    m_user.clear();
    m_account.clear();
    m_remember = false;
    m_remembered = false;
    setServerAdmin(false);
    Q_EMIT signedOut();
}

// ---- sync after every (re)connect -----------------------------------------------------------------

bool ChatClient::request(Request request, std::function<void(const Reply &)> handler)
{
    return m_connection->request(std::move(request), this, std::move(handler));
}

// ---- rooms and messages -------------------------------------------------------------------------

Protocol::RoomInfo ChatClient::joinedRoomInfo(const QString &name) const
{
    Protocol::RoomInfo info;
    info.name = name;
    info.joined = true;
    // A direct conversation met before the server described it: its address names the other person (as a
    // key: the next list_rooms brings the spelling they registered).
    if (const QStringList users = Names::directUsers(name); !users.isEmpty()) {
        info.isPrivate = true;
        info.direct = true;
        info.memberCount = 2;
        info.peer = users[0] == Names::canonical(m_user) ? users[1] : users[0];
    }
    return info;
}

ChatRoom *ChatClient::roomFor(const QString &name)
{
    if (ChatRoom *room = m_rooms->find(name))
        return room;
    return m_rooms->ensure(joinedRoomInfo(name));
}

void ChatClient::onEvent(const Protocol::Event &event)
{
    using Protocol::EventType;
    switch (event.type) {
    case EventType::Hello:
        return; // the ConnectionManager's
    case EventType::Message:
        if (auto message = Protocol::ChatMessage::fromJson(event.data); std::holds_alternative<Protocol::ChatMessage>(message)) {
            const auto &parsed = std::get<Protocol::ChatMessage>(message);
            // Before the merge, which may count it read at once (the room open at its newest messages).
            if (!Protocol::Event::traceIdOf(event.data).isEmpty())
                m_displayReports->noteTraced(parsed.room, parsed.seq);
            onMessage(parsed);
        }
        return;
    case EventType::MemberJoined:
    case EventType::MemberLeft: {
        const auto parsed = Protocol::MembershipEvent::fromJson(event.data);
        const auto *membership = std::get_if<Protocol::MembershipEvent>(&parsed);
        ChatRoom *room = membership ? m_rooms->find(membership->room) : nullptr;
        if (!room)
            return;
        const bool joined = event.type == EventType::MemberJoined;
        if (Names::canonical(membership->user) == Names::canonical(m_user))
            room->setJoined(joined);
        if (joined)
            room->addMember(membership->user);
        else
            room->removeMember(membership->user);
        return;
    }
    case EventType::Typing: {
        const auto parsed = Protocol::TypingEvent::fromJson(event.data);
        if (const auto *typing = std::get_if<Protocol::TypingEvent>(&parsed)) {
            if (ChatRoom *room = m_rooms->find(typing->room))
                room->setTyping(typing->user, typing->active);
        }
        return;
    }
    case EventType::Presence: {
        const auto parsed = Protocol::PresenceEvent::fromJson(event.data);
        if (const auto *presence = std::get_if<Protocol::PresenceEvent>(&parsed)) {
            for (ChatRoom *room : m_rooms->rooms())
                room->setPresence(presence->user, presence->status);
        }
        return;
    }
    case EventType::Invited:
    case EventType::RoomCreated: {
        const auto parsed = Protocol::RoomResult::fromJson(event.data);
        if (const auto *result = std::get_if<Protocol::RoomResult>(&parsed)) {
            // These events describe the room from nobody's point of view (`joined` is false even
            // for its creator, who gets room_created too): they never change our membership.
            Protocol::RoomInfo info = result->room;
            if (const ChatRoom *known = m_rooms->find(info.name))
                info.joined = known->isJoined();
            ChatRoom *room = m_rooms->ensure(info);
            if (event.type == EventType::Invited)
                Q_EMIT invited(room, result->by);
        }
        return;
    }
    case EventType::DirectOpened: {
        // A direct conversation of ours (opened here, on another device, or by the other person): in the list
        // at once; its first message counts as unread like any other.
        const auto parsed = Protocol::RoomResult::fromJson(event.data);
        if (const auto *result = std::get_if<Protocol::RoomResult>(&parsed)) {
            learnProfiles(*result);
            Protocol::RoomInfo info = result->room;
            info.joined = true;
            ChatRoom *room = m_rooms->ensure(info);
            if (info.lastSeq == 0 && !room->isLoaded())
                room->markLoadedEmpty();
        }
        return;
    }
    case EventType::RoleChanged: {
        const auto parsed = Protocol::RoleEvent::fromJson(event.data);
        if (const auto *role = std::get_if<Protocol::RoleEvent>(&parsed)) {
            if (ChatRoom *room = m_rooms->find(role->room))
                room->setRole(role->user, role->role);
        }
        return;
    }
    case EventType::ReadMarker: {
        // Another session of ours read a room further (private: only our own sessions hear it).
        const auto parsed = Protocol::ReadMarker::fromJson(event.data);
        if (const auto *marker = std::get_if<Protocol::ReadMarker>(&parsed))
            m_readSync->applyServer(marker->room, marker->seq);
        return;
    }
    case EventType::MemberMuted: {
        // Every member hears of a mute at once: the member list's badge follows.
        const auto parsed = Protocol::MuteEvent::fromJson(event.data);
        if (const auto *mute = std::get_if<Protocol::MuteEvent>(&parsed)) {
            if (ChatRoom *room = m_rooms->find(mute->room))
                room->setMemberMuted(mute->user, mute->muted);
        }
        return;
    }
    case EventType::Moderated: {
        const auto parsed = Protocol::ModerationEvent::fromJson(event.data);
        if (const auto *moderation = std::get_if<Protocol::ModerationEvent>(&parsed))
            onModerated(*moderation);
        return;
    }
    case EventType::RoomUpdated: {
        const auto parsed = Protocol::RoomResult::fromJson(event.data);
        if (const auto *result = std::get_if<Protocol::RoomResult>(&parsed)) {
            // A room made private that we are not in leaves our list; otherwise its info changes.
            if (result->room.isPrivate && !result->room.joined) {
                if (ChatRoom *room = m_rooms->find(result->room.name); room && room == m_currentRoom)
                    setCurrentRoom({});
                m_rooms->remove(result->room.name);
            } else {
                m_rooms->ensure(result->room);
            }
        }
        return;
    }
    case EventType::ProfileUpdated: { // issue 12: ours (another session) or someone's we share a room with
        const auto parsed = Protocol::ProfileEvent::fromJson(event.data);
        if (const auto *profile = std::get_if<Protocol::ProfileEvent>(&parsed))
            m_names->setProfile(profile->user, profile->displayName, profile->avatar);
        return;
    }
    case EventType::AdminChanged: { // issue 13: an administrator promoted or demoted us while we are connected
        const auto parsed = Protocol::AdminChangedEvent::fromJson(event.data);
        if (const auto *change = std::get_if<Protocol::AdminChangedEvent>(&parsed))
            setServerAdmin(change->admin);
        return;
    }
    case EventType::RoomDeleted: {
        const auto parsed = Protocol::RoomDeletedEvent::fromJson(event.data);
        if (const auto *deleted = std::get_if<Protocol::RoomDeletedEvent>(&parsed)) {
            if (ChatRoom *room = m_rooms->find(deleted->room)) {
                if (room == m_currentRoom)
                    setCurrentRoom({});
                m_rooms->remove(deleted->room);
            }
            Q_EMIT roomDeleted(*deleted);
        }
        return;
    }
    }
}

void ChatClient::onModerated(const Protocol::ModerationEvent &event)
{
    using Protocol::ModerationAction;
    ChatRoom *room = m_rooms->find(event.room);
    const QString name = room ? room->name() : event.room;
    switch (event.action) {
    case ModerationAction::Removed:
    case ModerationAction::Banned:
        if (room) {
            room->setJoined(false);
            room->removeMember(m_user);
            room->setSilence(std::nullopt);
            // A ban keeps the room out of our list (the server no longer lists it for us), and a private
            // room cannot be joined again without a new invitation: both leave the list, as on leaving.
            if (event.action == ModerationAction::Banned || room->isPrivate()) {
                if (room == m_currentRoom)
                    setCurrentRoom({});
                m_rooms->remove(name);
            }
        }
        break;
    case ModerationAction::Muted:
        if (room) {
            ChatRoom::Silence silence{event.by, {}, event.reason};
            if (event.until > 0)
                silence.until = QDateTime::fromMSecsSinceEpoch(event.until, QTimeZone::utc());
            room->setSilence(silence);
        }
        break;
    case ModerationAction::Unmuted:
        if (room)
            room->setSilence(std::nullopt);
        break;
    case ModerationAction::Unbanned: break; // the room may be joined again: list_rooms shows it at the next sync
    }
    Q_EMIT moderated(name, event);
}

void ChatClient::onMessage(const Protocol::ChatMessage &message)
{
    ChatRoom *room = m_rooms->find(message.room);
    if (!room) {
        Protocol::RoomInfo info = joinedRoomInfo(message.room);
        info.lastSeq = message.seq - 1; // so this message counts as unread
        room = m_rooms->ensure(info);
    }
    const bool replayed = m_sync->isResuming();
    if (replayed)
        m_sync->countReplayed();
    room->setTyping(message.sender, false);
    const auto result = room->merge({message});
    if (result.gapAfter)
        m_sync->fillGap(room, *result.gapAfter);
    markReadIfSeen(room);
    // An edit or a deletion changes a row; it is no news to notify about.
    const bool fromOthers = Names::canonical(message.sender) != Names::canonical(m_user) && message.isText();
    if (result.added > 0 && fromOthers)
        health()->recordMessageReceived();
    if (!replayed && result.added > 0 && fromOthers)
        Q_EMIT messageArrived(room, message);
}

void ChatClient::setCurrentRoom(const QString &name)
{
    ChatRoom *room = name.isEmpty() ? nullptr : m_rooms->find(name);
    if (room == m_currentRoom)
        return;
    if (m_typingSentMs >= 0)
        setTyping(false);
    m_readSync->flush(); // the room left behind is told now, not a second later
    m_currentRoom = room;
    m_sync->setCurrentRoom(room);
    m_messageModel->setUnreadAfter(0);
    m_messageModel->setRoom(room);
    // Where the person stopped reading, before opening the room marks it read: the "New messages" line.
    m_messageModel->setUnreadAfter(room && room->unreadCount() > 0 ? room->readSeq() : 0);
    m_memberModel->setRoom(room);
    if (room) {
        room->markRead();
        if (room->isJoined() && m_connection->isAuthenticated()) {
            if (!room->isLoaded())
                m_sync->loadNewest(room, false);
            else if (room->messageCount() < kPageSize && room->hasOlder())
                m_sync->loadOlderMessages(room);
        }
        if (m_connection->isAuthenticated())
            m_sync->fetchMembers(room);
    }
    Q_EMIT currentRoomChanged(room);
}

void ChatClient::setFollowingNewest(bool following)
{
    if (following == m_followingNewest)
        return;
    m_followingNewest = following;
    if (following && m_currentRoom)
        m_currentRoom->markRead();
}

void ChatClient::flushReadMarkers() { m_readSync->flush(); }

void ChatClient::markReadIfSeen(ChatRoom *room)
{
    if (room && room == m_currentRoom && m_followingNewest)
        room->markRead();
}

bool ChatClient::isLoadingOlder(const QString &room) const { return m_sync->isLoadingOlder(room); }

void ChatClient::loadOlderMessages(const QString &name) { m_sync->loadOlderMessages(m_rooms->find(name)); }

void ChatClient::setTyping(bool active)
{
    if (!m_connection->isAuthenticated())
        return;
    const qint64 now = m_clock.elapsedMs();
    if (active) {
        if (!m_currentRoom)
            return;
        if (m_typingSentMs >= 0 && m_typingRoom == m_currentRoom->name() && now - m_typingSentMs < kTypingResendMs)
            return;
        m_typingRoom = m_currentRoom->name();
        m_typingSentMs = now;
        request(Request::typing({}, {m_typingRoom, true}), [](const Reply &) {});
        return;
    }
    if (m_typingSentMs < 0)
        return;
    m_typingSentMs = -1;
    request(Request::typing({}, {m_typingRoom, false}), [](const Reply &) {});
}

void ChatClient::setAway(bool away)
{
    request(Request::presence({}, away ? Protocol::PresenceStatus::Away : Protocol::PresenceStatus::Online),
            [](const Reply &) {});
}

// ---- room requests ------------------------------------------------------------------------------

void ChatClient::answerLater(QObject *context, ResultCallback done, const Protocol::Error &error)
{
    QTimer::singleShot(0, context, [done = std::move(done), error] { done(error); });
}

void ChatClient::simpleRequest(Request request, QObject *context, ResultCallback done,
                               std::function<void(const Reply &)> onOk)
{
    QPointer<QObject> guard(context);
    const bool sent = m_connection->request(std::move(request), this, [guard, done, onOk](const Reply &reply) {
        if (reply.isOk() && onOk)
            onOk(reply);
        if (guard)
            done(reply.isOk() ? std::nullopt : reply.error);
    });
    if (!sent)
        answerLater(context, std::move(done), {ErrorCode::Unavailable, tr("Not connected to the server")});
}

void ChatClient::createRoom(const QString &name, bool isPrivate, QObject *context, ResultCallback done)
{
    if (!Names::isValidRoomName(name)) {
        answerLater(context, std::move(done),
                    {ErrorCode::InvalidName, tr("Room names are 1 to %1 letters, digits, dots, dashes or underscores.")
                                                 .arg(Names::kMaxRoomNameLength)});
        return;
    }
    simpleRequest(Request::createRoom({}, {name, isPrivate}), context, std::move(done), [this](const Reply &reply) {
        if (const auto result = parse<Protocol::RoomResult>(reply, "create_room")) {
            ChatRoom *room = m_rooms->ensure(result->room);
            if (result->room.lastSeq == 0)
                room->markLoadedEmpty();
        }
    });
}

void ChatClient::joinRoom(const QString &name, QObject *context, ResultCallback done)
{
    simpleRequest(Request::join({}, name), context, std::move(done), [this](const Reply &reply) {
        if (const auto result = parse<Protocol::RoomResult>(reply, "join")) {
            ChatRoom *room = m_rooms->ensure(result->room);
            room->setJoined(true);
            if (room == m_currentRoom && !room->isLoaded())
                m_sync->loadNewest(room, false);
            // Before joining, a private room's members were not ours to see (the list stayed empty
            // while the header counted them): ask again now that we are one of them.
            if (room == m_currentRoom)
                m_sync->fetchMembers(room);
        }
    });
}

void ChatClient::learnProfiles(const Protocol::RoomResult &result)
{
    // The other person of a direct conversation, by the name they chose (issue 12).
    m_names->learn(result.displayNames);
    m_names->learnAvatars(result.avatars);
}

void ChatClient::openDirect(const QString &user, QObject *context, OpenCallback done)
{
    // The room's name comes with the answer: the caller opens it then.
    auto name = std::make_shared<QString>();
    ResultCallback answered = [name, done = std::move(done)](const std::optional<Protocol::Error> &error) {
        done(error, *name);
    };
    if (!Names::isValidUserName(user)) {
        answerLater(context, std::move(answered), {ErrorCode::NotFound, tr("There is no user “%1”.").arg(user)});
        return;
    }
    simpleRequest(
        Request::openDirect({}, {user}), context, std::move(answered),
        [this, name](const Reply &reply) {
            if (const auto result = parse<Protocol::RoomResult>(reply, "open_direct")) {
                learnProfiles(*result);
                ChatRoom *room = m_rooms->ensure(result->room);
                room->setJoined(true);
                if (result->room.lastSeq == 0 && !room->isLoaded())
                    room->markLoadedEmpty();
                *name = room->name();
            }
        });
}

void ChatClient::leaveRoom(const QString &name, QObject *context, ResultCallback done)
{
    simpleRequest(Request::leave({}, name), context, std::move(done), [this, name](const Reply &) {
        ChatRoom *room = m_rooms->find(name);
        if (!room)
            return;
        room->setJoined(false);
        room->removeMember(m_user);
        if (room->isPrivate()) {
            if (room == m_currentRoom)
                setCurrentRoom({});
            m_rooms->remove(name);
        }
    });
}

void ChatClient::invite(const QString &room, const QString &user, QObject *context, ResultCallback done)
{
    simpleRequest(Request::invite({}, {room, user}), context, std::move(done), {});
}

void ChatClient::moderate(Protocol::RequestType type, const Protocol::ModerationParams &params, QObject *context,
                          ResultCallback done)
{
    using Protocol::RequestType;
    simpleRequest(Request::moderation(type, {}, params), context, std::move(done), [this, type, params](const Reply &) {
        ChatRoom *room = m_rooms->find(params.room);
        if (!room)
            return;
        // Only the muted user hears `moderated`: the list here follows our own request's success.
        if (type == RequestType::Mute || type == RequestType::Unmute)
            room->setMemberMuted(params.user, type == RequestType::Mute);
    });
}

void ChatClient::updateRoom(const Protocol::UpdateRoomParams &params, QObject *context, ResultCallback done)
{
    simpleRequest(Request::updateRoom({}, params), context, std::move(done), [this](const Reply &reply) {
        if (const auto result = parse<Protocol::RoomResult>(reply, "update_room"); result && m_rooms->find(result->room.name))
            m_rooms->ensure(result->room);
    });
}

void ChatClient::setDisplayName(const QString &displayName, QObject *context, ResultCallback done)
{
    simpleRequest(Request::setProfile({}, {displayName}), context, std::move(done), [this](const Reply &reply) {
        if (const auto result = parse<Protocol::ProfileEvent>(reply, "set_profile"))
            m_names->setProfile(result->user, result->displayName, result->avatar);
    });
}

void ChatClient::loadMembers(const QString &room)
{
    if (ChatRoom *target = m_rooms->find(room); target && !target->membersLoaded())
        m_sync->fetchMembers(target);
}

void ChatClient::deleteRoom(const Protocol::DeleteRoomParams &params, QObject *context, ResultCallback done)
{
    // The room leaves the list when `room_deleted` comes (to every member's sessions, ours included).
    simpleRequest(Request::deleteRoom({}, params), context, std::move(done), {});
}

void ChatClient::editMessage(const QString &room, qint64 seq, const QString &text, QObject *context,
                             ResultCallback done)
{
    if (text.trimmed().isEmpty() || text.toUtf8().size() > maxTextBytes()) {
        answerLater(context, std::move(done),
                    {ErrorCode::BadRequest, tr("The text must not be empty or longer than the server allows.")});
        return;
    }
    // One id per edit: a request the connection resends is recognised by the server and applied once.
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    simpleRequest(Request::edit({}, {room, seq, text, id}), context, std::move(done), {});
}

void ChatClient::deleteMessage(const QString &room, qint64 seq, QObject *context, ResultCallback done)
{
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    simpleRequest(Request::deleteMessage({}, {room, seq, id}), context, std::move(done), {});
}

void ChatClient::react(const QString &room, qint64 seq, const QString &reaction, bool remove, QObject *context,
                       ResultCallback done)
{
    if (!Protocol::isValidReaction(reaction)) {
        answerLater(context, std::move(done), {ErrorCode::BadRequest, tr("A reaction is one emoji.")});
        return;
    }
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    simpleRequest(Request::react({}, {room, seq, reaction, id, remove}), context, std::move(done), {});
}

// ---- outbox ---------------------------------------------------------------------------------------

qint64 ChatClient::maxTextBytes() const { return m_sender->maxTextBytes(); }

bool ChatClient::isServerAdmin() const { return isSignedIn() && m_serverAdmin; }

void ChatClient::setServerAdmin(bool admin)
{
    m_serverAdmin = admin;
    if (isServerAdmin() == m_serverAdminShown)
        return;
    m_serverAdminShown = isServerAdmin();
    Q_EMIT serverAdminChanged(m_serverAdminShown);
}

ChatClient::SendCheck ChatClient::checkMessage(const QString &roomName, const QString &text) const
{
    if (!isSignedIn())
        return SendCheck::NotSignedIn;
    if (text.trimmed().isEmpty())
        return SendCheck::Empty;
    if (text.toUtf8().size() > maxTextBytes())
        return SendCheck::TooLong;
    const ChatRoom *room = m_rooms->find(roomName);
    if (!room || !room->isJoined())
        return SendCheck::NotJoined;
    return SendCheck::Ok;
}

std::optional<QString> ChatClient::sendMessage(const QString &roomName, const QString &text, qint64 replyTo)
{
    if (checkMessage(roomName, text) != SendCheck::Ok)
        return std::nullopt;
    if (m_typingSentMs >= 0)
        setTyping(false);
    const QString id = m_outbox->enqueue(m_rooms->find(roomName)->name(), text, m_clock.currentDateTime(),
                                         qMax<qint64>(0, replyTo));
    if (m_connection->state() == State::Connected)
        m_sender->flush();
    return id;
}

std::optional<QString> ChatClient::queueFile(const QString &roomName, const QString &caption,
                                             const PendingUpload &upload)
{
    // The room is the server's to judge when the file arrives (403 muted, 404 unknown: shown on the upload), and
    // a caption over the server's limit fails its message once uploaded (kept, to shorten or discard): nothing the
    // person wrote is dropped here.
    if (!isSignedIn())
        return std::nullopt;
    const ChatRoom *room = m_rooms->find(roomName);
    return m_outbox->enqueueUpload(room ? room->name() : roomName, caption.trimmed(), m_clock.currentDateTime(),
                                   upload);
}

bool ChatClient::fileUploaded(const QString &clientMsgId, const Protocol::FileInfo &file)
{
    if (!m_outbox->setUploaded(clientMsgId, file))
        return false;
    if (m_connection->state() == State::Connected)
        m_sender->flush();
    return true;
}

bool ChatClient::retryMessage(const QString &clientMsgId)
{
    if (!m_outbox->retry(clientMsgId))
        return false;
    if (m_connection->state() == State::Connected)
        m_sender->flush();
    return true;
}

bool ChatClient::discardMessage(const QString &clientMsgId) { return m_outbox->discard(clientMsgId); }

void ChatClient::setRoomMuted(const QString &room, bool muted)
{
    if (ChatRoom *known = m_rooms->find(room))
        known->setMuted(muted); // saved by the room's mutedChanged (onRoomAdded)
}

QString ChatClient::draft(const QString &room) const { return m_drafts.value(Names::canonical(room)); }

void ChatClient::setDraft(const QString &room, const QString &text)
{
    if (!isSignedIn() || room.isEmpty())
        return;
    const QString key = Names::canonical(room);
    // Only blank space is no draft: nothing worth keeping, and Enter would not send it anyway.
    const QString kept = text.trimmed().isEmpty() ? QString() : text;
    if (m_drafts.value(key) == kept)
        return;
    if (kept.isEmpty())
        m_drafts.remove(key);
    else
        m_drafts.insert(key, kept);
    if (m_database)
        m_database->setDraft(m_account, key, kept);
}

// ---- the account's own settings ------------------------------------------------------------------

QString ChatClient::deviceLabel()
{
    const QString host = QSysInfo::machineHostName();
    const QString system = QSysInfo::prettyProductName();
    if (host.isEmpty())
        return u"Tertulia %1 on %2"_s.arg(versionString(), system);
    return u"Tertulia %1 on %2 (%3)"_s.arg(versionString(), host, system);
}

void ChatClient::countRequest(Request request, QObject *context, CountCallback done)
{
    QPointer<QObject> guard(context);
    const bool sent = m_connection->request(std::move(request), this, [guard, done](const Reply &reply) {
        if (!guard)
            return;
        if (!reply.isOk())
            return done(*reply.error);
        const auto result = Protocol::RevokedResult::fromJson(reply.data);
        if (const auto *error = std::get_if<Protocol::Error>(&result))
            return done(*error);
        done(std::get<Protocol::RevokedResult>(result).revoked);
    });
    if (!sent) {
        QTimer::singleShot(0, context, [done] {
            done(Protocol::Error{ErrorCode::Unavailable, tr("Not connected to the server")});
        });
    }
}

void ChatClient::changePassword(const QString &currentPassword, const QString &newPassword, QObject *context,
                                CountCallback done)
{
    if (newPassword.size() < Names::kMinPasswordLength || newPassword.size() > Names::kMaxPasswordLength) {
        QTimer::singleShot(0, context, [done] {
            done(Protocol::Error{ErrorCode::BadRequest, tr("The new password must have at least %1 characters.")
                                                            .arg(Names::kMinPasswordLength)});
        });
        return;
    }
    countRequest(Request::changePassword({}, {currentPassword, newPassword}), context, std::move(done));
}

void ChatClient::listDevices(QObject *context, DevicesCallback done)
{
    QPointer<QObject> guard(context);
    const bool sent = m_connection->request(Request::devices({}), this, [guard, done](const Reply &reply) {
        if (!guard)
            return;
        if (!reply.isOk())
            return done(*reply.error);
        const auto list = Protocol::DeviceList::fromJson(reply.data);
        if (const auto *error = std::get_if<Protocol::Error>(&list))
            return done(*error);
        done(std::get<Protocol::DeviceList>(list).devices);
    });
    if (!sent) {
        QTimer::singleShot(0, context, [done] {
            done(Protocol::Error{ErrorCode::Unavailable, tr("Not connected to the server")});
        });
    }
}

template<typename Payload>
void ChatClient::payloadRequest(const Request &request, QObject *context,
                                std::function<void(const std::variant<Payload, Protocol::Error> &)> done)
{
    QPointer<QObject> guard(context);
    const bool sent = m_connection->request(request, this, [guard, done](const Reply &reply) {
        if (!guard)
            return;
        if (!reply.isOk())
            return done(*reply.error);
        const auto answer = Payload::fromJson(reply.data);
        if (const auto *error = std::get_if<Protocol::Error>(&answer))
            return done(*error);
        done(std::get<Payload>(answer));
    });
    if (!sent) {
        QTimer::singleShot(0, context, [done] {
            done(Protocol::Error{ErrorCode::Unavailable, tr("Not connected to the server")});
        });
    }
}

void ChatClient::searchMessages(const Protocol::SearchParams &params, QObject *context, SearchCallback done)
{
    // Results come from rooms whose members this client may never have listed: their senders' names and
    // pictures come with them (issue 12), learnt before the caller shows them.
    payloadRequest<Protocol::SearchResults>(
        Request::search({}, params), context,
        [names = QPointer<DisplayNames>(m_names), done = std::move(done)](const auto &answer) {
            if (const auto *page = std::get_if<Protocol::SearchResults>(&answer); page && names) {
                names->learn(page->displayNames);
                names->learnAvatars(page->avatars);
            }
            done(answer);
        });
}

void ChatClient::listSanctions(const QString &room, QObject *context, SanctionsCallback done)
{
    payloadRequest<Protocol::SanctionsResult>(Request::listSanctions({}, room), context, std::move(done));
}

void ChatClient::revokeDevice(const QString &deviceId, QObject *context, ResultCallback done)
{
    simpleRequest(Request::revokeDevice({}, deviceId), context, std::move(done), {});
}

void ChatClient::revokeOtherDevices(QObject *context, CountCallback done)
{
    countRequest(Request::revokeOtherDevices({}), context, std::move(done));
}

void ChatClient::deleteAccount(const QString &password, QObject *context, ResultCallback done)
{
    simpleRequest(Request::deleteAccount({}, password), context, std::move(done), {});
}

void ChatClient::onAccountDeleted()
{
    if (!isSignedIn())
        return;
    qCInfo(lcClientSession) << "the account" << m_user << "on" << m_server.id() << "was deleted; signing out";
    // Nothing of it can ever be sent: the name is gone for good.
    const QList<OutboxEntry> unsent = m_outbox->entries(); // a copy: discarding changes the list
    for (const OutboxEntry &entry : unsent)
        m_outbox->discard(entry.clientMsgId);
    Q_EMIT accountDeleted();
    signOut();
}

} // namespace Tertulia
