#pragma once

#include <QtWidgets/QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace Tertulia {

/// The admin console's Reset password…: a new password for someone who forgot theirs, typed twice. It can only
/// be accepted when both agree and the server's length rule (8 to 1024 characters) holds; it says why not.
class PasswordResetDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PasswordResetDialog)

public:
    static constexpr int kMinLength = 8;
    static constexpr int kMaxLength = 1024;

    explicit PasswordResetDialog(const QString &user, QWidget *parent = nullptr);

    QString password() const;
    QLineEdit *passwordEdit() const { return m_password; }
    QLineEdit *confirmEdit() const { return m_confirm; }
    QLabel *problemLabel() const { return m_problem; }
    QPushButton *submitButton() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void validate();

    QString m_user;
    QLabel *m_text;
    QLabel *m_passwordLabel;
    QLineEdit *m_password;
    QLabel *m_confirmLabel;
    QLineEdit *m_confirm;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace Tertulia
