#include "app/ui/passwordresetdialog.h"

#include <QtCore/QEvent>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

namespace Tertulia {

PasswordResetDialog::PasswordResetDialog(const QString &user, QWidget *parent)
    : QDialog(parent), m_user(user), m_text(new QLabel), m_passwordLabel(new QLabel), m_password(new QLineEdit),
      m_confirmLabel(new QLabel), m_confirm(new QLineEdit), m_problem(new QLabel),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    m_text->setWordWrap(true);
    m_problem->setWordWrap(true);
    for (QLineEdit *edit : {m_password, m_confirm}) {
        edit->setEchoMode(QLineEdit::Password);
        edit->setMaxLength(kMaxLength);
        connect(edit, &QLineEdit::textChanged, this, &PasswordResetDialog::validate);
    }
    m_passwordLabel->setBuddy(m_password);
    m_confirmLabel->setBuddy(m_confirm);
    auto *form = new QFormLayout;
    form->addRow(m_passwordLabel, m_password);
    form->addRow(m_confirmLabel, m_confirm);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_text);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    retranslate();
    m_password->setFocus();
}

QString PasswordResetDialog::password() const { return m_password->text(); }

QPushButton *PasswordResetDialog::submitButton() const { return m_buttons->button(QDialogButtonBox::Ok); }

void PasswordResetDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void PasswordResetDialog::retranslate()
{
    setWindowTitle(tr("Reset the password of %1").arg(m_user));
    m_text->setText(tr("%1 is signed out on every device and signs in again with this password. Tell them "
                       "through a channel you trust.")
                        .arg(m_user));
    m_passwordLabel->setText(tr("&New password:"));
    m_confirmLabel->setText(tr("&Again:"));
    submitButton()->setText(tr("&Set password"));
    validate();
}

void PasswordResetDialog::validate()
{
    const QString password = m_password->text();
    QString problem;
    if (password.size() < kMinLength)
        problem = tr("At least %1 characters.").arg(kMinLength);
    else if (m_confirm->text() != password)
        problem = tr("The two passwords are not the same.");
    m_problem->setText(problem);
    m_problem->setAccessibleName(problem);
    submitButton()->setEnabled(problem.isEmpty());
}

} // namespace Tertulia
