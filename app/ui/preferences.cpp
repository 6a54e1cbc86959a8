#include "app/ui/preferences.h"

#include <QtCore/QSettings>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
QString roomKey(const QString &account)
{
    // Accounts contain '/' and ':', which QSettings would read as groups; hex keeps one flat key.
    return u"lastRoom/"_s + QString::fromLatin1(account.toUtf8().toHex());
}
} // namespace

Preferences::Preferences(const QString &settingsFile, QObject *parent)
    : QObject(parent), m_settings(std::make_unique<QSettings>(settingsFile, QSettings::IniFormat))
{
}

Preferences::~Preferences() = default;

QString Preferences::language() const { return m_settings->value(u"language"_s).toString(); }

void Preferences::setLanguage(const QString &language)
{
    if (language == this->language())
        return;
    m_settings->setValue(u"language"_s, language);
    m_settings->sync();
    Q_EMIT languageChanged(language);
}

bool Preferences::closeToTray() const { return m_settings->value(u"closeToTray"_s, true).toBool(); }

void Preferences::setCloseToTray(bool enabled) { m_settings->setValue(u"closeToTray"_s, enabled); }

bool Preferences::closeToTrayExplained() const { return m_settings->value(u"closeToTrayExplained"_s, false).toBool(); }

void Preferences::setCloseToTrayExplained() { m_settings->setValue(u"closeToTrayExplained"_s, true); }

bool Preferences::notificationsEnabled() const { return m_settings->value(u"notifications"_s, true).toBool(); }

void Preferences::setNotificationsEnabled(bool enabled)
{
    if (enabled == notificationsEnabled())
        return;
    m_settings->setValue(u"notifications"_s, enabled);
    m_settings->sync();
    Q_EMIT notificationsEnabledChanged(enabled);
}

bool Preferences::doNotDisturb() const { return m_settings->value(u"doNotDisturb"_s, false).toBool(); }

void Preferences::setDoNotDisturb(bool enabled)
{
    if (enabled == doNotDisturb())
        return;
    m_settings->setValue(u"doNotDisturb"_s, enabled);
    m_settings->sync();
    Q_EMIT doNotDisturbChanged(enabled);
}

bool Preferences::notificationSound() const { return m_settings->value(u"notificationSound"_s, false).toBool(); }

void Preferences::setNotificationSound(bool enabled)
{
    if (enabled == notificationSound())
        return;
    m_settings->setValue(u"notificationSound"_s, enabled);
    m_settings->sync();
    Q_EMIT notificationSoundChanged(enabled);
}

Preferences::Theme Preferences::theme() const
{
    const QString name = m_settings->value(u"theme"_s).toString();
    if (name == u"dark")
        return Theme::Dark;
    if (name == u"light")
        return Theme::Light;
    return Theme::System;
}

void Preferences::setTheme(Theme theme)
{
    if (theme == this->theme())
        return;
    const QString name = theme == Theme::Dark ? u"dark"_s : theme == Theme::Light ? u"light"_s : u"system"_s;
    m_settings->setValue(u"theme"_s, name);
    m_settings->sync();
    Q_EMIT themeChanged(theme);
}

quint16 Preferences::hostPort() const
{
    const uint port = m_settings->value(u"host/port"_s, kDefaultHostPort).toUInt();
    return port > 0 && port <= 65535 ? quint16(port) : kDefaultHostPort;
}

void Preferences::setHostPort(quint16 port) { m_settings->setValue(u"host/port"_s, port); }

bool Preferences::hostWebPage() const { return m_settings->value(u"host/webPage"_s, false).toBool(); }

void Preferences::setHostWebPage(bool enabled) { m_settings->setValue(u"host/webPage"_s, enabled); }

bool Preferences::hostAllowPlainHttp() const { return m_settings->value(u"host/allowPlainHttp"_s, false).toBool(); }

void Preferences::setHostAllowPlainHttp(bool enabled) { m_settings->setValue(u"host/allowPlainHttp"_s, enabled); }

QString Preferences::lastRoom(const QString &account) const { return m_settings->value(roomKey(account)).toString(); }

void Preferences::setLastRoom(const QString &account, const QString &room)
{
    if (account.isEmpty())
        return;
    m_settings->setValue(roomKey(account), room);
}

QStringList Preferences::recentEmoji() const { return m_settings->value(u"emoji/recent"_s).toStringList(); }

void Preferences::setRecentEmoji(const QStringList &emoji) { m_settings->setValue(u"emoji/recent"_s, emoji); }

QByteArray Preferences::windowGeometry() const { return m_settings->value(u"window/geometry"_s).toByteArray(); }
QByteArray Preferences::windowState() const { return m_settings->value(u"window/state"_s).toByteArray(); }

void Preferences::setWindowGeometry(const QByteArray &geometry, const QByteArray &state)
{
    m_settings->setValue(u"window/geometry"_s, geometry);
    m_settings->setValue(u"window/state"_s, state);
    m_settings->sync();
}

} // namespace Tertulia
