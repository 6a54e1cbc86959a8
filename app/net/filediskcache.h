#pragma once

#include <QtNetwork/QNetworkDiskCache>

namespace Tertulia {

/// Downloaded files and pictures kept on disk across runs (issue 12), so an image already seen is shown without
/// asking the server again. Qt's QNetworkDiskCache does the work: HTTP caching as the server's `Cache-Control`
/// allows (a file's bytes never change under its id), keyed by URL, which names the server and the file's id,
/// bounded in size. It evicts the entries stored longest ago first (expire() orders by file creation time); so
/// that this is the least *recently used* one, an entry read from the cache is stored again (a new file) when its
/// last use is over kTouchSeconds old: its time is then its last use, at the cost of one rewrite per entry and
/// hour at most. Everything goes through the QNetworkAccessManager of FileClient; nothing is hand-written but
/// that.
class FileDiskCache final : public QNetworkDiskCache
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileDiskCache)

public:
    /// The default bound of the cache folder.
    static constexpr qint64 kDefaultMaxBytes = 256LL * 1024 * 1024;
    /// An entry used again within this long keeps its place in the order of eviction.
    static constexpr qint64 kTouchSeconds = 3600;

    explicit FileDiskCache(const QString &directory, qint64 maxBytes = kDefaultMaxBytes, QObject *parent = nullptr);

    QIODevice *data(const QUrl &url) override;

private:
    bool m_touching = false;
};

} // namespace Tertulia
