#pragma once

#include <QtCore/QObject>
#include <QtCore/QStringList>

#include <memory>

class QSettings;

namespace Tertulia {

/// The profile's preferences (INI file): language, notifications, appearance, hosting defaults, and
/// small bits of window state. Setters save at once and announce the change.
class Preferences final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Preferences)

public:
    enum class Theme { System, Light, Dark };
    Q_ENUM(Theme)

    static constexpr quint16 kDefaultHostPort = 7420;

    explicit Preferences(const QString &settingsFile, QObject *parent = nullptr);
    ~Preferences() override;

    /// "en", "es", or empty for the system language.
    QString language() const;
    void setLanguage(const QString &language);

    /// Closing the window leaves Tertulia running in the tray (when there is a tray); Quit quits.
    bool closeToTray() const;
    void setCloseToTray(bool enabled);
    /// Whether the person was told once that closing the window kept Tertulia running.
    bool closeToTrayExplained() const;
    void setCloseToTrayExplained();

    bool notificationsEnabled() const;
    void setNotificationsEnabled(bool enabled);
    /// No notifications at all, mentions included, until turned off (the tray menu, Settings, or the
    /// status bar's indicator). Kept across restarts: a quiet evening should not end with a restart.
    bool doNotDisturb() const;
    void setDoNotDisturb(bool enabled);
    /// A short sound (the desktop's bell, QApplication::beep()) with each notification. Off by default:
    /// desktop notification servers play their own sound by their own settings, and a second one by
    /// default would ring twice.
    bool notificationSound() const;
    void setNotificationSound(bool enabled);

    Theme theme() const;
    void setTheme(Theme theme);

    quint16 hostPort() const;
    void setHostPort(quint16 port);
    bool hostWebPage() const;
    void setHostWebPage(bool enabled);
    /// Also offer unencrypted http:// when hosting (off by default; for browsers that refuse the chat's
    /// own certificate).
    bool hostAllowPlainHttp() const;
    void setHostAllowPlainHttp(bool enabled);

    /// The room last open for an account ("<server id>/<user>"), to reopen it.
    QString lastRoom(const QString &account) const;
    void setLastRoom(const QString &account, const QString &room);

    /// The emoji chosen last, most recent first (EmojiPicker).
    QStringList recentEmoji() const;
    void setRecentEmoji(const QStringList &emoji);

    QByteArray windowGeometry() const;
    QByteArray windowState() const;
    void setWindowGeometry(const QByteArray &geometry, const QByteArray &state);

Q_SIGNALS:
    void languageChanged(const QString &language);
    void notificationsEnabledChanged(bool enabled);
    void doNotDisturbChanged(bool enabled);
    void notificationSoundChanged(bool enabled);
    void themeChanged(Tertulia::Preferences::Theme theme);

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace Tertulia
