#pragma once

#include "server/http/httprouter.h"
#include "server/session/tokenbuckettable.h"

#include <QtCore/QObject>

#include <functional>

namespace Tertulia {

struct ServerContext;

/// Avatar pictures over HTTP (issue 12; docs/protocol.md#avatar-pictures). `PUT /api/v1/profile/avatar` with an
/// image as the body sets the caller's picture, `DELETE` removes it; both answer the profile as
/// `profile_updated` carries it, and publish ProfileUpdated so every client that shows the person learns the
/// new version. `GET /api/v1/avatars/<user>[?v=<version>]` serves anyone's picture to any signed-in user.
/// All take `Authorization: Bearer <access token>`, as the file API does.
///
/// A picture of its own rather than an upload named by set_profile: files belong to a room (who may read one
/// is decided by the room, a file no message carries is its uploader's alone, uploads count against the
/// unsent-files limit), while an avatar belongs to the person and is seen by anyone who meets them; one
/// request sets it, and there is no unattached upload to clean up.
class AvatarApi : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AvatarApi)

public:
    explicit AvatarApi(ServerContext &context, QObject *parent = nullptr);

    void addRoutes(Http::Router &router);

    /// Pictures served per user: a member list shows many at once, but each version is fetched once.
    static constexpr double kDownloadBurst = 240;
    static constexpr double kDownloadPerSecond = 40;

private:
    void change(const Http::Request &request, const Http::Responder &responder);
    void set(const QString &user, const Http::Request &request, const Http::Responder &responder);
    void remove(const QString &user, const Http::Responder &responder);
    void serve(const Http::Request &request, const Http::Responder &responder);

    /// Runs `then` with the user (as registered) of a request's Bearer access token, or answers 401.
    void signedIn(const Http::Request &request, const Http::Responder &responder,
                  std::function<void(const QString &user)> then);
    /// Takes a token of the user's bucket or answers 429 with Retry-After.
    bool admit(TokenBucketTable &buckets, const QString &userKey, const Http::Responder &responder);

    ServerContext &m_context;
    /// Changes per user, all devices together: each is told to everyone sharing a room with them, who then
    /// fetch the new picture, so the bucket is set_profile's (ProfileHandler), not the generous upload one.
    TokenBucketTable m_changes;
    TokenBucketTable m_downloads;
};

} // namespace Tertulia
