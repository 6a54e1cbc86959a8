#pragma once

#include <QtCore/QHash>
#include <QtCore/QPointer>
#include <QtWidgets/QWidget>

class QLabel;
class QProgressBar;
class QToolButton;
class QVBoxLayout;

namespace Tertulia {

class ChatFiles;

/// The uploads of ChatFiles under the composer (issue 12), one line each: the file's name and how far it got
/// ("12 KiB of 48 KiB"), waiting for the connection, or why the server refused it (FileError::text) with Retry;
/// Cancel on every line. Hidden while nothing is being uploaded.
class UploadBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UploadBar)

public:
    struct Line
    {
        QWidget *widget = nullptr;
        QLabel *label = nullptr;
        QProgressBar *progress = nullptr;
        QToolButton *retry = nullptr;
        QToolButton *cancel = nullptr;
    };

    explicit UploadBar(ChatFiles &files, QWidget *parent = nullptr);

    /// The line of upload `id` (null widgets when it has none), for tests.
    Line line(int id) const { return m_lines.value(id); }

protected:
    void changeEvent(QEvent *event) override;

private:
    void update();

    ChatFiles &m_files;
    QVBoxLayout *m_layout;
    QHash<int, Line> m_lines;
};

} // namespace Tertulia
