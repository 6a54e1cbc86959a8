#include "app/ui/composeredit.h"

#include <QtCore/QMimeData>
#include <QtCore/QUrl>
#include <QtGui/QKeyEvent>
#include <QtGui/QTextBlock>
#include <QtWidgets/QAbstractItemView>
#include <QtWidgets/QCompleter>

#include <algorithm>

namespace Tertulia {

ComposerEdit::ComposerEdit(QWidget *parent) : QPlainTextEdit(parent)
{
    setTabChangesFocus(true); // Tab leaves the composer, as everywhere else in the window
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setLineWrapMode(WidgetWidth);
    connect(document(), &QTextDocument::contentsChanged, this, &ComposerEdit::updateGeometry);
}

int ComposerEdit::heightForLines(int lines) const
{
    const int margins = int(document()->documentMargin() * 2) + frameWidth() * 2 + contentsMargins().top()
                        + contentsMargins().bottom();
    return fontMetrics().lineSpacing() * lines + margins;
}

QSize ComposerEdit::sizeHint() const
{
    // QPlainTextDocumentLayout counts wrapped lines per block in lineCount().
    int lines = 0;
    for (QTextBlock block = document()->begin(); block.isValid(); block = block.next())
        lines += std::max(1, block.lineCount());
    return {QPlainTextEdit::sizeHint().width(), heightForLines(std::clamp(lines, 1, kMaxVisibleLines))};
}

QSize ComposerEdit::minimumSizeHint() const { return {100, heightForLines(1)}; }

void ComposerEdit::setCompleter(QCompleter *completer) { m_completer = completer; }

bool ComposerEdit::isCompleting() const { return m_completer && m_completer->popup()->isVisible(); }

bool ComposerEdit::focusNextPrevChild(bool next)
{
    // Tab with the list open takes the name (the completer handles the key we leave to it).
    if (isCompleting())
        return false;
    return QPlainTextEdit::focusNextPrevChild(next);
}

void ComposerEdit::keyPressEvent(QKeyEvent *event)
{
    if (isCompleting()) {
        switch (event->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
        case Qt::Key_Tab:
        case Qt::Key_Backtab:
        case Qt::Key_Escape:
            event->ignore(); // the completer's own handling: take the name, or close the list
            return;
        default: break;
        }
    }
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter) {
        if (event->modifiers() & Qt::ShiftModifier) {
            // A plain paragraph break; QPlainTextEdit would insert a line separator for Shift+Enter.
            textCursor().insertText(QStringLiteral("\n"));
            ensureCursorVisible();
        } else if (!(event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))) {
            Q_EMIT submitted();
        }
        event->accept();
        return;
    }
    if (event->key() == Qt::Key_Up && event->modifiers() == Qt::NoModifier && document()->isEmpty()) {
        Q_EMIT editLastRequested();
        event->accept();
        return;
    }
    if (event->key() == Qt::Key_Escape && event->modifiers() == Qt::NoModifier) {
        Q_EMIT cancelRequested();
        event->ignore(); // the window may want Escape too
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

namespace {
bool carriesFiles(const QMimeData *source)
{
    if (!source)
        return false;
    if (source->hasImage())
        return true;
    const QList<QUrl> urls = source->hasUrls() ? source->urls() : QList<QUrl>();
    return !urls.isEmpty() && std::all_of(urls.cbegin(), urls.cend(), [](const QUrl &url) { return url.isLocalFile(); });
}
} // namespace

bool ComposerEdit::canInsertFromMimeData(const QMimeData *source) const
{
    return carriesFiles(source) || QPlainTextEdit::canInsertFromMimeData(source);
}

void ComposerEdit::insertFromMimeData(const QMimeData *source)
{
    if (carriesFiles(source)) {
        Q_EMIT filesPasted(source);
        return;
    }
    QPlainTextEdit::insertFromMimeData(source);
}

} // namespace Tertulia
