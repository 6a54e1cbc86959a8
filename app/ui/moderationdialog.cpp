#include "app/ui/moderationdialog.h"

#include "shared/protocol/payloads.h"

#include <QtCore/QEvent>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

namespace Tertulia {

ModerationDialog::ModerationDialog(Kind kind, const QString &user, const QString &room, QWidget *parent)
    : QDialog(parent), m_kind(kind), m_user(user), m_room(room), m_text(new QLabel), m_reasonLabel(new QLabel),
      m_reason(new QLineEdit), m_durationLabel(new QLabel), m_duration(new QComboBox),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    m_text->setWordWrap(true);
    m_reason->setMaxLength(int(Protocol::kMaxReasonLength));
    m_reasonLabel->setBuddy(m_reason);
    m_durationLabel->setBuddy(m_duration);
    for (qsizetype i = 0; i < durations().size(); ++i)
        m_duration->addItem(QString());
    m_duration->setCurrentIndex(1); // a day: long enough to calm down, short enough to be forgotten safely
    auto *form = new QFormLayout;
    form->addRow(m_reasonLabel, m_reason);
    form->addRow(m_durationLabel, m_duration);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_text);
    layout->addLayout(form);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setMinimumWidth(420); // the explanation reads as two lines, not five
    retranslate();
    m_reason->setFocus();
}

QString ModerationDialog::reason() const { return m_reason->text().trimmed(); }

std::optional<qint64> ModerationDialog::duration() const
{
    const auto all = durations();
    const int index = m_duration->currentIndex();
    return index >= 0 && index < all.size() ? all.at(index) : std::nullopt;
}

QPushButton *ModerationDialog::submitButton() const { return m_buttons->button(QDialogButtonBox::Ok); }

QList<std::optional<qint64>> ModerationDialog::durations()
{
    return {3600, 24 * 3600, 7 * 24 * 3600, std::nullopt};
}

void ModerationDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void ModerationDialog::retranslate()
{
    const bool ban = m_kind == Kind::Ban;
    setWindowTitle(ban ? tr("Ban %1 from #%2").arg(m_user, m_room) : tr("Mute %1 in #%2").arg(m_user, m_room));
    m_text->setText(ban ? tr("%1 leaves #%2 at once and cannot come back until the ban ends or is lifted.")
                              .arg(m_user, m_room)
                        : tr("%1 stays in #%2 and can read it, but cannot write until the mute ends or is lifted.")
                              .arg(m_user, m_room));
    m_reasonLabel->setText(tr("&Reason (they will see it):"));
    m_durationLabel->setText(tr("&For:"));
    const QStringList names{tr("1 hour"), tr("1 day"), tr("1 week"), tr("Until lifted")};
    for (int i = 0; i < names.size() && i < m_duration->count(); ++i)
        m_duration->setItemText(i, names.at(i));
    submitButton()->setText(ban ? tr("&Ban") : tr("&Mute"));
}

} // namespace Tertulia
