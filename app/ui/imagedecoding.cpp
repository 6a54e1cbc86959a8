#include "app/ui/imagedecoding.h"

#include <QtConcurrent/QtConcurrentRun>
#include <QtCore/QBuffer>
#include <QtCore/QFutureWatcher>
#include <QtGui/QImageReader>

namespace Tertulia {

void decodeImageOffThread(QByteArray data, QObject *context, std::function<QImage(QImageReader &)> read,
                          std::function<void(const QImage &)> done)
{
    // The watcher is the context's child: it goes with it, and its finished signal with it.
    auto *watcher = new QFutureWatcher<QImage>(context);
    QObject::connect(watcher, &QFutureWatcher<QImage>::finished, context, [watcher, done = std::move(done)] {
        watcher->deleteLater();
        done(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([data = std::move(data), read = std::move(read)] {
        QBuffer buffer;
        buffer.setData(data);
        buffer.open(QIODevice::ReadOnly);
        QImageReader reader(&buffer);
        reader.setAutoTransform(true);
        return read(reader);
    }));
}

} // namespace Tertulia
