#include "server/api/fileapi.h"

#include "server/api/bearercaller.h"
#include "server/auth/tokenservice.h"
#include "server/core/serverconfig.h"
#include "server/files/filetype.h"
#include "server/handlers/servercontext.h"
#include "server/logging.h"
#include "server/metrics/metrics.h"
#include "server/rooms/room.h"
#include "server/rooms/roomregistry.h"
#include "server/session/monotonicclock.h"
#include "shared/names.h"

#include <QtCore/QDateTime>
#include <QtCore/QUrl>

#include <sodium.h>

using namespace Qt::StringLiterals;

namespace Tertulia {

using Http::Response;
using Protocol::ErrorCode;

namespace {
/// POST /api/v1/rooms/<room>/files
const QString kRoomsPrefix = QStringLiteral("/api/v1/rooms/");
const QString kFilesSuffix = QStringLiteral("/files");
/// GET /api/v1/files/<id>
const QString kFilesPrefix = QStringLiteral("/api/v1/files/");

/// Downloads per user: generous (a page of history shows many images at once), but bounded.
constexpr int kDownloadBurst = 120;
constexpr double kDownloadPerSecond = 20;

/// A browser or an app may keep a file this long: its bytes never change under its id (a deleted one is gone
/// from the server at once; `private` keeps it out of shared caches). The desktop app's disk cache (FileDiskCache)
/// then shows an image seen before without asking again, across runs, for that long.
constexpr int kCacheSeconds = 30 * 24 * 3600;

/// Unguessable: 18 random bytes from libsodium (as the token service's ids), URL-safe base64 without padding (24
/// characters; no '/' or '.', so it is also a safe file name under the data directory).
QString randomFileId()
{
    QByteArray bytes(18, Qt::Uninitialized);
    randombytes_buf(bytes.data(), size_t(bytes.size()));
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool isFileId(QStringView id)
{
    if (id.isEmpty() || id.size() > Protocol::kMaxFileIdLength)
        return false;
    return std::all_of(id.begin(), id.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'-' || c == u'_';
    });
}

/// The name to keep: its last path component (a browser may send "C:\fakepath\a.png"), without control
/// characters; empty when nothing is left or it is too long.
QString cleanName(const QString &given)
{
    QString name = given.section(u'/', -1).section(u'\\', -1).trimmed();
    name.removeIf([](QChar c) { return c.category() == QChar::Other_Control || c.category() == QChar::Other_Format; });
    if (name.size() > Protocol::kMaxFileNameLength)
        return {};
    return name;
}

Response refuse(int status, ErrorCode code, const QString &message) { return Response::error(status, code, message); }
} // namespace

FileApi::FileApi(ServerContext &context, QObject *parent)
    : QObject(parent),
      m_context(context),
      m_uploads(context.config.limits.uploadBurst, context.config.limits.uploadPerSecond),
      m_downloads(kDownloadBurst, kDownloadPerSecond)
{
}

void FileApi::addRoutes(Http::Router &router)
{
    // Prefix routes: each checks its method. The upload's own body limit is the file limit (413 from
    // Content-Length, before a byte of the body is read); every other route keeps the small default.
    router.addPrefixRoute(kRoomsPrefix, [this](const Http::Request &request, const Http::Responder &responder) {
        ++m_context.metrics.httpRequests;
        upload(request, responder);
    }, m_context.config.limits.maxFileBytes);
    router.addPrefixRoute(kFilesPrefix, [this](const Http::Request &request, const Http::Responder &responder) {
        ++m_context.metrics.httpRequests;
        download(request, responder);
    }, 0);
}

void FileApi::signedIn(const Http::Request &request, const Http::Responder &responder,
                       std::function<void(const QString &user)> then)
{
    withBearerCaller(m_context.tokens, m_context.metrics, this, request, responder,
                     [then = std::move(then)](const Jwt::Claims &caller) { then(caller.subject); });
}

void FileApi::withRoom(const QString &name, std::function<void(Room *room)> then)
{
    if (Room *room = m_context.rooms.loaded(name); room || !m_context.rooms.mayLoad(name)) {
        then(room);
        return;
    }
    m_context.store.async<std::optional<RoomRegistry::StoredRoom>>(
        &m_context.rooms, [name](Store &store) { return RoomRegistry::readRoom(store, name); },
        [this, name, then = std::move(then)](std::optional<RoomRegistry::StoredRoom> stored) {
            then(stored ? m_context.rooms.adopt(*stored) : m_context.rooms.loaded(name));
        });
}

bool FileApi::admit(TokenBucketTable &buckets, const QString &userKey, const Http::Responder &responder)
{
    const qint64 now = m_context.clock.nowMs();
    if (buckets.take(userKey, now))
        return true;
    ++m_context.metrics.rateLimitedHttp;
    const qint64 seconds = (buckets.msUntilNext(userKey, now) + 999) / 1000;
    Response response = refuse(429, ErrorCode::RateLimited, QStringLiteral("too many files; retry in %1 s").arg(seconds));
    response.setHeader("Retry-After", QByteArray::number(seconds));
    responder.send(response);
    return false;
}

// ---- upload ----

void FileApi::upload(const Http::Request &request, const Http::Responder &responder)
{
    if (request.method != "POST") {
        Response response = refuse(405, ErrorCode::BadRequest, u"upload a file with POST"_s);
        response.setHeader("Allow", "POST");
        responder.send(response);
        return;
    }
    const QString rest = request.path.mid(kRoomsPrefix.size());
    if (!rest.endsWith(kFilesSuffix)) {
        responder.send(refuse(404, ErrorCode::NotFound, QStringLiteral("no such path: %1").arg(request.path)));
        return;
    }
    const QString roomName = rest.chopped(kFilesSuffix.size());
    if (!Names::isValidRoomAddress(roomName)) {
        responder.send(refuse(400, ErrorCode::InvalidName, QStringLiteral("'%1' is not a valid room name").arg(roomName)));
        return;
    }
    signedIn(request, responder, [this, request, responder, roomName](const QString &user) {
        if (!admit(m_uploads, Names::canonical(user), responder))
            return;
        withRoom(roomName, [this, request, responder, user](Room *room) { store(user, request, responder, room); });
    });
}

void FileApi::store(const QString &user, const Http::Request &request, const Http::Responder &responder, Room *room)
{
    const QString userKey = Names::canonical(user);
    const qint64 now = m_context.wallClockMs();
    // The checks of a `send`, in the same order and with the same answers as the WebSocket's.
    if (!room || (room->isPrivate() && !room->isMember(userKey))) {
        responder.send(refuse(404, ErrorCode::NotFound, u"there is no such room"_s));
        return;
    }
    if (room->sanction(userKey, SanctionKind::Ban, now)) {
        responder.send(refuse(403, ErrorCode::Forbidden, QStringLiteral("you are banned from '%1'").arg(room->name())));
        return;
    }
    if (!room->isMember(userKey)) {
        responder.send(refuse(403, ErrorCode::Forbidden, QStringLiteral("join '%1' first").arg(room->name())));
        return;
    }
    if (room->sanction(userKey, SanctionKind::Mute, now)) {
        responder.send(refuse(403, ErrorCode::Forbidden, QStringLiteral("you are muted in '%1'").arg(room->name())));
        return;
    }
    if (room->isArchived()) {
        responder.send(refuse(403, ErrorCode::Archived, QStringLiteral("'%1' is archived: it is read-only").arg(room->name())));
        return;
    }
    const QString name = cleanName(request.query.queryItemValue(u"name"_s, QUrl::FullyDecoded));
    if (name.isEmpty()) {
        responder.send(refuse(400, ErrorCode::BadRequest,
                              QStringLiteral("name the file: ?name=<file name> (1 to %1 characters)")
                                  .arg(Protocol::kMaxFileNameLength)));
        return;
    }
    if (request.body.isEmpty()) {
        responder.send(refuse(400, ErrorCode::BadRequest, u"the file is empty"_s));
        return;
    }
    // The router refused a larger Content-Length before reading; this holds the limit whatever the route says.
    if (request.body.size() > m_context.config.limits.maxFileBytes) {
        responder.send(refuse(413, ErrorCode::TooLarge, QStringLiteral("a file may have at most %1 bytes")
                                                            .arg(m_context.config.limits.maxFileBytes)));
        return;
    }
    const Files::Sniffed sniffed = Files::sniff(request.body);
    const QByteArray declared = request.header("content-type");
    if (declared.isEmpty() || !Files::declaredTypeAgrees(declared, sniffed.kind)) {
        responder.send(refuse(415, ErrorCode::BadRequest,
                              sniffed.isImage()
                                  ? QStringLiteral("the bytes are %1: declare Content-Type: %1").arg(Files::mediaType(sniffed.kind))
                                  : u"the bytes are not an image this server reads (PNG, JPEG, GIF, WebP): send them as "
                                    "application/octet-stream"_s));
        return;
    }
    FileRecord file;
    file.info = Protocol::FileInfo{randomFileId(), name, Files::mediaType(sniffed.kind), request.body.size(),
                                   sniffed.width, sniffed.height};
    file.roomId = room->record().id;
    file.room = room->name();
    file.uploader = user;
    file.createdAt = now;
    const int maxUnsent = m_context.config.limits.maxUnsentFiles;
    m_context.store.async<StoreResult<FileRecord>>(
        this,
        [file, bytes = request.body, maxUnsent](Store &store) -> StoreResult<FileRecord> {
            // Counted and stored in one job on the writer: two uploads at once cannot both take the last place.
            const int unsent = store.unsentFiles(file.uploader);
            if (unsent < 0)
                return Protocol::Error{ErrorCode::Internal, u"the file could not be stored; retry"_s};
            if (unsent >= maxUnsent)
                return Protocol::Error{ErrorCode::RateLimited,
                                       QStringLiteral("you have %1 uploads that no message carries yet: send them "
                                                      "first").arg(unsent)};
            return store.storeFile(file, bytes);
        },
        [this, responder](StoreResult<FileRecord> stored) {
            if (const auto *error = std::get_if<Protocol::Error>(&stored)) {
                const bool limited = error->code == ErrorCode::RateLimited;
                if (!limited)
                    ++m_context.metrics.storeErrors;
                responder.send(refuse(limited ? 429 : 500, error->code, error->message));
                return;
            }
            const FileRecord &record = std::get<FileRecord>(stored);
            qCDebug(lcServer) << "stored file" << record.info.id << "of" << record.info.size << "bytes in" << record.room;
            responder.send(Response::json(201, record.info.toJson()));
        });
}

// ---- download ----

void FileApi::download(const Http::Request &request, const Http::Responder &responder)
{
    if (request.method != "GET") {
        Response response = refuse(405, ErrorCode::BadRequest, u"download a file with GET"_s);
        response.setHeader("Allow", "GET");
        responder.send(response);
        return;
    }
    const QString id = request.path.mid(kFilesPrefix.size());
    if (!isFileId(id)) {
        responder.send(refuse(404, ErrorCode::NotFound, u"there is no such file"_s));
        return;
    }
    signedIn(request, responder, [this, responder, id](const QString &user) {
        const QString userKey = Names::canonical(user);
        if (!admit(m_downloads, userKey, responder))
            return;
        struct Found
        {
            std::optional<FileRecord> file;
            QByteArray bytes;
        };
        m_context.store.async<Found>(
            this,
            [id](Store &store) {
                Found found;
                found.file = store.findFile(id);
                if (found.file) {
                    if (auto bytes = store.fileBytes(id))
                        found.bytes = std::move(*bytes);
                    else
                        found.file.reset(); // forgotten meanwhile, or unreadable
                }
                return found;
            },
            [this, responder, userKey](Found found) {
                if (!found.file) {
                    responder.send(refuse(404, ErrorCode::NotFound, u"there is no such file"_s));
                    return;
                }
                const FileRecord file = *found.file;
                withRoom(file.room, [this, responder, userKey, file, bytes = std::move(found.bytes)](Room *room) {
                    serve(userKey, file, bytes, responder, room);
                });
            });
    });
}

void FileApi::serve(const QString &userKey, const FileRecord &file, const QByteArray &bytes,
                    const Http::Responder &responder, Room *room)
{
    const Response missing = refuse(404, ErrorCode::NotFound, u"there is no such file"_s);
    // As a history page: public or a member, and not banned. A file no message carries yet is its uploader's
    // alone; a private room's files are unknown to others, exactly as the room itself.
    if (!room || room->record().id != file.roomId || (room->isPrivate() && !room->isMember(userKey))
        || (file.seq == 0 && Names::canonical(file.uploader) != userKey)) {
        responder.send(missing);
        return;
    }
    if (room->sanction(userKey, SanctionKind::Ban, m_context.wallClockMs())) {
        responder.send(refuse(403, ErrorCode::Forbidden, QStringLiteral("you are banned from '%1'").arg(room->name())));
        return;
    }
    // Served as stored: an image as its own type (sniffed at upload), anything else as bytes to save. nosniff and
    // a sandbox policy keep a browser from running what a file holds on this origin.
    Response response = Response::text(200, bytes, file.info.type.toLatin1());
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Content-Security-Policy", "sandbox; default-src 'none'");
    response.setHeader("Cache-Control", "private, max-age=" + QByteArray::number(kCacheSeconds) + ", immutable");
    response.setHeader("Content-Disposition", contentDisposition(file.info));
    ++m_context.metrics.filesServed;
    responder.send(response);
}

QByteArray FileApi::contentDisposition(const Protocol::FileInfo &file)
{
    // RFC 6266: `filename` for old clients (ASCII, quoted: quotes, backslashes and anything else replaced), and
    // `filename*` (RFC 5987: UTF-8, percent-encoded) with the exact name, which current browsers prefer.
    QByteArray ascii;
    for (const QChar c : file.name)
        ascii += (c.unicode() >= 0x20 && c.unicode() < 0x7F && c != u'"' && c != u'\\') ? char(c.unicode()) : '_';
    const QByteArray encoded = file.name.toUtf8().toPercentEncoding();
    return (file.isImage() ? "inline" : "attachment") + QByteArray("; filename=\"") + ascii + "\"; filename*=UTF-8''"
        + encoded;
}

} // namespace Tertulia
