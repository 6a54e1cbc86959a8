#pragma once

#include "app/ui/avatar.h"

#include <QtCore/QCache>
#include <QtCore/QObject>
#include <QtCore/QSet>
#include <QtCore/QString>
#include <QtGui/QImage>

namespace Tertulia {

class ChatFiles;
class DisplayNames;

/// Everyone's uploaded avatar pictures (issue 12) for one signed-in client: the version each person has comes
/// from DisplayNames (hello, member lists, history pages, `profile_updated`); each picture is downloaded once per
/// version with the session's token (ChatFiles), decoded off the GUI thread at most kDecodedSide pixels square,
/// and kept in a QCache bounded by memory, keyed by user and version (a new version is a new picture; the old
/// one ages out). Until it is loaded, and when it cannot be had, picture() is null and the generated avatar shows.
class AvatarPictures final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AvatarPictures)

public:
    /// Pixels of the decoded square: the largest avatar drawn (the Account dialog's 64) on a 2x screen.
    static constexpr int kDecodedSide = 128;
    /// Memory for decoded pictures, in KiB (64 KiB each: 256 people).
    static constexpr int kCacheKiB = 16 * 1024;

    AvatarPictures(ChatFiles &files, DisplayNames &names, QObject *parent = nullptr);
    ~AvatarPictures() override;

    ChatFiles &files() const { return m_files; }
    /// The user's picture when it is loaded (with its version); otherwise a null one, and it starts loading
    /// (once per version) when the user has one.
    Avatar::Picture picture(const QString &user);
    /// Whether the user's current picture is being downloaded or decoded.
    bool isLoading(const QString &user) const;
    /// Forgets the pictures that could not be had, so they are tried again (the connection is back).
    void retryFailed();
    /// Keeps a picture this app has already (the one it just sent) under its version: no download.
    void insert(const QString &user, const QString &version, const QImage &image);

Q_SIGNALS:
    /// The user's picture was loaded: repaint what shows them.
    void pictureChanged(const QString &user);

private:
    QString keyOf(const QString &user, const QString &version) const;

    ChatFiles &m_files;
    DisplayNames &m_names;
    QCache<QString, QImage> m_cache{kCacheKiB};
    QSet<QString> m_loading;
    QSet<QString> m_failed;
};

} // namespace Tertulia
