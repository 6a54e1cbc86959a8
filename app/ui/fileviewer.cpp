#include "app/ui/fileviewer.h"

#include "app/models/messagelistmodel.h"
#include "app/session/chatfiles.h"
#include "app/session/chatroom.h" // messagelistmodel.h needs the complete type
#include "app/ui/uitext.h"

#include <QtCore/QDir>
#include <QtCore/QSaveFile>
#include <QtGui/QImage>
#include <QtGui/QPixmap>
#include <QtWidgets/QBoxLayout>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>

using namespace Qt::StringLiterals;

namespace Tertulia {

FileViewer::FileViewer(ChatFiles &files, const QVariantMap &file, QWidget *parent)
    : QDialog(parent), m_file(file), m_picture(new QLabel(this)), m_status(new QLabel(this)),
      m_save(new QPushButton(tr("&Save as…"), this))
{
    const QString name = file.value(u"name"_s).toString();
    setWindowTitle(name);
    setObjectName(u"fileViewer"_s);
    m_picture->setAlignment(Qt::AlignCenter);
    m_picture->setMinimumSize(1, 1);
    m_picture->setAccessibleName(MessageListModel::fileDescription(file));
    m_status->setText(tr("Loading %1…").arg(name));
    m_status->setWordWrap(true);
    m_save->setEnabled(false);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_save, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_save, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save as"), m_file.value(u"name"_s).toString());
        if (!path.isEmpty())
            saveTo(path);
    });
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_picture, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    const int width = file.value(u"width"_s).toInt();
    const int height = file.value(u"height"_s).toInt();
    resize(QSize(std::max(width, 240), std::max(height, 160) + 80).boundedTo(QSize(1000, 760)));

    FileTransfer *transfer = files.download(file.value(u"id"_s).toString());
    connect(transfer, &FileTransfer::progress, this, [this, name](qint64 done, qint64 total) {
        m_status->setText(tr("Loading %1: %2 of %3").arg(name, UiText::bytes(quint64(done)), UiText::bytes(quint64(total))));
    });
    connect(transfer, &FileTransfer::finished, this, [this, transfer] {
        if (const auto &error = transfer->error()) {
            m_status->setText(error->text());
            Q_EMIT loaded(false);
            return;
        }
        m_data = transfer->data();
        m_image.loadFromData(m_data);
        if (m_image.isNull()) {
            m_status->setText(tr("The image cannot be shown."));
        } else {
            m_status->setText(tr("%1 × %2 pixels, %3")
                                  .arg(m_image.width())
                                  .arg(m_image.height())
                                  .arg(UiText::bytes(quint64(m_data.size()))));
            showImage();
        }
        m_save->setEnabled(!m_data.isEmpty());
        Q_EMIT loaded(!m_image.isNull());
    });
}

bool FileViewer::saveTo(const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_data) != m_data.size() || !file.commit()) {
        m_status->setText(tr("The file could not be saved: %1").arg(file.errorString()));
        return false;
    }
    m_status->setText(tr("Saved as %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

void FileViewer::resizeEvent(QResizeEvent *event)
{
    QDialog::resizeEvent(event);
    showImage();
}

void FileViewer::showImage()
{
    if (m_image.isNull())
        return;
    const QSize room = m_picture->size();
    const QImage shown = m_image.width() <= room.width() && m_image.height() <= room.height()
                             ? m_image
                             : m_image.scaled(room, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    m_picture->setPixmap(QPixmap::fromImage(shown));
}

} // namespace Tertulia
