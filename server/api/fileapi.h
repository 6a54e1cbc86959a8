#pragma once

#include "server/http/httprouter.h"
#include "server/session/tokenbuckettable.h"
#include "server/store/store.h"

#include <QtCore/QObject>

#include <functional>

namespace Tertulia {

class Room;
struct ServerContext;

/// Files and images over HTTP (issue 12; docs/protocol.md#files): `POST /api/v1/rooms/<room>/files?name=...`
/// stores an upload for a message of that room, `GET /api/v1/files/<id>` serves it to whoever may read the room
/// now. Both take `Authorization: Bearer <access token>`, as the account API does, and check the room as the
/// WebSocket requests do: an upload as a `send` (a member, not banned or muted, the room not archived), a
/// download as a `history` page (public or a member, not banned). Stored and read through Store::async(), off
/// the event loop.
class FileApi : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileApi)

public:
    explicit FileApi(ServerContext &context, QObject *parent = nullptr);

    void addRoutes(Http::Router &router);

    /// A file's Content-Disposition: inline for images, attachment otherwise, with an ASCII `filename` and the
    /// exact name as RFC 5987 `filename*` (RFC 6266). Exposed for its test.
    static QByteArray contentDisposition(const Protocol::FileInfo &file);

private:
    void upload(const Http::Request &request, const Http::Responder &responder);
    void download(const Http::Request &request, const Http::Responder &responder);
    void store(const QString &user, const Http::Request &request, const Http::Responder &responder, Room *room);
    void serve(const QString &userKey, const FileRecord &file, const QByteArray &bytes,
               const Http::Responder &responder, Room *room);

    /// Runs `then` with the user (as registered) of a request's Bearer access token, or answers 401.
    void signedIn(const Http::Request &request, const Http::Responder &responder,
                  std::function<void(const QString &user)> then);
    /// Runs `then` with the room this node holds by that name, loading it from the store first when another
    /// node may have made it; null when there is none.
    void withRoom(const QString &name, std::function<void(Room *room)> then);
    /// Takes a token of the user's bucket or answers 429 with Retry-After.
    bool admit(TokenBucketTable &buckets, const QString &userKey, const Http::Responder &responder);

    ServerContext &m_context;
    TokenBucketTable m_uploads;     ///< per user, all devices together
    TokenBucketTable m_downloads;
};

} // namespace Tertulia
