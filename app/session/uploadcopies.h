#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QDateTime>
#include <QtCore/QObject>
#include <QtCore/QSet>
#include <QtCore/QString>
#include <QtCore/QThreadPool>

#include <functional>
#include <optional>

namespace Tertulia {

/// The disk work behind the copies of unsent uploads (issue 12), off the GUI thread: a file of hundreds of
/// megabytes is written without freezing the window. Jobs run one at a time, in the order asked for, on a
/// thread pool of one thread (QThreadPool; Qt Concurrent is not a dependency), and report back by queued
/// signals, delivered on the thread this object lives on.
///
/// A copy is written to `<id>.part` and renamed to `<id>` only once every byte is flushed: a name without the
/// suffix is always a complete copy, whatever stops the app meanwhile. sweep() removes what nothing refers to:
/// partial copies, and complete ones a crash left between writing them and saving their outbox row.
class UploadCopies final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UploadCopies)

public:
    /// The suffix of a copy being written (never taken for a complete one).
    static constexpr char kPartialSuffix[] = ".part";

    explicit UploadCopies(QObject *parent = nullptr);
    /// Waits for the job under way and the ones queued (a quit mid-copy finishes the copy).
    ~UploadCopies() override;

    /// Copies `data` into `directory` (made when missing) under a fresh name, unless the complete copies
    /// there and this one would take more than `maxKeptBytes`; then copied() says where (or "" when it was not
    /// kept, with the reason in the log). `key` comes back with it.
    void copy(const QString &key, const QByteArray &data, const QString &directory, qint64 maxKeptBytes);
    /// What a sweep keeps: the copies something refers to (absolute paths), asked for in the sweep's job on the
    /// pool's thread (a database read there needs a connection of its own); nullopt when that cannot be known.
    using Referenced = std::function<std::optional<QSet<QString>>()>;
    /// Removes the files of `directory` that are not in `referenced()` (read when the job runs), and partial
    /// copies; only files last written before now (so a copy made meanwhile by another client of the same data
    /// directory, whose row may not be saved yet, is spared). Nothing when `referenced()` is nullopt. swept()
    /// says how many went.
    void sweep(const QString &directory, Referenced referenced);
    /// Blocks until every job asked for so far has run (their signals are posted, not yet delivered).
    void waitForDone();
    /// Jobs asked for and not finished.
    int pending() const { return m_pending; }

Q_SIGNALS:
    void copied(const QString &key, const QString &path);
    void swept(const QString &directory, int removed);

private:
    QThreadPool m_pool;
    int m_pending = 0; ///< GUI thread only: counted down by the queued signals
};

} // namespace Tertulia
