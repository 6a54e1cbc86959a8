#include "server/api/avatarapi.h"

#include "server/accounts/profiledirectory.h"
#include "server/api/bearercaller.h"
#include "server/auth/tokenservice.h"
#include "server/core/serverconfig.h"
#include "server/files/filetype.h"
#include "server/handlers/profilehandler.h"
#include "server/handlers/servercontext.h"
#include "server/logging.h"
#include "server/metrics/metrics.h"
#include "server/rooms/roomregistry.h"
#include "server/session/monotonicclock.h"
#include "server/store/store.h"
#include "shared/identity.h"
#include "shared/names.h"

#include <QtCore/QUrlQuery>

using namespace Qt::StringLiterals;

namespace Tertulia {

using Http::Response;
using Protocol::ErrorCode;

namespace {
/// PUT (set) and DELETE (remove) the caller's picture.
const QString kOwnAvatarPath = QStringLiteral("/api/v1/profile/avatar");
/// GET /api/v1/avatars/<user>[?v=<version>]
const QString kAvatarsPrefix = QStringLiteral("/api/v1/avatars/");

/// A picture asked for by its current version never changes under that URL (a new picture is a new version),
/// so a browser may keep it for a year without asking again; `private` keeps it out of shared caches.
constexpr int kImmutableSeconds = 365 * 24 * 3600;

Response refuse(int status, ErrorCode code, const QString &message) { return Response::error(status, code, message); }
} // namespace

AvatarApi::AvatarApi(ServerContext &context, QObject *parent)
    : QObject(parent),
      m_context(context),
      m_changes(ProfileHandler::kProfileBurst, 1.0 / ProfileHandler::kProfileRefillSeconds),
      m_downloads(kDownloadBurst, kDownloadPerSecond)
{
}

void AvatarApi::addRoutes(Http::Router &router)
{
    // Prefix routes, so the picture's own body limit applies (413 from Content-Length, before a byte of the
    // body is read); each handler checks the method and the exact path.
    router.addPrefixRoute(kOwnAvatarPath, [this](const Http::Request &request, const Http::Responder &responder) {
        ++m_context.metrics.httpRequests;
        change(request, responder);
    }, m_context.config.limits.maxAvatarBytes);
    router.addPrefixRoute(kAvatarsPrefix, [this](const Http::Request &request, const Http::Responder &responder) {
        ++m_context.metrics.httpRequests;
        serve(request, responder);
    }, 0);
}

void AvatarApi::signedIn(const Http::Request &request, const Http::Responder &responder,
                         std::function<void(const QString &user)> then)
{
    withBearerCaller(m_context.tokens, m_context.metrics, this, request, responder,
                     [then = std::move(then)](const Jwt::Claims &caller) { then(caller.subject); });
}

bool AvatarApi::admit(TokenBucketTable &buckets, const QString &userKey, const Http::Responder &responder)
{
    const qint64 now = m_context.clock.nowMs();
    if (buckets.take(userKey, now))
        return true;
    ++m_context.metrics.rateLimitedHttp;
    const qint64 seconds = (buckets.msUntilNext(userKey, now) + 999) / 1000;
    Response response = refuse(429, ErrorCode::RateLimited,
                               QStringLiteral("too many picture changes; retry in %1 s").arg(seconds));
    response.setHeader("Retry-After", QByteArray::number(seconds));
    responder.send(response);
    return false;
}

// ---- set and remove ----

void AvatarApi::change(const Http::Request &request, const Http::Responder &responder)
{
    if (request.path != kOwnAvatarPath) {
        responder.send(refuse(404, ErrorCode::NotFound, QStringLiteral("no such path: %1").arg(request.path)));
        return;
    }
    if (request.method != "PUT" && request.method != "DELETE") {
        Response response = refuse(405, ErrorCode::BadRequest, u"set your picture with PUT, remove it with DELETE"_s);
        response.setHeader("Allow", "PUT, DELETE");
        responder.send(response);
        return;
    }
    signedIn(request, responder, [this, request, responder](const QString &user) {
        if (request.method == "PUT")
            set(user, request, responder);
        else if (admit(m_changes, Names::canonical(user), responder))
            remove(user, responder);
    });
}

void AvatarApi::set(const QString &user, const Http::Request &request, const Http::Responder &responder)
{
    const qint64 maxBytes = m_context.config.limits.maxAvatarBytes;
    if (request.body.isEmpty()) {
        responder.send(refuse(400, ErrorCode::BadRequest, u"send the picture as the body"_s));
        return;
    }
    // The router refused a larger Content-Length before reading; this holds the limit whatever the route says.
    if (request.body.size() > maxBytes) {
        responder.send(refuse(413, ErrorCode::TooLarge,
                              QStringLiteral("an avatar picture may have at most %1 bytes").arg(maxBytes)));
        return;
    }
    // The same header sniffing as uploads (server/files/filetype): only the four image types, declared as
    // what they are.
    const Files::Sniffed sniffed = Files::sniff(request.body);
    const QByteArray declared = request.header("content-type");
    if (!sniffed.isImage() || declared.isEmpty() || !Files::declaredTypeAgrees(declared, sniffed.kind)) {
        responder.send(refuse(415, ErrorCode::BadRequest,
                              sniffed.isImage()
                                  ? QStringLiteral("the bytes are %1: declare Content-Type: %1").arg(Files::mediaType(sniffed.kind))
                                  : u"an avatar picture is a PNG, JPEG, GIF or WebP image"_s));
        return;
    }
    constexpr int side = Identity::kMaxAvatarPictureSide;
    if (sniffed.width > side || sniffed.height > side) {
        responder.send(refuse(400, ErrorCode::BadRequest,
                              QStringLiteral("an avatar picture has at most %1×%1 pixels; this one has %2×%3")
                                  .arg(side)
                                  .arg(sniffed.width)
                                  .arg(sniffed.height)));
        return;
    }
    // Counted once it is a picture the server takes: a refused one changes nothing and tells nobody.
    if (!admit(m_changes, Names::canonical(user), responder))
        return;
    const QString version = Identity::avatarVersion(request.body);
    if (m_context.profiles.avatar(user) == version) { // the same picture again: nobody needs telling
        responder.send(Response::json(200, m_context.profiles.profile(user).toJson()));
        return;
    }
    const AvatarRecord avatar{version, Files::mediaType(sniffed.kind), request.body, m_context.wallClockMs()};
    m_context.store.async<bool>(
        this, [user, avatar](Store &store) { return store.setAvatar(user, avatar); },
        [this, user, version, responder](bool stored) {
            if (!stored) {
                ++m_context.metrics.storeErrors;
                responder.send(refuse(500, ErrorCode::Internal, u"the picture could not be stored; retry"_s));
                return;
            }
            qCDebug(lcServer) << "stored the avatar picture" << version << "of" << user;
            // Every node's ProfileDirectory (this one's at once) applies it and tells who shares a room.
            m_context.rooms.publish(BusEvent::avatarUpdated(user, version, m_context.profiles.displayName(user)));
            responder.send(Response::json(200, m_context.profiles.profile(user).toJson()));
        });
}

void AvatarApi::remove(const QString &user, const Http::Responder &responder)
{
    m_context.store.async<StoreResult<bool>>(
        this, [user](Store &store) { return store.removeAvatar(user); },
        [this, user, responder](const StoreResult<bool> &removed) {
            if (const auto *error = std::get_if<Protocol::Error>(&removed)) {
                ++m_context.metrics.storeErrors;
                responder.send(refuse(500, error->code, error->message));
                return;
            }
            // Told when the store had one, or this node still thought so (a fact it missed).
            if (std::get<bool>(removed) || !m_context.profiles.avatar(user).isEmpty())
                m_context.rooms.publish(BusEvent::avatarUpdated(user, {}, m_context.profiles.displayName(user)));
            responder.send(Response::json(200, m_context.profiles.profile(user).toJson()));
        });
}

// ---- serve ----

void AvatarApi::serve(const Http::Request &request, const Http::Responder &responder)
{
    if (request.method != "GET") {
        Response response = refuse(405, ErrorCode::BadRequest, u"fetch a picture with GET"_s);
        response.setHeader("Allow", "GET");
        responder.send(response);
        return;
    }
    const QString user = request.path.mid(kAvatarsPrefix.size());
    const Response missing = refuse(404, ErrorCode::NotFound, QStringLiteral("'%1' has no avatar picture").arg(user));
    if (!Names::isValidUserName(user)) {
        responder.send(refuse(404, ErrorCode::NotFound, u"there is no such user"_s));
        return;
    }
    const QString asked = request.query.queryItemValue(u"v"_s, QUrl::FullyDecoded);
    signedIn(request, responder, [this, user, asked, missing, responder](const QString &reader) {
        if (!admit(m_downloads, Names::canonical(reader), responder))
            return;
        // Most people have none: answered from memory, without a read.
        if (m_context.profiles.avatar(user).isEmpty()) {
            responder.send(missing);
            return;
        }
        m_context.store.async<std::optional<AvatarRecord>>(
            this, [user](Store &store) { return store.avatar(user); },
            [asked, missing, responder](const std::optional<AvatarRecord> &avatar) {
                if (!avatar) {
                    responder.send(missing);
                    return;
                }
                // As files are served: its own sniffed type, and nosniff with a sandbox policy, so a browser
                // never runs what the bytes hold on this origin.
                Response response = Response::text(200, avatar->bytes, avatar->type.toLatin1());
                response.setHeader("X-Content-Type-Options", "nosniff");
                response.setHeader("Content-Security-Policy", "sandbox; default-src 'none'");
                response.setHeader("Content-Disposition", "inline");
                response.setHeader("Cache-Control", asked == avatar->version
                                                        ? "private, max-age=" + QByteArray::number(kImmutableSeconds)
                                                              + ", immutable"
                                                        : QByteArray("private, no-cache"));
                responder.send(response);
            });
    });
}

} // namespace Tertulia
