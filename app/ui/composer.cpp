#include "app/ui/composer.h"

#include "app/models/messagelistmodel.h"
#include "app/session/chatclient.h"
#include "app/session/chatfiles.h"
#include "app/session/chatroom.h" // chatclient.h needs the complete type
#include "app/session/connectionmanager.h"
#include "app/session/mentions.h"
#include "app/session/roomdirectory.h"
#include "app/ui/appearance.h"
#include "app/ui/composeredit.h"
#include "app/ui/emojipicker.h"
#include "app/ui/uitext.h"
#include "app/ui/uploadbar.h"

#include <QtCore/QEvent>
#include <QtCore/QBuffer>
#include <QtCore/QDateTime>
#include <QtCore/QLocale>
#include <QtCore/QMimeData>
#include <QtCore/QStringListModel>
#include <QtCore/QTimer>
#include <QtGui/QAction>
#include <QtGui/QImage>
#include <QtWidgets/QAbstractItemView>
#include <QtWidgets/QBoxLayout>
#include <QtWidgets/QCompleter>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QToolButton>

#include <utility>

using namespace Qt::StringLiterals;

namespace Tertulia {

Composer::Composer(ChatClient &client, QWidget *parent)
    : QWidget(parent), m_client(client), m_edit(new ComposerEdit(this)), m_send(new QPushButton(this)),
      m_limit(new QLabel(this)), m_editing(new QLabel(this)), m_replyBar(new QWidget(this)),
      m_replyLabel(new QLabel(m_replyBar)), m_replyCancel(new QToolButton(m_replyBar)),
      m_emojiButton(new QToolButton(this)), m_emojiPicker(new EmojiPicker(this)), m_draftTimer(new QTimer(this)),
      m_candidates(new QStringListModel(this)),
      m_completer(new QCompleter(m_candidates, this))
{
    // The list is already narrowed by Mentions::complete (case-insensitive, canonical names).
    m_completer->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setWidget(m_edit);
    m_completer->popup()->setObjectName(u"mentionList"_s);
    m_edit->setCompleter(m_completer);
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this, &Composer::insertMention);
    m_draftTimer->setSingleShot(true);
    m_draftTimer->setInterval(kDraftSaveDelayMs);
    connect(m_draftTimer, &QTimer::timeout, this, &Composer::saveDraft);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_editing);
    m_editing->hide();
    auto *replyRow = new QHBoxLayout(m_replyBar);
    replyRow->setContentsMargins(6, 2, 2, 2);
    replyRow->addWidget(m_replyLabel, 1);
    replyRow->addWidget(m_replyCancel);
    m_replyLabel->setTextFormat(Qt::PlainText);
    m_replyLabel->setMinimumWidth(1); // a long quote is elided, never widens the window
    m_replyCancel->setText(u"✕"_s);
    m_replyCancel->setAutoRaise(true);
    connect(m_replyCancel, &QToolButton::clicked, this, [this] {
        cancelReply();
        m_edit->setFocus();
    });
    layout->addWidget(m_replyBar);
    m_replyBar->hide();
    auto *row = new QHBoxLayout;
    m_row = row;
    row->addWidget(m_edit, 1);
    row->addWidget(m_emojiButton, 0, Qt::AlignBottom);
    row->addWidget(m_send, 0, Qt::AlignBottom);
    layout->addLayout(row);
    layout->addWidget(m_limit);
    m_limit->setWordWrap(true);
    m_limit->hide();
    m_send->setAutoDefault(false);

    connect(m_edit, &ComposerEdit::submitted, this, &Composer::send);
    connect(m_edit, &ComposerEdit::cancelRequested, this, [this] {
        if (m_editingSeq)
            cancelEditing();
        else
            cancelReply();
    });
    connect(m_edit, &ComposerEdit::editLastRequested, this, [this] {
        const ChatRoom *room = m_client.currentRoom();
        if (m_editingSeq || !room || room->name() != m_room)
            return;
        if (const auto last = room->lastOwnMessage())
            startEditing(last->seq, last->text);
    });
    connect(m_send, &QPushButton::clicked, this, &Composer::send);
    m_emojiButton->setText(u"🙂"_s);
    m_emojiButton->setAutoRaise(true);
    QFont emojiFont = EmojiPicker::emojiFont(m_emojiButton->font());
    emojiFont.setPointSizeF(emojiFont.pointSizeF() * 1.3);
    m_emojiButton->setFont(emojiFont);
    // Out of the Tab order (editor, then Send): the keyboard has Ctrl+E, which the tooltip names.
    m_emojiButton->setFocusPolicy(Qt::NoFocus);
    m_emojiButton->setMinimumHeight(m_send->sizeHint().height());
    connect(m_emojiButton, &QToolButton::clicked, this, &Composer::openEmojiPicker);
    // Ctrl+E and Ctrl+; (the latter as on other desktops' emoji pickers) while the composer has focus.
    auto *emojiAction = new QAction(this);
    emojiAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_E), QKeySequence(Qt::CTRL | Qt::Key_Semicolon)});
    emojiAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(emojiAction);
    connect(emojiAction, &QAction::triggered, this, &Composer::openEmojiPicker);
    connect(m_emojiPicker, &EmojiPicker::picked, this, [this](const QString &emoji) {
        QTextCursor cursor = m_edit->textCursor();
        cursor.insertText(emoji);
        m_edit->setTextCursor(cursor);
        m_edit->setFocus(Qt::OtherFocusReason);
    });
    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
        updateState();
        if (m_room.isEmpty() || m_loadingDraft || m_editingSeq)
            return;
        m_client.setTyping(!m_edit->toPlainText().trimmed().isEmpty());
        m_draftTimer->start();
    });
    connect(m_edit, &QPlainTextEdit::cursorPositionChanged, this, &Composer::updateCompletion);
    // The limit comes with the server's hello: re-check once connected.
    connect(m_client.connection(), &ConnectionManager::authenticated, this, &Composer::updateState);
    retranslate();
}

void Composer::openEmojiPicker()
{
    // Above the box, at its left edge, on screen.
    m_emojiPicker->popupAt(m_edit->mapToGlobal(QPoint(0, -4)));
}

void Composer::updateCompletion()
{
    const ChatRoom *room = m_room.isEmpty() ? nullptr : m_client.rooms()->find(m_room);
    const QTextCursor cursor = m_edit->textCursor();
    const auto partial =
        room && !m_loadingDraft && !cursor.hasSelection()
            ? Mentions::partialAt(m_edit->toPlainText(), cursor.position())
            : std::nullopt;
    QStringList names;
    if (partial) {
        QStringList members;
        for (const Protocol::Member &member : room->members())
            members.append(member.user);
        names = Mentions::complete(members, partial->prefix, m_client.user());
    }
    if (names.isEmpty()) {
        m_completer->popup()->hide();
        return;
    }
    if (names != m_candidates->stringList())
        m_candidates->setStringList(names);
    QRect under = m_edit->cursorRect();
    under.setWidth(std::max(160, m_completer->popup()->sizeHintForColumn(0)
                                     + m_completer->popup()->verticalScrollBar()->sizeHint().width() + 8));
    m_completer->complete(under);
    // Enter or Tab at once takes the first name.
    m_completer->popup()->setCurrentIndex(m_completer->completionModel()->index(0, 0));
}

void Composer::insertMention(const QString &name)
{
    QTextCursor cursor = m_edit->textCursor();
    const auto partial = Mentions::partialAt(m_edit->toPlainText(), cursor.position());
    if (!partial)
        return;
    cursor.setPosition(int(partial->start), QTextCursor::KeepAnchor);
    cursor.insertText(u'@' + name + u' ');
    m_edit->setTextCursor(cursor);
    m_completer->popup()->hide();
}

void Composer::setRoom(const QString &room)
{
    if (room == m_room)
        return;
    cancelEditing(); // an edit belongs to its room
    cancelReply();   // and so does a reply
    saveDraft();
    m_room = room;
    // The other room's own draft, or nothing: the text typed here stays with the room it was typed in.
    m_loadingDraft = true;
    m_edit->setPlainText(room.isEmpty() ? QString() : m_client.draft(room));
    m_edit->moveCursor(QTextCursor::End);
    m_loadingDraft = false;
    retranslate();
    updateState();
}

void Composer::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    else if (event->type() == QEvent::PaletteChange)
        updateState();
    QWidget::changeEvent(event);
}

void Composer::retranslate()
{
    m_send->setText(m_editingSeq ? tr("Sa&ve") : tr("Sen&d"));
    m_send->setToolTip(m_editingSeq ? tr("Save the edited message (Enter). Escape cancels.")
                                    : tr("Send the message (Enter). Shift+Enter starts a new line."));
    m_editing->setText(tr("Editing your message. Enter saves, Escape cancels."));
    m_editing->setAccessibleName(m_editing->text());
    m_replyCancel->setToolTip(tr("Cancel the reply (Escape)"));
    m_replyCancel->setAccessibleName(tr("Cancel the reply"));
    m_emojiButton->setToolTip(tr("Insert an emoji (Ctrl+E)"));
    m_emojiButton->setAccessibleName(tr("Insert an emoji"));
    if (m_attachButton) {
        m_attachButton->setToolTip(tr("Send files or images (Ctrl+Shift+U). You can also paste an image or drop "
                                      "files here; the text in the box goes with them."));
        m_attachButton->setAccessibleName(tr("Send files"));
    }
    if (m_replyTo) {
        const QString quote = m_replyExcerpt.isEmpty() ? tr("Replying to %1").arg(m_replySender)
                                                       : tr("Replying to %1: %2").arg(m_replySender, m_replyExcerpt);
        m_replyLabel->setText(quote);
        m_replyLabel->setToolTip(quote);
        m_replyLabel->setAccessibleName(quote);
    }
    m_edit->setAccessibleName(tr("Message"));
    m_edit->setAccessibleDescription(tr("Enter sends, Shift+Enter starts a new line."));
    const ChatRoom *open = m_room.isEmpty() ? nullptr : m_client.rooms()->find(m_room);
    m_edit->setPlaceholderText(m_room.isEmpty()                ? tr("Choose a room to write in")
                               : open && open->isDirect() ? tr("Message %1").arg(open->peer())
                                                          : tr("Message #%1").arg(m_room));
    updateState();
}

void Composer::updateState()
{
    const QString text = m_edit->toPlainText();
    const qint64 used = text.toUtf8().size();
    const qint64 limit = m_client.maxTextBytes();
    const auto check = m_room.isEmpty() ? ChatClient::SendCheck::NotJoined : m_client.checkMessage(m_room, text);
    m_send->setEnabled(check == ChatClient::SendCheck::Ok);

    const QLocale locale;
    QString message;
    bool over = false;
    if (check == ChatClient::SendCheck::TooLong) {
        over = true;
        message = tr("Too long: %1 of %2 bytes. Shorten the message to send it.")
                      .arg(locale.toString(used), locale.toString(limit));
    } else if (limit > 0 && double(used) >= double(limit) * kShowLimitFrom) {
        message = tr("%1 of %2 bytes used.").arg(locale.toString(used), locale.toString(limit));
    }
    m_limit->setVisible(!message.isEmpty());
    m_limit->setText(message);
    QPalette palette = this->palette();
    if (over)
        palette.setColor(QPalette::WindowText, Appearance::isDark(palette) ? QColor(0xff, 0x8a, 0x80)
                                                                           : QColor(0xb7, 0x1c, 0x1c));
    m_limit->setPalette(palette);
    m_limit->setAccessibleName(message);
}

void Composer::startReply(qint64 seq, const QString &sender, const QString &text)
{
    if (m_room.isEmpty() || seq <= 0)
        return;
    cancelEditing(); // the box writes a new message again
    m_replyTo = seq;
    m_replySender = sender;
    m_replyExcerpt = MessageListModel::excerpt(text);
    m_replyBar->show();
    retranslate();
}

void Composer::cancelReply()
{
    if (!m_replyTo)
        return;
    m_replyTo = 0;
    m_replySender.clear();
    m_replyExcerpt.clear();
    m_replyBar->hide();
}

void Composer::startEditing(qint64 seq, const QString &text)
{
    if (m_room.isEmpty() || seq <= 0)
        return;
    cancelReply(); // an edit keeps what its message replied to
    if (!m_editingSeq) {
        saveDraft();
        m_textBeforeEditing = m_edit->toPlainText();
    }
    m_editingSeq = seq;
    m_loadingDraft = true; // the old text is not typing
    m_edit->setPlainText(text);
    m_edit->moveCursor(QTextCursor::End);
    m_loadingDraft = false;
    m_editing->show();
    retranslate();
}

void Composer::cancelEditing()
{
    if (!m_editingSeq)
        return;
    m_editingSeq = 0;
    m_editing->hide();
    m_loadingDraft = true;
    m_edit->setPlainText(std::exchange(m_textBeforeEditing, {}));
    m_edit->moveCursor(QTextCursor::End);
    m_loadingDraft = false;
    retranslate();
}

bool Composer::send()
{
    const QString text = m_edit->toPlainText();
    if (m_editingSeq) {
        if (m_room.isEmpty() || m_client.checkMessage(m_room, text) != ChatClient::SendCheck::Ok) {
            updateState();
            return false;
        }
        // The row changes when the server's entry arrives, as for everyone in the room.
        m_client.editMessage(m_room, m_editingSeq, text, this, [this](const std::optional<Protocol::Error> &error) {
            if (error)
                Q_EMIT changeFailed(UiText::changeError(*error));
        });
        cancelEditing();
        return true;
    }
    if (m_room.isEmpty() || m_client.checkMessage(m_room, text) != ChatClient::SendCheck::Ok) {
        updateState();
        return false;
    }
    const auto id = m_client.sendMessage(m_room, text, m_replyTo);
    if (!id)
        return false;
    cancelReply();
    m_loadingDraft = true; // clearing is not typing
    m_edit->clear();
    m_loadingDraft = false;
    m_draftTimer->stop();
    m_client.setDraft(m_room, {});
    m_client.setTyping(false);
    Q_EMIT messageSent(m_room, *id);
    return true;
}

void Composer::saveDraft()
{
    m_draftTimer->stop();
    // While editing, the draft is what was being written before, not the edited message's text.
    if (!m_room.isEmpty())
        m_client.setDraft(m_room, m_editingSeq ? m_textBeforeEditing : m_edit->toPlainText());
}

// ---- files (issue 12) ----

void Composer::setFiles(ChatFiles *files)
{
    if (m_files || !files)
        return;
    m_files = files;
    m_uploadBar = new UploadBar(*files, this);
    static_cast<QBoxLayout *>(layout())->insertWidget(0, m_uploadBar);
    m_attachButton = new QToolButton(this);
    m_attachButton->setObjectName(u"attachButton"_s);
    m_attachButton->setText(u"📎"_s);
    m_attachButton->setAutoRaise(true);
    m_attachButton->setFocusPolicy(Qt::NoFocus); // the keyboard has Ctrl+Shift+U, which the tooltip names
    m_attachButton->setMinimumHeight(m_send->sizeHint().height());
    m_row->insertWidget(1, m_attachButton, 0, Qt::AlignBottom);
    connect(m_attachButton, &QToolButton::clicked, this, &Composer::chooseFiles);
    auto *attachAction = new QAction(this);
    attachAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U));
    attachAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(attachAction);
    connect(attachAction, &QAction::triggered, this, &Composer::chooseFiles);
    connect(m_edit, &ComposerEdit::filesPasted, this, &Composer::attachMimeData);
    retranslate();
}

QString Composer::takeCaption()
{
    if (m_editingSeq)
        return {};
    const QString caption = m_edit->toPlainText().trimmed();
    if (caption.toUtf8().size() > m_client.maxTextBytes())
        return {};
    m_loadingDraft = true; // clearing is not typing
    m_edit->clear();
    m_loadingDraft = false;
    m_draftTimer->stop();
    m_client.setDraft(m_room, {});
    m_client.setTyping(false);
    return caption;
}

bool Composer::attachFiles(const QStringList &paths)
{
    if (!m_files || m_room.isEmpty() || !isEnabled() || paths.isEmpty())
        return false;
    QString caption = takeCaption();
    bool any = false;
    for (const QString &path : paths) {
        QString error;
        if (m_files->addFile(m_room, path, std::exchange(caption, {}), &error) == 0) {
            Q_EMIT changeFailed(error);
            continue;
        }
        any = true;
    }
    return any;
}

bool Composer::attachMimeData(const QMimeData *source)
{
    if (!m_files || !source || m_room.isEmpty() || !isEnabled())
        return false;
    if (source->hasUrls()) {
        QStringList paths;
        for (const QUrl &url : source->urls()) {
            if (url.isLocalFile())
                paths.append(url.toLocalFile());
        }
        if (!paths.isEmpty())
            return attachFiles(paths);
    }
    if (source->hasImage()) {
        // A pasted image has no file: it is sent as a PNG (lossless, and every client shows it).
        const QImage image = qvariant_cast<QImage>(source->imageData());
        if (image.isNull())
            return false;
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        if (!image.save(&buffer, "PNG"))
            return false;
        const QString name = tr("image %1.png").arg(QDateTime::currentDateTime().toString(u"yyyy-MM-dd HH.mm.ss"_s));
        m_files->add(m_room, name, png, takeCaption());
        return true;
    }
    return false;
}

void Composer::chooseFiles()
{
    if (!m_files || m_room.isEmpty() || !isEnabled())
        return;
    auto *dialog = new QFileDialog(window(), tr("Send files"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFiles);
    dialog->setObjectName(u"attachDialog"_s);
    connect(dialog, &QFileDialog::filesSelected, this, [this](const QStringList &paths) { attachFiles(paths); });
    dialog->open();
}

} // namespace Tertulia
