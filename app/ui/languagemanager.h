#pragma once

#include <QtCore/QObject>
#include <QtCore/QStringList>

#include <memory>
#include <vector>

class QTranslator;

namespace Tertulia {

/// Switches the user interface language at run time: installs (or removes) the translators of Qt's
/// own strings, the client core (":/i18n/tertulia_<lang>.qm") and the window
/// (":/i18n/tertulia_app_<lang>.qm"), and sets the default QLocale so dates follow. Qt then sends
/// every widget a LanguageChange event; widgets retranslate in changeEvent(). English is the source
/// language and needs no catalogue.
class LanguageManager final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LanguageManager)

public:
    explicit LanguageManager(QObject *parent = nullptr);
    ~LanguageManager() override;

    /// Language codes with a complete translation, English first.
    static QStringList available();
    /// The language's own name ("English", "Español").
    static QString nativeName(const QString &code);
    /// The first of the system's UI languages we have, else English.
    static QString systemLanguage();

    /// code: one of available(), or empty for the system language. Returns false (and keeps the
    /// current language) when a catalogue cannot be loaded.
    bool setLanguage(const QString &code);
    /// The language in use (never empty).
    QString language() const { return m_language; }

Q_SIGNALS:
    void languageChanged(const QString &code);

private:
    void removeTranslators();

    QString m_language = QStringLiteral("en");
    std::vector<std::unique_ptr<QTranslator>> m_translators;
};

} // namespace Tertulia
