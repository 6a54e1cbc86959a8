#include "app/ui/languagemanager.h"

#include "app/ui/uilogging.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QLibraryInfo>
#include <QtCore/QLocale>
#include <QtCore/QTranslator>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
// The names of the keys our shortcuts use, as QKeySequence::toString() asks for them (context
// "QShortcut"). Qt's own catalogue has them, but it is often not installed (Debian ships it apart):
// with these in our catalogue the menus say "Mayús+Ctrl+H" and "Alt+Abajo" in Spanish either way.
[[maybe_unused]] constexpr const char *kKeyNames[] = {
    QT_TRANSLATE_NOOP("QShortcut", "Ctrl"),   QT_TRANSLATE_NOOP("QShortcut", "Shift"),
    QT_TRANSLATE_NOOP("QShortcut", "Alt"),    QT_TRANSLATE_NOOP("QShortcut", "Meta"),
    QT_TRANSLATE_NOOP("QShortcut", "Up"),     QT_TRANSLATE_NOOP("QShortcut", "Down"),
    QT_TRANSLATE_NOOP("QShortcut", "Left"),   QT_TRANSLATE_NOOP("QShortcut", "Right"),
    QT_TRANSLATE_NOOP("QShortcut", "PgUp"),   QT_TRANSLATE_NOOP("QShortcut", "PgDown"),
    QT_TRANSLATE_NOOP("QShortcut", "Home"),   QT_TRANSLATE_NOOP("QShortcut", "End"),
    QT_TRANSLATE_NOOP("QShortcut", "Del"),    QT_TRANSLATE_NOOP("QShortcut", "Ins"),
    QT_TRANSLATE_NOOP("QShortcut", "Esc"),    QT_TRANSLATE_NOOP("QShortcut", "Return"),
    QT_TRANSLATE_NOOP("QShortcut", "Enter"),  QT_TRANSLATE_NOOP("QShortcut", "Space"),
    QT_TRANSLATE_NOOP("QShortcut", "Tab"),    QT_TRANSLATE_NOOP("QShortcut", "Backspace"),
};
} // namespace

LanguageManager::LanguageManager(QObject *parent) : QObject(parent) { }

LanguageManager::~LanguageManager() { removeTranslators(); }

QStringList LanguageManager::available() { return {u"en"_s, u"es"_s}; }

QString LanguageManager::nativeName(const QString &code)
{
    // Each language is named in itself, so someone who cannot read the current one still finds theirs.
    if (code == u"es")
        return u"Español"_s;
    return u"English"_s;
}

QString LanguageManager::systemLanguage()
{
    const QStringList languages = available();
    for (const QString &ui : QLocale::system().uiLanguages()) {
        const QString code = ui.section(u'-', 0, 0).section(u'_', 0, 0).toLower();
        if (languages.contains(code))
            return code;
    }
    return u"en"_s;
}

void LanguageManager::removeTranslators()
{
    for (const auto &translator : m_translators)
        QCoreApplication::removeTranslator(translator.get());
    m_translators.clear();
}

bool LanguageManager::setLanguage(const QString &requested)
{
    const QString code = requested.isEmpty() ? systemLanguage() : requested;
    if (!available().contains(code)) {
        qCWarning(lcUi) << "no translation for" << code;
        return false;
    }

    std::vector<std::unique_ptr<QTranslator>> loaded;
    if (code != u"en") {
        // Our catalogues must load; Qt's own (dialog buttons, context menus) are a bonus when installed.
        for (const QString &catalogue : {u":/i18n/tertulia_%1.qm"_s, u":/i18n/tertulia_app_%1.qm"_s}) {
            auto translator = std::make_unique<QTranslator>();
            if (!translator->load(catalogue.arg(code))) {
                qCWarning(lcUi) << "cannot load" << catalogue.arg(code);
                return false;
            }
            loaded.push_back(std::move(translator));
        }
        auto qt = std::make_unique<QTranslator>();
        if (qt->load(QLocale(code), u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            loaded.push_back(std::move(qt));
    }

    removeTranslators();
    QLocale::setDefault(QLocale(code));
    m_translators = std::move(loaded);
    for (const auto &translator : m_translators)
        QCoreApplication::installTranslator(translator.get());
    const bool changed = code != m_language;
    m_language = code;
    if (changed) {
        qCInfo(lcUi) << "language:" << code;
        Q_EMIT languageChanged(code);
    }
    return true;
}

} // namespace Tertulia
