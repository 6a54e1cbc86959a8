#include "app/net/fileclient.h"

#include "shared/protocol/errorcode.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QLocale>
#include <QtCore/QMimeDatabase>
#include <QtCore/QRegularExpression>
#include <QtCore/QSaveFile>
#include <QtNetwork/QNetworkAccessManager>

using namespace Qt::StringLiterals;

namespace Tertulia {

using L1 = QLatin1StringView;

FileError FileError::fromAnswer(const ApiAnswer &answer, const QByteArray &retryAfter)
{
    if (answer.refusedCertificate || answer.status <= 0)
        return {Code::Unreachable, answer.status, answer.networkErrorString};
    const QJsonObject error = QJsonDocument::fromJson(answer.body).object().value(L1("error")).toObject();
    FileError result{Code::ServerError, answer.status,
                     error.value(L1("message")).toString(u"HTTP %1"_s.arg(answer.status))};
    switch (answer.status) {
    case 400: result.code = Code::BadRequest; break;
    case 401: result.code = Code::SignedOut; break;
    case 403: result.code = Code::Forbidden; break;
    case 404: result.code = Code::NotFound; break;
    case 413: {
        result.code = Code::TooLarge;
        // The server names its limit only in its sentence ("a file may have at most N bytes").
        const auto match = QRegularExpression(u"(\\d+) bytes"_s).match(result.detail);
        if (match.hasMatch())
            result.limit = match.captured(1).toLongLong();
        break;
    }
    case 415: result.code = Code::UnsupportedType; break;
    case 429:
        result.code = Code::RateLimited;
        result.retryAfterS = retryAfter.toInt();
        break;
    default: break;
    }
    return result;
}

QString FileError::text() const
{
    switch (code) {
    case Code::TooLarge:
        if (limit > 0)
            return tr("The file is too large: this server takes files up to %1.")
                .arg(QLocale().formattedDataSize(limit, 1, QLocale::DataSizeTraditionalFormat));
        return tr("The file is too large for this server.");
    case Code::UnsupportedType: return tr("The file is not of the type its name says.");
    case Code::RateLimited:
        if (retryAfterS > 0)
            return tr("Too many files at once. Try again in %1 s.").arg(retryAfterS);
        return tr("Too many files at once. Try again in a moment.");
    case Code::Forbidden: return tr("You may not do that in this room: %1").arg(detail);
    case Code::NotFound: return tr("The file is not there any more.");
    case Code::SignedOut: return tr("Your sign-in expired. Wait until the app is connected again.");
    case Code::BadRequest: return tr("The server refused the file: %1").arg(detail);
    case Code::Unreachable: return tr("The server cannot be reached.");
    case Code::Canceled: return tr("Cancelled.");
    case Code::WriteFailed: return tr("The file could not be saved: %1").arg(detail);
    case Code::ServerError: break;
    }
    return tr("The server could not do it: %1").arg(detail);
}

void FileTransfer::cancel()
{
    if (m_finished)
        return;
    m_canceled = true;
    if (m_reply)
        m_reply->abort(); // the reply's finished() ends it with Canceled
}

void FileTransfer::finish(const ApiAnswer &answer, const QByteArray &retryAfter, Kind kind)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_canceled) {
        m_error = FileError{FileError::Code::Canceled, 0, {}};
    } else if (answer.status == (kind == Kind::Upload ? 201 : 200)) {
        if (kind == Kind::Profile) {
            auto parsed = Protocol::ProfileEvent::fromJson(QJsonDocument::fromJson(answer.body).object());
            if (auto *profile = std::get_if<Protocol::ProfileEvent>(&parsed))
                m_profile = std::move(*profile);
            else
                m_error = FileError{FileError::Code::ServerError, answer.status,
                                    std::get<Protocol::Error>(parsed).message};
        } else if (kind == Kind::Upload) {
            auto parsed = Protocol::FileInfo::fromJson(QJsonDocument::fromJson(answer.body).object());
            if (auto *file = std::get_if<Protocol::FileInfo>(&parsed))
                m_file = std::move(*file);
            else
                m_error = FileError{FileError::Code::ServerError, answer.status,
                                    std::get<Protocol::Error>(parsed).message};
        } else {
            m_data = answer.body;
            if (!m_savePath.isEmpty()) {
                QSaveFile file(m_savePath);
                if (!file.open(QIODevice::WriteOnly) || file.write(m_data) != m_data.size() || !file.commit())
                    m_error = FileError{FileError::Code::WriteFailed, 0, file.errorString()};
            }
        }
    } else {
        m_error = FileError::fromAnswer(answer, retryAfter);
    }
    Q_EMIT finished();
    deleteLater();
}

FileClient::FileClient(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent), m_network(network ? network : new QNetworkAccessManager(this)), m_requests(m_network)
{
    m_requests.setTimeout(std::chrono::seconds(30));
}

void FileClient::setDiskCache(const QString &directory, qint64 maxBytes)
{
    // The manager owns its cache (and deletes the one it had).
    m_network->setCache(directory.isEmpty() ? nullptr : new FileDiskCache(directory, maxBytes));
}

namespace {

void track(FileTransfer *transfer, QNetworkReply *reply, bool upload)
{
    const auto signal = upload ? &QNetworkReply::uploadProgress : &QNetworkReply::downloadProgress;
    QObject::connect(reply, signal, transfer, [transfer](qint64 done, qint64 total) {
        if (total <= 0)
            return;
        Q_EMIT transfer->progress(done, total);
    });
}

} // namespace

FileTransfer *FileClient::start(const QByteArray &method, const ServerAddress &server, const QUrl &url,
                                const QByteArray &data, const QString &contentType, const QString &accessToken,
                                FileTransfer::Kind kind)
{
    auto *transfer = new FileTransfer(this);
    const bool sending = !data.isEmpty();
    if (sending)
        transfer->m_total = data.size();
    auto retryAfter = std::make_shared<QByteArray>();
    QNetworkReply *reply = m_requests.start(method, server, url, data, contentType, accessToken, transfer,
                                            [transfer, retryAfter, kind](const ApiAnswer &answer) {
                                                transfer->finish(answer, *retryAfter, kind);
                                            });
    QObject::connect(reply, &QNetworkReply::metaDataChanged, transfer,
                     [reply, retryAfter] { *retryAfter = reply->rawHeader("Retry-After"); });
    transfer->m_reply = reply;
    track(transfer, reply, sending);
    connect(transfer, &FileTransfer::progress, transfer, [transfer](qint64 done, qint64 total) {
        transfer->m_done = done;
        transfer->m_total = total;
    });
    return transfer;
}

FileTransfer *FileClient::upload(const ServerAddress &server, const QString &accessToken, const QString &room,
                                 const QString &name, const QByteArray &data, QString contentType)
{
    if (contentType.isEmpty())
        contentType = contentTypeFor(name, data);
    QUrl url = server.apiUrl(u"files"_s);
    url.setPath(u"/api/v1/rooms/"_s + QString::fromLatin1(QUrl::toPercentEncoding(room)) + u"/files"_s,
                QUrl::TolerantMode);
    url.setQuery(u"name="_s + QString::fromLatin1(QUrl::toPercentEncoding(name)), QUrl::TolerantMode);
    return start("POST", server, url, data, contentType, accessToken, FileTransfer::Kind::Upload);
}

FileTransfer *FileClient::download(const ServerAddress &server, const QString &accessToken, const QString &fileId,
                                   const QString &savePath)
{
    QUrl url = server.apiUrl(u"files"_s);
    url.setPath(u"/api/v1/files/"_s + QString::fromLatin1(QUrl::toPercentEncoding(fileId)), QUrl::TolerantMode);
    FileTransfer *transfer = start("GET", server, url, {}, {}, accessToken, FileTransfer::Kind::Download);
    transfer->m_savePath = savePath; // read when it finishes, always later
    return transfer;
}

FileTransfer *FileClient::changeAvatar(const ServerAddress &server, const QString &accessToken, const QByteArray &data,
                                       QString contentType)
{
    QUrl url = server.apiUrl(u"profile"_s);
    url.setPath(u"/api/v1/profile/avatar"_s);
    if (data.isNull())
        return start("DELETE", server, url, {}, {}, accessToken, FileTransfer::Kind::Profile);
    if (contentType.isEmpty())
        contentType = contentTypeFor({}, data);
    return start("PUT", server, url, data, contentType, accessToken, FileTransfer::Kind::Profile);
}

FileTransfer *FileClient::downloadAvatar(const ServerAddress &server, const QString &accessToken, const QString &user,
                                         const QString &version)
{
    QUrl url = server.apiUrl(u"avatars"_s);
    url.setPath(u"/api/v1/avatars/"_s + QString::fromLatin1(QUrl::toPercentEncoding(user)), QUrl::TolerantMode);
    url.setQuery(u"v="_s + QString::fromLatin1(QUrl::toPercentEncoding(version)), QUrl::TolerantMode);
    return start("GET", server, url, {}, {}, accessToken, FileTransfer::Kind::Download);
}

QString FileClient::contentTypeFor(const QString &name, const QByteArray &data)
{
    // By content, never by name: the server checks the bytes and refuses (415) an image type they are not.
    Q_UNUSED(name)
    static const QStringList images{u"image/png"_s, u"image/jpeg"_s, u"image/gif"_s, u"image/webp"_s};
    const QString byContent = QMimeDatabase().mimeTypeForData(data).name();
    return images.contains(byContent) ? byContent : u"application/octet-stream"_s;
}

} // namespace Tertulia
