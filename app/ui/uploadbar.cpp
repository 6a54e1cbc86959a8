#include "app/ui/uploadbar.h"

#include "app/session/chatfiles.h"
#include "app/ui/uitext.h"

#include <QtCore/QEvent>
#include <QtCore/QSet>
#include <QtWidgets/QBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QToolButton>

using namespace Qt::StringLiterals;

namespace Tertulia {

UploadBar::UploadBar(ChatFiles &files, QWidget *parent)
    : QWidget(parent), m_files(files), m_layout(new QVBoxLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(2);
    connect(&files, &ChatFiles::uploadsChanged, this, &UploadBar::update);
    update();
}

void UploadBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        update();
    QWidget::changeEvent(event);
}

void UploadBar::update()
{
    const QList<ChatFiles::Upload> uploads = m_files.uploads();
    QSet<int> present;
    for (const ChatFiles::Upload &upload : uploads) {
        present.insert(upload.id);
        Line line = m_lines.value(upload.id);
        if (!line.widget) {
            line.widget = new QWidget(this);
            line.widget->setObjectName(u"upload"_s);
            auto *row = new QHBoxLayout(line.widget);
            row->setContentsMargins(6, 0, 0, 0);
            line.label = new QLabel(line.widget);
            line.label->setTextFormat(Qt::PlainText);
            line.label->setMinimumWidth(1);
            line.progress = new QProgressBar(line.widget);
            line.progress->setMaximumWidth(160);
            line.progress->setTextVisible(false);
            line.retry = new QToolButton(line.widget);
            line.cancel = new QToolButton(line.widget);
            row->addWidget(line.label, 1);
            row->addWidget(line.progress);
            row->addWidget(line.retry);
            row->addWidget(line.cancel);
            const int id = upload.id;
            connect(line.retry, &QToolButton::clicked, this, [this, id] { m_files.retry(id); });
            connect(line.cancel, &QToolButton::clicked, this, [this, id] { m_files.cancel(id); });
            m_layout->addWidget(line.widget);
            m_lines.insert(upload.id, line);
        }
        line.retry->setText(tr("Retry"));
        line.cancel->setText(tr("Cancel"));
        line.cancel->setAccessibleName(tr("Cancel sending %1").arg(upload.name));
        const qint64 total = upload.size;
        QString text;
        switch (upload.state) {
        case ChatFiles::State::Waiting:
            text = tr("%1: waiting for the connection").arg(upload.name);
            break;
        case ChatFiles::State::Uploading:
            text = tr("Sending %1: %2 of %3").arg(upload.name, UiText::bytes(quint64(upload.done)),
                                                  UiText::bytes(quint64(total)));
            break;
        case ChatFiles::State::Failed:
            text = tr("%1 was not sent: %2").arg(upload.name, upload.error ? upload.error->text() : QString());
            break;
        }
        line.label->setText(text);
        line.label->setToolTip(text);
        line.progress->setVisible(upload.state != ChatFiles::State::Failed);
        line.progress->setRange(0, 1000);
        line.progress->setValue(total > 0 ? int(upload.done * 1000 / total) : 0);
        line.retry->setVisible(upload.state == ChatFiles::State::Failed);
    }
    for (auto it = m_lines.begin(); it != m_lines.end();) {
        if (present.contains(it.key())) {
            ++it;
            continue;
        }
        it->widget->deleteLater();
        it = m_lines.erase(it);
    }
    setVisible(!uploads.isEmpty());
}

} // namespace Tertulia
