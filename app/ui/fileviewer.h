#pragma once

#include <QtCore/QPointer>
#include <QtCore/QVariantMap>
#include <QtWidgets/QDialog>

class QLabel;
class QPushButton;
class QScrollArea;

namespace Tertulia {

class ChatFiles;

/// An image of the timeline at full size (issue 12): downloaded with the session's token, shown scaled to fit
/// the window (never up), with Save as… for the original bytes. A failure (403, 404) is said in the window.
class FileViewer final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileViewer)

public:
    /// file: MessageListModel::FileRole.
    FileViewer(ChatFiles &files, const QVariantMap &file, QWidget *parent = nullptr);

    bool isLoaded() const { return !m_data.isEmpty() && !m_image.isNull(); }
    QImage image() const { return m_image; }
    QLabel *statusLabel() const { return m_status; }
    QPushButton *saveButton() const { return m_save; }
    /// Writes the downloaded bytes to path; false (and the reason shown) when it cannot.
    bool saveTo(const QString &path);

Q_SIGNALS:
    /// The image arrived, or could not be had.
    void loaded(bool ok);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void showImage();

    QVariantMap m_file;
    QByteArray m_data;
    QImage m_image;
    QLabel *m_picture;
    QLabel *m_status;
    QPushButton *m_save;
};

} // namespace Tertulia
