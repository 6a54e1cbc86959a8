#include "app/ui/profile.h"

#include <QtCore/QDir>
#include <QtCore/QStandardPaths>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tertulia {

Profile::Profile(QString name, QString configDir, QString dataDir, QString cacheDir)
    : m_name(std::move(name))
    , m_configDir(std::move(configDir))
    , m_dataDir(std::move(dataDir))
    , m_cacheDir(std::move(cacheDir))
{
}

bool Profile::isValidName(const QString &name)
{
    if (name.isEmpty() || name.size() > 64 || name.startsWith(u'.'))
        return false;
    return std::all_of(name.cbegin(), name.cend(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_'
               || c == u'-' || c == u'.';
    });
}

QString Profile::invalidNameText(const QString &name)
{
    return tr("“%1” is not a valid profile name: use letters, digits, dots, dashes or underscores.").arg(name);
}

std::optional<Profile> Profile::open(const QString &name, QString *error)
{
    QString config = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
    QString data = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QString cache = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    if (!name.isEmpty()) {
        config += u"/profiles/"_s + name;
        data += u"/profiles/"_s + name;
        cache += u"/profiles/"_s + name;
    }
    return openAt(name, config, data, error, cache);
}

std::optional<Profile> Profile::openAt(const QString &name, const QString &configDir, const QString &dataDir,
                                       QString *error, const QString &cacheDir)
{
    if (!name.isEmpty() && !isValidName(name)) {
        if (error)
            *error = invalidNameText(name);
        return std::nullopt;
    }
    Profile profile(name, QDir::cleanPath(configDir), QDir::cleanPath(dataDir),
                    QDir::cleanPath(cacheDir.isEmpty() ? dataDir + u"/cache"_s : cacheDir));
    for (const QString &dir : {profile.m_configDir, profile.clientDataDir(), profile.hostDataDir()}) {
        if (!QDir().mkpath(dir)) {
            if (error)
                *error = tr("Cannot create the folder %1.").arg(QDir::toNativeSeparators(dir));
            return std::nullopt;
        }
    }
    return profile;
}

QString Profile::settingsFile() const { return m_configDir + u"/tertulia.ini"_s; }
QString Profile::serversFile() const { return m_configDir + u"/servers.ini"_s; }
QString Profile::pinsFile() const { return m_configDir + u"/pins.ini"_s; }
QString Profile::clientDataDir() const { return m_dataDir + u"/client"_s; }
QString Profile::hostDataDir() const { return m_dataDir + u"/host"_s; }
QString Profile::filesCacheDir() const { return m_cacheDir + u"/files"_s; }

QString Profile::keychainService() const
{
    return isDefault() ? u"tertulia"_s : u"tertulia-"_s + m_name;
}

} // namespace Tertulia
