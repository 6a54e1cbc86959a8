#pragma once

#include <QtWidgets/QDialog>

class QCheckBox;
class QPushButton;
class QComboBox;
class QDialogButtonBox;
class QGroupBox;
class QLabel;

namespace Tertulia {

class Preferences;

/// Language, notifications, appearance and the hosting option for unencrypted addresses. Changes apply at once (the language switches while the
/// dialog is open), so there is nothing to confirm: the dialog only has Close.
class PreferencesDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PreferencesDialog)

public:
    explicit PreferencesDialog(Preferences &preferences, QWidget *parent = nullptr);

    QComboBox *languageBox() const { return m_language; }
    QCheckBox *notificationsBox() const { return m_notifications; }
    QCheckBox *closeToTrayBox() const { return m_closeToTray; }
    QCheckBox *soundBox() const { return m_sound; }
    QCheckBox *doNotDisturbBox() const { return m_doNotDisturb; }
    QPushButton *closeButton() const { return m_close; }
    QComboBox *themeBox() const { return m_theme; }
    QCheckBox *plainHttpBox() const { return m_plainHttp; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    Preferences &m_preferences;
    QLabel *m_languageLabel;
    QComboBox *m_language;
    QCheckBox *m_notifications;
    QCheckBox *m_closeToTray;
    QCheckBox *m_sound;
    QCheckBox *m_doNotDisturb;
    QPushButton *m_close;
    QLabel *m_themeLabel;
    QComboBox *m_theme;
    QGroupBox *m_hosting;
    QCheckBox *m_plainHttp;
    QLabel *m_plainHttpWarning;
    QDialogButtonBox *m_buttons;
};

} // namespace Tertulia
