#pragma once

#include <QtCore/QCoreApplication>
#include <QtCore/QString>

#include <optional>

namespace Tertulia {

/// Where one profile keeps its settings and data. The default profile uses the app's standard
/// locations; `--profile NAME` adds a "profiles/NAME" subfolder to both, so several accounts (and
/// tests) never share settings, remembered servers, outboxes or a hosted server's database.
class Profile
{
    Q_DECLARE_TR_FUNCTIONS(Tertulia::Profile)

public:
    /// Profile names double as folder names: 1–64 ASCII letters, digits, '_', '.', '-', not starting
    /// with a dot.
    static bool isValidName(const QString &name);
    /// Why name cannot be a profile's, in a sentence.
    static QString invalidNameText(const QString &name);

    /// The profile under QStandardPaths' AppConfigLocation, AppDataLocation and CacheLocation (empty name:
    /// default). Creates the folders; nullopt with *error when the name is invalid or a folder cannot be made.
    static std::optional<Profile> open(const QString &name, QString *error = nullptr);
    /// A profile rooted in explicit folders (tests, screenshots); without a cache folder, `<dataDir>/cache`.
    static std::optional<Profile> openAt(const QString &name, const QString &configDir, const QString &dataDir,
                                         QString *error = nullptr, const QString &cacheDir = {});

    QString name() const { return m_name; }
    bool isDefault() const { return m_name.isEmpty(); }
    QString configDir() const { return m_configDir; }
    QString dataDir() const { return m_dataDir; }
    /// What may be thrown away and fetched again (QStandardPaths::CacheLocation).
    QString cacheDir() const { return m_cacheDir; }
    /// Downloaded files and pictures (FileDiskCache, issue 12).
    QString filesCacheDir() const;
    /// Preferences and window state (INI).
    QString settingsFile() const;
    /// Remembered servers (ServerList, INI).
    QString serversFile() const;
    /// The client's outbox and read markers.
    QString clientDataDir() const;
    /// The database of the chat this profile hosts (and its certificate, host.crt and host.key).
    QString hostDataDir() const;
    /// Pinned server certificates (CertificateTrust, INI): fingerprints, not secrets.
    QString pinsFile() const;
    /// The keychain service, so profiles do not share stored sign-ins.
    QString keychainService() const;

private:
    Profile(QString name, QString configDir, QString dataDir, QString cacheDir);

    QString m_name;
    QString m_configDir;
    QString m_dataDir;
    QString m_cacheDir;
};

} // namespace Tertulia
