#include "app/net/filediskcache.h"

#include <QtCore/QDateTime>
#include <QtNetwork/QNetworkRequest>

namespace Tertulia {

namespace {
/// When the entry was last read from the cache, kept with its metadata (QNetworkDiskCache stores the attributes).
constexpr auto kLastUsed = QNetworkRequest::Attribute(QNetworkRequest::User + 12);
} // namespace

FileDiskCache::FileDiskCache(const QString &directory, qint64 maxBytes, QObject *parent) : QNetworkDiskCache(parent)
{
    setCacheDirectory(directory);
    setMaximumCacheSize(maxBytes);
}

QIODevice *FileDiskCache::data(const QUrl &url)
{
    // updateMetaData() reads the entry through data() itself: only the outer call touches it.
    if (!m_touching) {
        QNetworkCacheMetaData meta = metaData(url);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QDateTime used = meta.attributes().value(kLastUsed).toDateTime();
        if (meta.isValid() && (!used.isValid() || used.secsTo(now) > kTouchSeconds)) {
            QNetworkCacheMetaData::AttributesMap attributes = meta.attributes();
            attributes.insert(kLastUsed, now);
            meta.setAttributes(attributes);
            m_touching = true;
            updateMetaData(meta); // stored again: a new file, so expire() counts this use
            m_touching = false;
        }
    }
    return QNetworkDiskCache::data(url);
}

} // namespace Tertulia
