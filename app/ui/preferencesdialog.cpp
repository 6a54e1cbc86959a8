#include "app/ui/preferencesdialog.h"

#include "app/ui/languagemanager.h"
#include "app/ui/preferences.h"

#include <QtCore/QEvent>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QBoxLayout>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSystemTrayIcon>

namespace Tertulia {

PreferencesDialog::PreferencesDialog(Preferences &preferences, QWidget *parent)
    : QDialog(parent), m_preferences(preferences), m_languageLabel(new QLabel(this)), m_language(new QComboBox(this)),
      m_notifications(new QCheckBox(this)), m_closeToTray(new QCheckBox(this)),
      m_sound(new QCheckBox(this)), m_doNotDisturb(new QCheckBox(this)), m_close(nullptr),
      m_themeLabel(new QLabel(this)),
      m_theme(new QComboBox(this)),
      m_hosting(new QGroupBox(this)), m_plainHttp(new QCheckBox(this)), m_plainHttpWarning(new QLabel(this)),
      m_buttons(new QDialogButtonBox(this))
{
    // Our own button rather than the standard Close: a standard button takes its text from Qt's
    // catalogue when the language changes, after ours, and stayed in English.
    m_close = m_buttons->addButton(QString(), QDialogButtonBox::RejectRole);
    auto *layout = new QFormLayout(this);
    layout->addRow(m_languageLabel, m_language);
    layout->addRow(m_themeLabel, m_theme);
    layout->addRow(m_notifications);
    layout->addRow(m_sound);
    layout->addRow(m_doNotDisturb);
    layout->addRow(m_closeToTray);
    auto *hosting = new QVBoxLayout(m_hosting);
    hosting->addWidget(m_plainHttp);
    m_plainHttpWarning->setWordWrap(true);
    m_plainHttpWarning->setIndent(20);
    hosting->addWidget(m_plainHttpWarning);
    layout->addRow(m_hosting);
    layout->addRow(m_buttons);
    m_languageLabel->setBuddy(m_language);
    m_themeLabel->setBuddy(m_theme);
    setMinimumWidth(380);

    // Item data: the language code ("" = system) and the theme; texts are set in retranslate().
    m_language->addItem(QString(), QString());
    for (const QString &code : LanguageManager::available())
        m_language->addItem(LanguageManager::nativeName(code), code);
    for (const auto theme : {Preferences::Theme::System, Preferences::Theme::Light, Preferences::Theme::Dark})
        m_theme->addItem(QString(), QVariant::fromValue(theme));

    m_language->setCurrentIndex(std::max(0, m_language->findData(preferences.language())));
    m_theme->setCurrentIndex(std::max(0, m_theme->findData(QVariant::fromValue(preferences.theme()))));
    m_notifications->setChecked(preferences.notificationsEnabled());
    m_closeToTray->setChecked(preferences.closeToTray());
    m_sound->setChecked(preferences.notificationSound());
    m_doNotDisturb->setChecked(preferences.doNotDisturb());
    m_closeToTray->setEnabled(QSystemTrayIcon::isSystemTrayAvailable());
    m_plainHttp->setChecked(preferences.hostAllowPlainHttp());

    connect(m_language, &QComboBox::currentIndexChanged, this,
            [this] { m_preferences.setLanguage(m_language->currentData().toString()); });
    connect(m_theme, &QComboBox::currentIndexChanged, this,
            [this] { m_preferences.setTheme(m_theme->currentData().value<Preferences::Theme>()); });
    connect(m_notifications, &QCheckBox::toggled, &m_preferences, &Preferences::setNotificationsEnabled);
    connect(m_closeToTray, &QCheckBox::toggled, &m_preferences, &Preferences::setCloseToTray);
    connect(m_sound, &QCheckBox::toggled, &m_preferences, &Preferences::setNotificationSound);
    connect(m_doNotDisturb, &QCheckBox::toggled, &m_preferences, &Preferences::setDoNotDisturb);
    // Do not disturb is also switched from the tray and the status bar while the dialog is open.
    connect(&m_preferences, &Preferences::doNotDisturbChanged, m_doNotDisturb, &QCheckBox::setChecked);
    connect(m_plainHttp, &QCheckBox::toggled, &m_preferences, &Preferences::setHostAllowPlainHttp);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);
    retranslate();
}

void PreferencesDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void PreferencesDialog::retranslate()
{
    setWindowTitle(tr("Preferences"));
    m_languageLabel->setText(tr("&Language:"));
    m_language->setAccessibleName(tr("Language"));
    m_language->setItemText(0, tr("System language (%1)").arg(LanguageManager::nativeName(LanguageManager::systemLanguage())));
    m_themeLabel->setText(tr("&Appearance:"));
    m_theme->setAccessibleName(tr("Appearance"));
    m_theme->setItemText(0, tr("System"));
    m_theme->setItemText(1, tr("Light"));
    m_theme->setItemText(2, tr("Dark"));
    m_notifications->setText(tr("Show &notifications for new messages in other rooms"));
    m_notifications->setToolTip(tr("A muted room notifies only when someone mentions you"));
    m_sound->setText(tr("Play a &sound with each notification"));
    m_sound->setToolTip(tr("The desktop's alert sound; your desktop may also play its own"));
    m_doNotDisturb->setText(tr("&Do not disturb: no notifications at all, not even for mentions"));
    m_hosting->setTitle(tr("Hosting a chat"));
    m_plainHttp->setText(tr("Also offer an &unencrypted address (http://)"));
    m_plainHttpWarning->setText(tr("Only for browsers that refuse the chat's own certificate. Anyone on the network "
                                   "can read what is sent over it, passwords included. Takes effect the next time "
                                   "you host."));
    m_closeToTray->setText(tr("&Keep running in the tray when the window is closed"));
    m_closeToTray->setToolTip(QSystemTrayIcon::isSystemTrayAvailable()
                                  ? tr("Quit (Ctrl+Q) still quits")
                                  : tr("This desktop has no tray: closing the window quits"));
    m_close->setText(tr("Close"));
    // Texts change length with the language: make room rather than clip them.
    if (layout())
        layout()->activate();
    resize(size().expandedTo(sizeHint()));
}

} // namespace Tertulia
