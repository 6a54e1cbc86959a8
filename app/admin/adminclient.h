#pragma once

#include "app/admin/adminviews.h"
#include "app/net/apirequest.h"
#include "app/net/serveraddress.h"
#include "shared/protocol/payloads.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QObject>

#include <functional>
#include <variant>

class QNetworkAccessManager;

namespace Tertulia {

class CertificateTrust;

/// Why an admin API request failed: an enum the console can act on, and a sentence it can show.
struct AdminError
{
    Q_DECLARE_TR_FUNCTIONS(Tertulia::AdminError)

public:
    enum class Code {
        NotAdministrator,   ///< 403: the signed-in account is not an administrator of this server
        SignedOut,          ///< 401: the token is no longer valid (the app signs in again by itself)
        NotFound,           ///< 404: the connection or user is gone
        Refused,            ///< 4xx: the server refused the change (it says why)
        ServerUnreachable,  ///< no answer
        ServerError,        ///< anything else
    };
    Code code = Code::ServerError;
    QString detail;         ///< the server's message or the network error, for the details

    static AdminError fromAnswer(const ApiAnswer &answer);
    /// A sentence for people, translated.
    QString text() const;
};

/// The server's admin HTTP API (/api/v1/admin/, docs/administration.md) and its /metrics, for the admin
/// console: reads and actions, each answered once, asynchronously, with a value or an AdminError. The access
/// token is asked for at each request, so a refreshed token is used as soon as the app has it.
class AdminClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AdminClient)

public:
    template<typename T>
    using Result = std::variant<T, AdminError>;
    template<typename T>
    using Done = std::function<void(const Result<T> &)>;

    /// Uses the given QNetworkAccessManager, or an own one when null.
    AdminClient(const ServerAddress &server, std::function<QString()> accessToken,
                QNetworkAccessManager *network = nullptr, QObject *parent = nullptr);

    void setCertificateTrust(CertificateTrust *trust) { m_requests.setCertificateTrust(trust); }
    const ServerAddress &server() const { return m_server; }

    void connections(Done<QList<Admin::Connection>> done);
    void rooms(Done<QList<Admin::Room>> done);
    void users(Done<QList<Admin::User>> done);
    /// /metrics, stamped with the time it was read.
    void metrics(Done<Admin::MetricsScrape> done);
    /// Closes a connection, on whichever node it is (the client sees 4005 and the reason). `connection` is
    /// its Admin::Connection::ref().
    void disconnect(const QString &connection, const QString &reason, Done<std::monostate> done);
    /// Revokes every login of the user; its connections close.
    void signOutEverywhere(const QString &user, Done<std::monostate> done);
    /// A page of the audit log, newest first: the newest lines, or (before > 0) those older than line `before`.
    void audit(qint64 before, int limit, Done<Admin::AuditPage> done);
    /// Disables the account (its logins end, it cannot sign in) or enables it again.
    void setDisabled(const QString &user, bool disabled, Done<std::monostate> done);
    /// Promotes `user` to server administrator (true) or makes them a member (false): `POST users/{name}/admin`.
    void setAdministrator(const QString &user, bool admin, Done<std::monostate> done);
    /// Sets a new password for the account (8 to 1024 characters); every login of it ends.
    void resetPassword(const QString &user, const QString &password, Done<std::monostate> done);
    /// Removes `user` from `room` (they may join again; a private room needs a new invitation).
    void removeFromRoom(const QString &room, const QString &user, const QString &reason, Done<std::monostate> done);
    /// Bans `user` from `room` for `duration` seconds (nullopt: until lifted): they leave it at once.
    void ban(const QString &room, const QString &user, const QString &reason, std::optional<qint64> duration,
             Done<std::monostate> done);
    // A room's people and roles (issue 13): the same rules as the room's own moderators', decided by the server.
    /// The room's members with their roles and mutes, and then its banned users (two requests, one answer).
    void roomMembers(const QString &room, Done<QList<Admin::RoomMember>> done);
    /// Mutes `user` in `room` for `duration` seconds (nullopt: until lifted): they stay, and cannot send.
    void mute(const QString &room, const QString &user, const QString &reason, std::optional<qint64> duration,
              Done<std::monostate> done);
    void unmute(const QString &room, const QString &user, Done<std::monostate> done);
    void unban(const QString &room, const QString &user, Done<std::monostate> done);
    /// Makes a member a moderator (true) or a moderator a member (false).
    void setModerator(const QString &room, const QString &user, bool moderator, Done<std::monostate> done);
    /// Makes `user` the owner of `room` (the owner before becomes a moderator).
    void transferOwnership(const QString &room, const QString &user, Done<std::monostate> done);

    // A room's settings (issue 13), for any room: the same rules as the chat's room settings, decided by the server.
    /// Changes the settings `params` sets (PATCH rooms/{room}): title, topic, private, archived; its reason to the
    /// audit log.
    void updateRoom(const Protocol::UpdateRoomParams &params, Done<std::monostate> done);
    /// Deletes the room (DELETE rooms/{room}), its messages with it or kept in the server's database.
    void deleteRoom(const Protocol::DeleteRoomParams &params, Done<std::monostate> done);

    /// The node's newest delivery traces (GET traces?limit=N), newest first.
    void traces(int limit, Done<Admin::TraceList> done);
    /// The trace of message (room, seq) on this node; NotFound when it was not traced or left the ring.
    void trace(const QString &room, qint64 seq, Done<Admin::Trace> done);

private:
    QUrl adminUrl(const QString &path) const;
    QUrl userUrl(const QString &user, const QString &action) const;
    /// rooms/{room}/{what}/{user}[/{action}], each part percent-encoded.
    QUrl roomUrl(const QString &room, const QString &what, const QString &user, const QString &action = {}) const;
    void post(const QUrl &url, const QJsonObject &body, Done<std::monostate> done);
    /// Any method with a JSON body (PATCH, DELETE with one).
    void send(const QByteArray &method, const QUrl &url, const QJsonObject &body, Done<std::monostate> done);
    void remove(const QUrl &url, Done<std::monostate> done);
    void get(const QUrl &url, std::function<void(const ApiAnswer &)> handler);

    ServerAddress m_server;
    std::function<QString()> m_accessToken;
    ApiRequester m_requests;
};

} // namespace Tertulia
