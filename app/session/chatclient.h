#pragma once

#include "app/net/autherror.h"
#include "app/net/serveraddress.h"
#include "app/net/transport.h"
#include "app/session/connectionhealth.h"
#include "app/session/outboxsender.h"
#include "app/session/roomsync.h"
#include "shared/protocol/frames.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QSet>

#include <functional>
#include <memory>
#include <optional>

namespace Tertulia {

class AuthClient;
class CertificateTrust;
class ChatRoom;
class ClientDatabase;
class Clock;
class ClockTimer;
class ConnectionManager;
class CredentialStore;
class MemberListModel;
class MessageListModel;
class NetworkWatcher;
class Outbox;
class ReadMarkerSync;
class DisplayReports;
class DisplayNames;
class RoomDirectory;
class RoomListModel;
struct Credentials;
struct OutboxEntry;
struct PendingUpload;

/// Everything one signed-in account needs, in one object the UI binds to: sign-in and sign-out
/// (with the refresh token in the CredentialStore), the connection (ConnectionManager), the rooms
/// (RoomDirectory) and their models, the outbox, drafts and read markers. The sync after every
/// (re)connect and all paging are RoomSync's; sending what the outbox holds is OutboxSender's (after
/// each sync, for each new message). Server events are routed to rooms here and only here.
class ChatClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatClient)
    // Signals carry ChatRoom *: moc needs the full type to register it (queued connections, spies).
    Q_MOC_INCLUDE("app/session/chatroom.h")

public:
    using ResultCallback = std::function<void(const std::optional<Protocol::Error> &)>;

    /// Why a message cannot be sent as it is (the composer says so before the server would).
    enum class SendCheck { Ok, Empty, TooLong, NotJoined, NotSignedIn };
    Q_ENUM(SendCheck)

    /// Messages fetched at a time when opening a room or scrolling back.
    static constexpr int kPageSize = RoomSync::kPageSize;
    /// Pages of 200 fetched to close a gap after a resume before giving up and jumping to the newest.
    static constexpr int kMaxGapPages = RoomSync::kMaxGapPages;
    /// How long the keychain may take to keep the sign-in before the person is told it may not (a
    /// Secret Service that hangs answers only after D-Bus gives up, about 25 s later).
    static constexpr int kKeychainPatienceMs = 3000;
    /// Rate-limited or internal-error sends tried this many times before showing as failed.
    static constexpr int kMaxTransientFailures = OutboxSender::kMaxTransientFailures;

    /// clock and transports are injectable for tests; the defaults are the system clock and real
    /// WebSocket connections, and then the OS network state also triggers reconnects.
    explicit ChatClient(CredentialStore &credentials, QObject *parent = nullptr);
    ChatClient(CredentialStore &credentials, Clock &clock, TransportFactory transports, QObject *parent = nullptr);
    ~ChatClient() override;

    /// Where the outbox and read markers live (the profile's data directory); set before signing in.
    void setDataDirectory(const QString &path);
    QString dataDirectory() const { return m_dataDirectory; }

    ConnectionManager *connection() const { return m_connection; }
    ConnectionHealth *health() const;
    AuthClient *authClient() const { return m_auth; }
    /// The account's certificate pins (in memory until setStorageFile(); the app keeps them in the
    /// profile). Sign-in, token refresh and the WebSocket all go through it.
    CertificateTrust *certificateTrust() const { return m_trust; }
    RoomDirectory *rooms() const { return m_rooms; }
    Outbox *outbox() const { return m_outbox; }
    RoomListModel *roomListModel() const { return m_roomListModel; }
    MessageListModel *messageModel() const { return m_messageModel; }
    MemberListModel *memberModel() const { return m_memberModel; }

    // ---- account ----
    void signIn(const ServerAddress &server, const QString &user, const QString &password, bool remember);
    void createAccount(const ServerAddress &server, const QString &user, const QString &password, bool remember);
    /// "Remember me" from an earlier run: signs in with the refresh token kept in the keychain.
    void resumeSavedSignIn(const ServerAddress &server, const QString &user);
    /// Tokens obtained elsewhere (the embedded server's host login).
    void signInWithTokens(const ServerAddress &server, const QString &user, const Protocol::TokenPair &tokens,
                          bool remember);
    /// The person accepted the certificate a check stopped at (first use, or a new one after a change): it
    /// is pinned, and a connection that failed on it starts again. A sign-in that failed on it is the
    /// caller's to repeat (the password is not kept here).
    void trustCertificate(const CertificateCheck &check);
    /// Revokes the login on the server (best effort), deletes the keychain entry, forgets the rooms.
    /// Unsent messages stay saved for the next sign-in of this account.
    void signOut();
    bool isSignedIn() const { return !m_user.isEmpty(); }
    QString user() const { return m_user; }
    /// The signed-in account is a server administrator (its `hello` says so, and `admin_changed` when an
    /// administrator promotes or demotes it meanwhile): it outranks every room role, so room settings and
    /// moderation are offered to it in every room (the server decides each request), and its admin console.
    bool isServerAdmin() const;
    ServerAddress server() const { return m_server; }
    /// The refresh token is in the keychain (false: this run only).
    bool isRemembered() const { return m_remembered; }

    // ---- chat ----
    SendCheck checkMessage(const QString &room, const QString &text) const;
    /// Longest text the server accepts, in UTF-8 bytes (its `hello` says; 16 KiB until then).
    qint64 maxTextBytes() const;
    /// Queues a message (sent at once when connected), a reply to the room's message `replyTo` when not 0
    /// (the outbox keeps it across restarts); its client message id, or nullopt when checkMessage() refuses it.
    std::optional<QString> sendMessage(const QString &room, const QString &text, qint64 replyTo = 0);
    /// Queues a message carrying a file still to upload (issue 12), with an optional caption, in the same outbox
    /// and order as any message (saved across restarts when the upload has a copy on disk); ChatFiles uploads it,
    /// then fileUploaded() lets it go. Its client message id; nullopt when signed out.
    std::optional<QString> queueFile(const QString &room, const QString &caption, const PendingUpload &upload);
    /// The server took the file of the outbox entry: the message goes (with the connection).
    bool fileUploaded(const QString &clientMsgId, const Protocol::FileInfo &file);
    bool retryMessage(const QString &clientMsgId);
    /// What was typed in a room and not sent yet (kept per account, across restarts), so that text
    /// never follows the person into another room.
    QString draft(const QString &room) const;
    /// Keeps the room's draft (empty: none). Saved at once when it changed.
    void setDraft(const QString &room, const QString &text);
    bool discardMessage(const QString &clientMsgId);
    /// Mutes or unmutes a room we know (ChatRoom::setMuted); kept per account across restarts.
    void setRoomMuted(const QString &room, bool muted);

    void createRoom(const QString &name, bool isPrivate, QObject *context, ResultCallback done);
    void joinRoom(const QString &name, QObject *context, ResultCallback done);
    void leaveRoom(const QString &name, QObject *context, ResultCallback done);
    /// The error, or the name (address) of the room, once answered.
    using OpenCallback = std::function<void(const std::optional<Protocol::Error> &error, const QString &room)>;
    /// The direct conversation with `user` (issue 12), made the first time; in the room list once answered.
    void openDirect(const QString &user, QObject *context, OpenCallback done);
    void invite(const QString &room, const QString &user, QObject *context, ResultCallback done);
    /// Replaces the text of our message `seq` (online only: an edit is not kept in the outbox). The change
    /// reaches the room's timeline as the server's entry, like everyone else's.
    void editMessage(const QString &room, qint64 seq, const QString &text, QObject *context, ResultCallback done);
    /// Deletes our message `seq` (online only); the row becomes a tombstone.
    void deleteMessage(const QString &room, qint64 seq, QObject *context, ResultCallback done);
    /// Gives (or with `remove` takes back) our reaction to message `seq` (online only); the row changes when the
    /// server's entry arrives, as for everyone.
    void react(const QString &room, qint64 seq, const QString &reaction, bool remove, QObject *context,
               ResultCallback done);

    // ---- moderation (owners and moderators; the server decides, docs/protocol.md "Roles and moderation") ----
    /// set_role, transfer_ownership, remove_member, ban, unban, mute or unmute. What it changes reaches the
    /// member list as the server's events do; a mute or unmute, which only its user hears of, marks the member
    /// here when it succeeded.
    void moderate(Protocol::RequestType type, const Protocol::ModerationParams &params, QObject *context,
                  ResultCallback done);
    using SanctionsCallback = std::function<void(const std::variant<Protocol::SanctionsResult, Protocol::Error> &)>;
    /// The room's bans and mutes that hold now (`list_sanctions`: its owner and moderators only); `done` runs
    /// on `context`'s thread, never after `context` is gone.
    void listSanctions(const QString &room, QObject *context, SanctionsCallback done);
    /// Room settings (issue 13): the room's info is updated from the answer (and from `room_updated`).
    void updateRoom(const Protocol::UpdateRoomParams &params, QObject *context, ResultCallback done);
    void deleteRoom(const Protocol::DeleteRoomParams &params, QObject *context, ResultCallback done);
    /// Issue 12: everyone's display names as this client knows them (the user's own included).
    DisplayNames *displayNames() const { return m_names; }
    /// Sets (or, with "", clears) our display name; our other sessions and everyone sharing a room hear it.
    void setDisplayName(const QString &displayName, QObject *context, ResultCallback done);
    /// Asks for the room's member list (and so our role in it) when it has not been loaded: rooms other than the
    /// open one learn their members only when asked.
    void loadMembers(const QString &room);

    // ---- the account's own settings (over the connection: it knows which device this is) ----
    /// A page of `search` results (docs/protocol.md), or why the search failed.
    using SearchCallback = std::function<void(const std::variant<Protocol::SearchResults, Protocol::Error> &)>;
    /// Asks the server for messages holding the words of `params.query` (in `params.room`, or every room of
    /// ours); `done` runs on `context`'s thread, never after `context` is gone.
    void searchMessages(const Protocol::SearchParams &params, QObject *context, SearchCallback done);

    /// How many devices a request signed out, or why it failed.
    using CountCallback = std::function<void(const std::variant<int, Protocol::Error> &)>;
    using DevicesCallback = std::function<void(const std::variant<QList<Protocol::DeviceInfo>, Protocol::Error> &)>;
    /// A new password, given the current one. The server signs every other device out (how many comes back);
    /// this one stays signed in. A new password the server would refuse is refused here (bad_request).
    void changePassword(const QString &currentPassword, const QString &newPassword, QObject *context,
                        CountCallback done);
    /// The account's signed-in devices, this one marked current.
    void listDevices(QObject *context, DevicesCallback done);
    /// Signs another device of the account out (this one signs out with signOut()).
    void revokeDevice(const QString &deviceId, QObject *context, ResultCallback done);
    void revokeOtherDevices(QObject *context, CountCallback done);
    /// Deletes the account on the server, given its password. Once it is gone the server ends the
    /// connection and this client signs out by itself: accountDeleted(), then signedOut().
    void deleteAccount(const QString &password, QObject *context, ResultCallback done);
    /// What this app calls itself in the server's device list: "Tertulia 0.1.0 on HOST (OS)".
    static QString deviceLabel();

    /// The room the message and member models show; empty name for none.
    void setCurrentRoom(const QString &name);
    ChatRoom *currentRoom() const { return m_currentRoom; }
    /// Whether the newest messages of the current room are in sight (the timeline is scrolled to the
    /// bottom; true unless the UI says otherwise). New messages in the current room count as read only
    /// then; coming back to the newest marks the room read.
    void setFollowingNewest(bool following);
    /// Tells the server now how far rooms were read (they are told within a second anyway; a room switch
    /// does this too): for the window losing focus, so the person's other devices are up to date.
    void flushReadMarkers();
    bool isFollowingNewest() const { return m_followingNewest; }
    /// Scrolls back: one page before the oldest loaded message.
    void loadOlderMessages(const QString &room);
    bool isLoadingOlder(const QString &room) const;
    /// The composer's typing state for the current room (throttled on the wire).
    void setTyping(bool active);
    void setAway(bool away);

Q_SIGNALS:
    /// The credentials were accepted; the connection starts.
    void signedIn();
    void signInFailed(const Tertulia::AuthError &error);
    /// A saved sign-in could not be used (none saved, keychain unavailable): ask for the password.
    void savedSignInUnavailable(const QString &reason);
    void signedOut();
    /// The server's answer to the sign-out: revoked is false when it could not be reached (the
    /// token is deleted here anyway and expires on its own).
    void serverSignOutFinished(bool revoked, const QString &error);
    /// The keychain cannot keep the sign-in (or has not answered within kKeychainPatienceMs): say so;
    /// the user stays signed in for this run only.
    void credentialStorageUnavailable(const QString &message);
    /// A keychain that was slow answered after all and keeps the sign-in: the notice can go.
    void credentialStorageRecovered();
    void currentRoomChanged(Tertulia::ChatRoom *room);
    /// A new message from someone else arrived live (for notifications).
    void messageArrived(Tertulia::ChatRoom *room, const Tertulia::Protocol::ChatMessage &message);
    void invited(Tertulia::ChatRoom *room, const QString &by);
    /// A moderator acted on us in `room` (removed, banned, unbanned, muted, unmuted): the room is already
    /// updated (left, gone from the list, or our composer's mute set or lifted); the UI says what happened.
    void moderated(const QString &room, const Tertulia::Protocol::ModerationEvent &event);
    /// A room we could see was deleted (it has left the room list already).
    void roomDeleted(const Tertulia::Protocol::RoomDeletedEvent &event);
    void olderMessagesLoading(Tertulia::ChatRoom *room, bool loading);
    /// The sync after a (re)connect finished.
    void synced(const Tertulia::ResumeSummary &summary);
    /// The account was deleted (from here or another device): its unsent messages are discarded and
    /// this client signs out right after (signedOut()).
    void accountDeleted();
    /// isServerAdmin() changed: a hello that says otherwise than before, `admin_changed` (an administrator
    /// promoted or demoted us while connected), or signing out.
    void serverAdminChanged(bool admin);

private:
    void wire();
    void beginSession(const ServerAddress &server, const QString &user, const Credentials &credentials,
                      bool remember);
    void storeRefreshToken(const QString &refreshToken);
    QString credentialKey() const;
    void onRoomAdded(int row);


    // rooms and messages
    void onEvent(const Protocol::Event &event);
    void onMessage(const Protocol::ChatMessage &message);
    /// Learns the display name and picture version a direct conversation's answer or event carries.
    void learnProfiles(const Protocol::RoomResult &result);
    /// What we know of a room we are in before the server describes it (a message, a link).
    Protocol::RoomInfo joinedRoomInfo(const QString &name) const;
    /// Sends `request` and hands `done` its answer decoded as `Payload` (or the error), on `context`'s thread.
    template<typename Payload>
    void payloadRequest(const Protocol::Request &request, QObject *context,
                        std::function<void(const std::variant<Payload, Protocol::Error> &)> done);
    void onModerated(const Protocol::ModerationEvent &event);
    /// Sets our administrator flag; serverAdminChanged() when isServerAdmin() changes by it.
    void setServerAdmin(bool admin);
    /// Marks the room read when it is the current one and its newest messages are in sight.
    void markReadIfSeen(ChatRoom *room);
    ChatRoom *roomFor(const QString &name);
    bool request(Protocol::Request request, std::function<void(const Protocol::Reply &)> handler);
    void simpleRequest(Protocol::Request request, QObject *context, ResultCallback done,
                       std::function<void(const Protocol::Reply &)> onOk);
    static void answerLater(QObject *context, ResultCallback done, const Protocol::Error &error);
    /// Sends an account request whose answer is a count of signed-out devices.
    void countRequest(Protocol::Request request, QObject *context, CountCallback done);
    /// The account is gone: nothing of it can be sent or signed in any more.
    void onAccountDeleted();


    CredentialStore &m_credentials;
    Clock &m_clock;
    CertificateTrust *m_trust;
    AuthClient *m_auth;
    ConnectionManager *m_connection;
    RoomDirectory *m_rooms;
    Outbox *m_outbox;
    OutboxSender *m_sender;
    RoomSync *m_sync;
    ReadMarkerSync *m_readSync;
    DisplayReports *m_displayReports;
    RoomListModel *m_roomListModel;
    MessageListModel *m_messageModel;
    MemberListModel *m_memberModel;
    NetworkWatcher *m_network = nullptr;
    DisplayNames *m_names = nullptr;
    std::unique_ptr<ClientDatabase> m_database;

    QString m_dataDirectory;
    ServerAddress m_server;
    QString m_user;
    QString m_account;
    bool m_remember = false;
    bool m_remembered = false;
    bool m_serverAdmin = false;        ///< what the hello said, or admin_changed since
    bool m_serverAdminShown = false;   ///< isServerAdmin() as serverAdminChanged() last told it
    bool m_warnedStorage = false;
    quint64 m_signInGeneration = 0;
    QHash<QString, qint64> m_readMarkers;
    QHash<QString, QString> m_drafts; ///< by canonical room name
    QSet<QString> m_mutedRooms;       ///< by canonical room name (ChatRoom::isMuted() of rooms we know)
    QPointer<ChatRoom> m_currentRoom;
    bool m_followingNewest = true;

    QString m_typingRoom;
    qint64 m_typingSentMs = -1;
};

} // namespace Tertulia
