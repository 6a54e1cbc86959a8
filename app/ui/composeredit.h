#pragma once

#include <QtCore/QPointer>
#include <QtWidgets/QPlainTextEdit>

class QCompleter;
class QMimeData;

namespace Tertulia {

/// The message editor: Enter sends (submitted()), Shift+Enter starts a new line, and it grows with
/// its text from one line up to a few before it scrolls. An image or local files pasted (or dropped) into it
/// are handed on as filesPasted(), to be sent as files.
class ComposerEdit final : public QPlainTextEdit
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ComposerEdit)

public:
    static constexpr int kMaxVisibleLines = 6;

    explicit ComposerEdit(QWidget *parent = nullptr);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    /// The `@name` completer (Composer's): while its list is open, Enter and Tab take the name and
    /// Escape closes the list, instead of sending, leaving the box or cancelling an edit.
    void setCompleter(QCompleter *completer);
    bool isCompleting() const;

Q_SIGNALS:
    void submitted();
    /// Up in an empty box: edit the last message.
    void editLastRequested();
    /// Escape: stop what is being done (an edit).
    void cancelRequested();
    /// Files or an image were pasted or dropped here (issue 12): they are not inserted as text.
    void filesPasted(const QMimeData *source);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    bool focusNextPrevChild(bool next) override;
    bool canInsertFromMimeData(const QMimeData *source) const override;
    void insertFromMimeData(const QMimeData *source) override;

private:
    int heightForLines(int lines) const;

    QPointer<QCompleter> m_completer;
};

} // namespace Tertulia
