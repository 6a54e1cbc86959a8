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
    : QDialog(parent), m_kind(kind), m_user(user), m_room(room), m_text(new QLabel), m_roomLabel(new QLabel),
      m_roomBox(new QComboBox), m_reasonLabel(new QLabel),
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
    m_roomLabel->setBuddy(m_roomBox);
    m_roomBox->setEditable(true);
    m_roomLabel->setVisible(false);
    m_roomBox->setVisible(false);
    connect(m_roomBox, &QComboBox::currentTextChanged, this, &ModerationDialog::retranslate);
    // A removal lasts no time: whoever was removed may come back.
    m_durationLabel->setVisible(kind != Kind::Remove);
    m_duration->setVisible(kind != Kind::Remove);
    auto *form = new QFormLayout;
    form->addRow(m_roomLabel, m_roomBox);
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

void ModerationDialog::setRooms(const QStringList &rooms)
{
    m_roomBox->clear();
    m_roomBox->addItems(rooms);
    m_roomLabel->setVisible(true);
    m_roomBox->setVisible(true);
    m_roomBox->setFocus();
    retranslate();
}

QString ModerationDialog::room() const
{
    return m_roomBox->isVisibleTo(this) ? m_roomBox->currentText().trimmed() : m_room;
}

std::optional<qint64> ModerationDialog::duration() const
{
    if (m_kind == Kind::Remove)
        return std::nullopt;
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
    const QString room = this->room();
    switch (m_kind) {
    case Kind::Ban:
        setWindowTitle(tr("Ban %1 from #%2").arg(m_user, room));
        m_text->setText(tr("%1 leaves #%2 at once and cannot come back until the ban ends or is lifted.").arg(m_user, room));
        submitButton()->setText(tr("&Ban"));
        break;
    case Kind::Mute:
        setWindowTitle(tr("Mute %1 in #%2").arg(m_user, room));
        m_text->setText(tr("%1 stays in #%2 and can read it, but cannot write until the mute ends or is lifted.")
                            .arg(m_user, room));
        submitButton()->setText(tr("&Mute"));
        break;
    case Kind::Remove:
        setWindowTitle(tr("Remove %1 from #%2").arg(m_user, room));
        m_text->setText(tr("%1 leaves #%2 at once. They may join again (a private room needs a new invitation).")
                            .arg(m_user, room));
        submitButton()->setText(tr("&Remove"));
        break;
    }
    submitButton()->setEnabled(!room.isEmpty());
    m_roomLabel->setText(tr("R&oom:"));
    m_reasonLabel->setText(tr("&Reason (they will see it):"));
    m_durationLabel->setText(tr("&For:"));
    const QStringList names{tr("1 hour"), tr("1 day"), tr("1 week"), tr("Until lifted")};
    for (int i = 0; i < names.size() && i < m_duration->count(); ++i)
        m_duration->setItemText(i, names.at(i));
}

} // namespace Tertulia
