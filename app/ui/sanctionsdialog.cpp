#include "app/ui/sanctionsdialog.h"

#include "app/ui/uitext.h"

#include <QtCore/QDateTime>
#include <QtCore/QEvent>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTreeWidget>
#include <QtWidgets/QVBoxLayout>

namespace Tertulia {

SanctionsDialog::SanctionsDialog(const QString &room, QWidget *parent)
    : QDialog(parent), m_room(room), m_text(new QLabel), m_list(new QTreeWidget), m_lift(new QPushButton),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Close))
{
    m_text->setWordWrap(true);
    m_list->setRootIsDecorated(false);
    m_list->setColumnCount(5);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->header()->setStretchLastSection(true);
    m_lift->setAutoDefault(false);
    m_buttons->addButton(m_lift, QDialogButtonBox::ActionRole);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_text);
    layout->addWidget(m_list);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &SanctionsDialog::updateLift);
    connect(m_lift, &QPushButton::clicked, this, [this] {
        const int row = m_list->indexOfTopLevelItem(m_list->currentItem());
        if (row >= 0 && row < m_sanctions.size())
            Q_EMIT liftRequested(m_sanctions.at(row).user, m_sanctions.at(row).ban);
    });
    resize(640, 320);
    retranslate();
}

void SanctionsDialog::setSanctions(const QList<Protocol::SanctionInfo> &sanctions)
{
    m_sanctions = sanctions;
    m_error.clear();
    fill();
}

void SanctionsDialog::setError(const QString &text)
{
    m_sanctions.clear();
    m_error = text;
    fill();
}

void SanctionsDialog::fill()
{
    m_list->clear();
    for (const Protocol::SanctionInfo &held : std::as_const(m_sanctions)) {
        const QString until = held.until > 0
                                  ? UiText::dateTime(QDateTime::fromMSecsSinceEpoch(held.until).toLocalTime())
                                  : tr("until lifted");
        auto *item = new QTreeWidgetItem(
            QStringList{held.user, held.ban ? tr("Banned") : tr("Muted"), held.by, until, held.reason});
        m_list->addTopLevelItem(item);
    }
    for (int column = 0; column < m_list->columnCount() - 1; ++column)
        m_list->resizeColumnToContents(column);
    retranslate();
}

void SanctionsDialog::updateLift()
{
    const int row = m_list->indexOfTopLevelItem(m_list->currentItem());
    m_lift->setEnabled(row >= 0 && row < m_sanctions.size() && !m_list->selectedItems().isEmpty());
    m_lift->setText(row >= 0 && row < m_sanctions.size() && !m_sanctions.at(row).ban ? tr("&Unmute") : tr("&Unban"));
}

void SanctionsDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        fill();
    }
    QDialog::changeEvent(event);
}

void SanctionsDialog::retranslate()
{
    setWindowTitle(tr("Bans and mutes in #%1").arg(m_room));
    m_list->setHeaderLabels({tr("User"), tr("What"), tr("By"), tr("Until"), tr("Reason")});
    if (!m_error.isEmpty())
        m_text->setText(m_error);
    else if (m_sanctions.isEmpty())
        m_text->setText(tr("Nobody is banned from or muted in #%1.").arg(m_room));
    else
        m_text->setText(tr("Who is kept out of #%1 or cannot write in it now. Select one to lift it.").arg(m_room));
    updateLift();
}

} // namespace Tertulia
