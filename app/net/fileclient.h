#pragma once

#include "app/net/apirequest.h"
#include "app/net/filediskcache.h"
#include "app/net/serveraddress.h"
#include "shared/protocol/payloads.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <optional>

class QNetworkAccessManager;

namespace Tertulia {

/// Why a file upload or download failed (docs/protocol.md#files): an enum the UI can act on, the HTTP status and
/// the server's own message.
struct FileError
{
    Q_DECLARE_TR_FUNCTIONS(Tertulia::FileError)

public:
    enum class Code {
        TooLarge,          ///< 413: over the server's max_file_bytes (`limit` when the server named it)
        UnsupportedType,   ///< 415: the declared type is not what the bytes are
        RateLimited,       ///< 429: too many files; `retryAfterS`
        Forbidden,         ///< 403: banned, muted, archived room
        NotFound,          ///< 404: no such room or file (deleted, or not yours to see)
        SignedOut,         ///< 401: the token expired or the login ended
        BadRequest,        ///< 400: empty file, bad name
        Unreachable,       ///< no answer (network, TLS, certificate)
        Canceled,          ///< the person cancelled it
        WriteFailed,       ///< a download could not be saved where asked (`detail` says why)
        ServerError,       ///< anything else
    };
    Code code = Code::ServerError;
    int status = 0;
    QString detail;          ///< the server's message, or the network error
    qint64 limit = 0;        ///< TooLarge: the largest file the server takes, when its message names it
    int retryAfterS = 0;     ///< RateLimited: the Retry-After header

    static FileError fromAnswer(const ApiAnswer &answer, const QByteArray &retryAfter = {});
    /// A sentence for people, translated.
    QString text() const;
};

/// One upload or download in flight: progress, then finished() once (asynchronously, also when cancelled).
/// Deletes itself after finished() unless the receiver keeps it (setParent) — it is parented to the FileClient.
class FileTransfer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileTransfer)

public:
    explicit FileTransfer(QObject *parent = nullptr) : QObject(parent) { }

    bool isFinished() const { return m_finished; }
    const std::optional<FileError> &error() const { return m_error; }
    /// An upload's answer: the file as the server stored it.
    const Protocol::FileInfo &file() const { return m_file; }
    /// A download's bytes.
    const QByteArray &data() const { return m_data; }
    /// An avatar picture's change (issue 12): the profile as the server answered it.
    const Protocol::ProfileEvent &profile() const { return m_profile; }
    qint64 bytesDone() const { return m_done; }
    qint64 bytesTotal() const { return m_total; }
    /// Stops it: finished() with Code::Canceled.
    void cancel();

Q_SIGNALS:
    void progress(qint64 done, qint64 total);
    void finished();

private:
    friend class FileClient;
    enum class Kind { Upload, Download, Profile };
    void finish(const ApiAnswer &answer, const QByteArray &retryAfter, Kind kind);

    QPointer<QNetworkReply> m_reply;
    QString m_savePath;
    bool m_finished = false;
    bool m_canceled = false;
    std::optional<FileError> m_error;
    Protocol::FileInfo m_file;
    Protocol::ProfileEvent m_profile;
    QByteArray m_data;
    qint64 m_done = 0;
    qint64 m_total = 0;
};

/// The server's file API over HTTP (issue 12): uploads to a room and downloads by id, with the session's
/// current access token (asked for at each request, as AdminClient does) and the CertificateTrust's verdict,
/// through ApiRequester like every other HTTP request of the app.
class FileClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileClient)

public:
    /// Uses the given QNetworkAccessManager, or an own one when null.
    explicit FileClient(QNetworkAccessManager *network = nullptr, QObject *parent = nullptr);

    void setCertificateTrust(CertificateTrust *trust) { m_requests.setCertificateTrust(trust); }
    /// How long without any bytes moving before a transfer fails (default 30 s).
    void setTimeout(std::chrono::milliseconds timeout) { m_requests.setTimeout(timeout); }
    /// Keeps downloads (files, pictures) in `directory` across runs, at most `maxBytes` (FileDiskCache): one
    /// already there is not downloaded again while the server's Cache-Control says it is fresh.
    void setDiskCache(const QString &directory, qint64 maxBytes = FileDiskCache::kDefaultMaxBytes);

    /// POST /api/v1/rooms/<room>/files?name=<name> with the bytes; contentType empty: guessed (contentTypeFor).
    FileTransfer *upload(const ServerAddress &server, const QString &accessToken, const QString &room,
                         const QString &name, const QByteArray &data, QString contentType = {});
    /// GET /api/v1/files/<id>; with savePath, the bytes are also written there (atomically, QSaveFile) before
    /// finished().
    FileTransfer *download(const ServerAddress &server, const QString &accessToken, const QString &fileId,
                           const QString &savePath = {});

    /// Avatar pictures (issue 12; docs/protocol.md#avatar-pictures). PUT /api/v1/profile/avatar with the image
    /// (contentType empty: by content), or DELETE it (`data` null); finished() with profile() set.
    FileTransfer *changeAvatar(const ServerAddress &server, const QString &accessToken, const QByteArray &data,
                               QString contentType = {});
    /// GET /api/v1/avatars/<user>?v=<version>: the picture's bytes as data().
    FileTransfer *downloadAvatar(const ServerAddress &server, const QString &accessToken, const QString &user,
                                 const QString &version);

    /// The media type to declare for a file: the image types the server shows inline, when the bytes are one of
    /// them (by content, not by name); application/octet-stream otherwise.
    static QString contentTypeFor(const QString &name, const QByteArray &data);

private:
    FileTransfer *start(const QByteArray &method, const ServerAddress &server, const QUrl &url, const QByteArray &data,
                        const QString &contentType, const QString &accessToken, FileTransfer::Kind kind);

    QNetworkAccessManager *m_network;
    ApiRequester m_requests;
};

} // namespace Tertulia
