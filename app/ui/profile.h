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

    /// The profile under QStandardPaths' AppConfigLocation and AppDataLocation (empty name: default).
    /// Creates the folders; nullopt with *error when the name is invalid or a folder cannot be made.
    static std::optional<Profile> open(const QString &name, QString *error = nullptr);
    /// A profile rooted in explicit folders (tests, screenshots).
    static std::optional<Profile> openAt(const QString &name, const QString &configDir, const QString &dataDir,
                                         QString *error = nullptr);

    QString name() const { return m_name; }
    bool isDefault() const { return m_name.isEmpty(); }
    QString configDir() const { return m_configDir; }
    QString dataDir() const { return m_dataDir; }
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
    Profile(QString name, QString configDir, QString dataDir);

    QString m_name;
    QString m_configDir;
    QString m_dataDir;
};

} // namespace Tertulia
