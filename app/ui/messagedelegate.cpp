#include "app/ui/messagedelegate.h"

#include "app/ui/avatar.h"
#include "app/ui/avatarpictures.h"
#include "app/models/messagelistmodel.h"
#include "app/session/chatroom.h"
#include "app/session/markdownlite.h"
#include "app/ui/appearance.h"
#include "app/ui/filethumbnails.h"
#include "app/ui/uitext.h"
#include "shared/names.h"

#include <QtCore/QLocale>
#include <QtGui/QFontDatabase>
#include <QtGui/QHelpEvent>
#include <QtGui/QMouseEvent>
#include <QtGui/QPainter>
#include <QtGui/QTextLayout>
#include <QtWidgets/QAbstractItemView>
#include <QtWidgets/QApplication>
#include <QtWidgets/QToolTip>

#include <cmath>
#include <functional>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
constexpr int kMargin = 12;
constexpr int kAvatarSize = 32;
constexpr int kAvatarGap = 10;
constexpr int kGroupTopPadding = 8;
constexpr int kGroupedTopPadding = 1;
constexpr int kBottomPadding = 2;

using Delivery = TimelineItem::Delivery;

/// Lays out wrapped text (breaking inside long words only when a word is wider than the line) and
/// returns its height. QTextLayout rather than QFontMetrics::boundingRect: the latter cannot wrap a
/// long URL without also breaking ordinary words anywhere.
qreal layoutText(QTextLayout &layout, qreal width)
{
    QTextOption textOption;
    textOption.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    // A message that starts in a right-to-left script (Arabic, Hebrew) reads from the right: shaped
    // that way by Qt already, it must also sit against the right edge, whatever the window's direction.
    const bool rightToLeft = layout.text().isRightToLeft();
    textOption.setTextDirection(rightToLeft ? Qt::RightToLeft : Qt::LeftToRight);
    textOption.setAlignment(rightToLeft ? Qt::AlignRight | Qt::AlignAbsolute : Qt::AlignLeft | Qt::AlignAbsolute);
    layout.setTextOption(textOption);
    layout.beginLayout();
    qreal height = 0;
    while (true) {
        QTextLine line = layout.createLine();
        if (!line.isValid())
            break;
        line.setLineWidth(width);
        line.setPosition(QPointF(0, height));
        height += line.height();
    }
    layout.endLayout();
    return std::ceil(height);
}

QFont smallFont(const QFont &font)
{
    QFont small = font;
    small.setPointSizeF(font.pointSizeF() * 0.85);
    return small;
}

QColor mutedColor(const QPalette &palette, bool selected) { return Appearance::muted(palette, 0.42, selected); }

QColor errorColor(const QPalette &palette)
{
    return Appearance::isDark(palette) ? QColor(0xff, 0x8a, 0x80) : QColor(0xb7, 0x1c, 0x1c);
}

/// The subtle background of code, a little apart from the base in either theme.
QColor codeBackground(const QPalette &palette, bool selected)
{
    const QColor base = palette.color(selected ? QPalette::Highlight : QPalette::Base);
    return Appearance::mix(base, palette.color(selected ? QPalette::HighlightedText : QPalette::Text),
                           Appearance::isDark(palette) ? 0.12 : 0.07);
}

/// A message's text as shown: the Markdown subset (MarkdownLite) turned into formats over the text
/// without its markers, and mentions drawn apart: bold in the link colour, and a mention of you bold on
/// the mention colour (Appearance::mention), which the row's tint and bar repeat. The same formats size
/// and paint a row, so the size cached by the view is the size painted.
struct RowText
{
    QString text;
    QList<QTextLayout::FormatRange> formats;
    MarkdownLite::Rendered rendered;
};

RowText rowText(const QModelIndex &index, const QFont &font, const QPalette &palette, bool selected,
                const std::function<MarkdownLite::Rendered(const QString &)> &parse)
{
    RowText row;
    if (index.data(MessageListModel::DeletedRole).toBool()) {
        row.text = MessageDelegate::tr("This message was deleted");
        return row;
    }
    row.rendered = parse(index.data(MessageListModel::TextRole).toString());
    row.text = row.rendered.text;
    row.text.replace(u'\n', QChar::LineSeparator);
    const QString monospace = QFontDatabase::systemFont(QFontDatabase::FixedFont).family();
    for (const MarkdownLite::Span &span : std::as_const(row.rendered.spans)) {
        QTextLayout::FormatRange range;
        range.start = int(span.start);
        range.length = int(span.length);
        if (span.styles & MarkdownLite::Bold)
            range.format.setFontWeight(QFont::Bold);
        if (span.styles & MarkdownLite::Italic)
            range.format.setFontItalic(true);
        if (span.styles & MarkdownLite::Strike)
            range.format.setFontStrikeOut(true);
        if (span.styles & (MarkdownLite::Code | MarkdownLite::CodeBlock)) {
            range.format.setFontFamilies({monospace});
            range.format.setFontPointSize(font.pointSizeF() > 0 ? font.pointSizeF() * 0.95 : 9);
        }
        if (span.styles & MarkdownLite::Code) // a block's background is the whole width (paint)
            range.format.setBackground(codeBackground(palette, selected));
        if (!span.url.isEmpty()) {
            range.format.setFontUnderline(true);
            if (!selected)
                range.format.setForeground(palette.color(QPalette::Link));
        }
        row.formats.append(range);
    }
    for (const QVariant &entry : index.data(MessageListModel::MentionsRole).toList()) {
        const QVariantMap mention = entry.toMap();
        // Mentions are found in the source; markers before them move them.
        const qsizetype sourceStart = mention.value(u"start"_s).toInt();
        const qsizetype sourceEnd = sourceStart + mention.value(u"length"_s).toInt();
        if (sourceStart < 0 || sourceEnd >= row.rendered.displayOf.size())
            continue;
        QTextLayout::FormatRange range;
        range.start = int(row.rendered.displayOf.at(sourceStart));
        range.length = int(row.rendered.displayOf.at(sourceEnd) - range.start);
        if (range.length <= 0)
            continue;
        range.format.setFontWeight(QFont::Bold);
        if (mention.value(u"you"_s).toBool()) {
            QColor fill = Appearance::mention(palette);
            fill.setAlphaF(selected ? 0.55f : 0.3f);
            range.format.setBackground(fill);
        } else if (!selected) {
            range.format.setForeground(palette.color(QPalette::Link));
        }
        row.formats.append(range);
    }
    return row;
}
} // namespace

MessageDelegate::MessageDelegate(QAbstractItemView *view) : QStyledItemDelegate(view), m_view(view), m_parsed(kParsedRows) { }

MarkdownLite::Rendered MessageDelegate::parsed(const QString &text) const
{
    // Sizing, painting, hovering and clicking all lay a row out: parse each text once. A copy of the
    // result is cheap (implicitly shared), and survives the cache dropping it.
    if (const MarkdownLite::Rendered *known = m_parsed.object(text))
        return *known;
    auto *rendered = new MarkdownLite::Rendered(MarkdownLite::parse(text));
    const MarkdownLite::Rendered copy = *rendered;
    m_parsed.insert(text, rendered);
    return copy;
}

QColor MessageDelegate::senderColor(const QString &sender, const QPalette &palette)
{
    const int hue = int(qHash(Names::canonical(sender)) % 360u);
    return QColor::fromHsl(hue, 150, Appearance::isDark(palette) ? 175 : 85);
}

int MessageDelegate::availableWidth(const QStyleOptionViewItem &option) const
{
    if (m_view)
        return m_view->viewport()->width();
    return option.rect.width();
}

QString MessageDelegate::statusText(const QModelIndex &index) const
{
    if (!index.data(MessageListModel::PendingRole).toBool()) {
        if (index.data(MessageListModel::EditedRole).toDateTime().isValid())
            return tr("(edited %1)").arg(UiText::dateTime(index.data(MessageListModel::EditedRole).toDateTime()));
        return {};
    }
    switch (Delivery(index.data(MessageListModel::DeliveryRole).toInt())) {
    case Delivery::Sending: return tr("Sending…");
    case Delivery::Failed: return UiText::sendError(index.data(MessageListModel::ErrorRole).toString());
    case Delivery::Sent: break;
    }
    return {};
}

QString MessageDelegate::quoteText(const QModelIndex &index)
{
    const QVariantMap quote = index.data(MessageListModel::ReplyQuoteRole).toMap();
    if (quote.isEmpty())
        return {};
    if (!quote.value(u"loaded"_s).toBool())
        return tr("Reply to an earlier message (not loaded; click to find it)");
    const QString sender = quote.value(u"sender"_s).toString();
    if (quote.value(u"deleted"_s).toBool())
        return tr("Reply to %1: a deleted message").arg(sender);
    // The original's first line as it shows, without Markdown markers.
    return tr("%1: %2", "a reply's quote: sender, first line of the original")
        .arg(sender, MarkdownLite::plainText(quote.value(u"excerpt"_s).toString()));
}

QString MessageDelegate::sentLaterNote(const QModelIndex &index)
{
    const QDateTime written = index.data(MessageListModel::WrittenRole).toDateTime();
    if (!written.isValid())
        return {};
    const QDateTime stored = index.data(MessageListModel::TimestampRole).toDateTime();
    // The day too when it went out on another day than it was written.
    return tr("sent %1", "beside the time a message was written: when it reached the server")
        .arg(stored.date() == written.date() ? UiText::time(stored) : UiText::dateTime(stored));
}

QString MessageDelegate::timeText(const QModelIndex &index)
{
    const QDateTime stored = index.data(MessageListModel::TimestampRole).toDateTime();
    const QDateTime written = index.data(MessageListModel::WrittenRole).toDateTime();
    return written.isValid() ? tr("Written %1, sent %2 when the connection returned")
                                   .arg(UiText::dateTime(written), UiText::dateTime(stored))
                             : UiText::dateTime(stored);
}

MessageDelegate::Layout MessageDelegate::layout(const QStyleOptionViewItem &option, const QModelIndex &index,
                                                QPoint topLeft) const
{
    Layout result;
    const int width = std::max(availableWidth(option), kMargin * 2 + kAvatarSize + kAvatarGap + 40);
    const QFontMetrics metrics(option.font);
    const QFontMetrics small(smallFont(option.font));
    int y = topLeft.y();

    if (index.data(MessageListModel::DaySeparatorRole).toDate().isValid()) {
        const int height = small.height() + 16;
        result.separator = QRect(topLeft.x(), y, width, height);
        y += height;
    }
    if (index.data(MessageListModel::UnreadLineRole).toBool()) {
        const int height = small.height() + 12;
        result.unreadLine = QRect(topLeft.x(), y, width, height);
        y += height;
    }

    const bool grouped = index.data(MessageListModel::GroupedWithPreviousRole).toBool();
    y += grouped ? kGroupedTopPadding : kGroupTopPadding;
    const int textLeft = topLeft.x() + kMargin + kAvatarSize + kAvatarGap;
    const int textWidth = topLeft.x() + width - kMargin - textLeft;
    if (!grouped) {
        result.avatar = QRect(topLeft.x() + kMargin, y + 2, kAvatarSize, kAvatarSize);
        result.header = QRect(textLeft, y, textWidth, metrics.height());
        y += metrics.height() + 1;
    }

    if (index.data(MessageListModel::ReplyToRole).toLongLong() > 0) {
        result.quote = QRect(textLeft, y + 1, textWidth, small.height() + 4);
        y += result.quote.height() + 3;
    }

    const RowText row = rowText(index, option.font, option.palette, false, [this](const QString &t) { return parsed(t); });
    QTextLayout text(row.text, option.font);
    text.setFormats(row.formats);
    const int textHeight = int(layoutText(text, textWidth));
    const QVariantMap file = index.data(MessageListModel::FileRole).toMap();
    // A file on its own (no caption) takes no text line.
    const bool noText = !file.isEmpty() && row.text.isEmpty();
    result.text = QRect(textLeft, y, textWidth, noText ? 0 : std::max(textHeight, metrics.height()));
    // Each link's place, line by line (a long one wraps): what a click and the pointer find.
    for (const MarkdownLite::Link &link : row.rendered.links) {
        for (int i = 0; i < text.lineCount(); ++i) {
            const QTextLine line = text.lineAt(i);
            const qsizetype from = std::max<qsizetype>(link.start, line.textStart());
            const qsizetype to = std::min<qsizetype>(link.start + link.length, line.textStart() + line.textLength());
            if (from >= to)
                continue;
            const qreal x1 = line.cursorToX(int(from));
            const qreal x2 = line.cursorToX(int(to));
            const QRectF area(std::min(x1, x2), line.y(), std::abs(x2 - x1), line.height());
            result.links.append({area.toAlignedRect().translated(result.text.topLeft()), link});
        }
    }
    if (grouped)
        result.gutter = QRect(topLeft.x(), y, kMargin + kAvatarSize + kAvatarGap / 2, metrics.height());
    y += result.text.height();

    // files (issue 12): the image's box at its final size before it is loaded, or one line for any other file.
    if (!file.isEmpty()) {
        QSize box;
        if (file.value(u"image"_s).toBool())
            box = FileThumbnails::boxFor(QSize(file.value(u"width"_s).toInt(), file.value(u"height"_s).toInt()));
        else
            box = QSize(std::min(textWidth, 360), metrics.height() + small.height() + 12);
        result.file = QRect(textLeft, y + 4, std::min(box.width(), textWidth), box.height());
        y = result.file.bottom() + 1 + 2;
    }

    // Reaction chips, wrapped to the text's width.
    int chipX = textLeft;
    int chipY = y + 3;
    const int chipHeight = small.height() + 6;
    for (const QVariant &entry : index.data(MessageListModel::ReactionsRole).toList()) {
        const QVariantMap reaction = entry.toMap();
        const QString label = reaction.value(u"reaction"_s).toString() + u' '
                              + QString::number(reaction.value(u"count"_s).toInt());
        const int chipWidth = small.horizontalAdvance(label) + 14;
        if (chipX > textLeft && chipX + chipWidth > textLeft + textWidth) {
            chipX = textLeft;
            chipY += chipHeight + 4;
        }
        result.chips.append({QRect(chipX, chipY, chipWidth, chipHeight), reaction.value(u"reaction"_s).toString()});
        chipX += chipWidth + 6;
    }
    if (!result.chips.isEmpty())
        y = chipY + chipHeight + 2;

    const QString status = statusText(index);
    if (!status.isEmpty()) {
        result.status = QRect(textLeft, y + 1, textWidth, small.height());
        if (Delivery(index.data(MessageListModel::DeliveryRole).toInt()) == Delivery::Failed) {
            // Links first, right after the text, so they stay on screen however long the reason is.
            const int retryWidth = small.horizontalAdvance(tr("Retry"));
            const int discardWidth = small.horizontalAdvance(tr("Discard"));
            result.retry = QRect(textLeft, result.status.top(), retryWidth, small.height());
            result.discard = QRect(result.retry.right() + 1 + 12, result.status.top(), discardWidth, small.height());
            result.status.setLeft(result.discard.right() + 1 + 12);
        }
        y += small.height() + 2;
    }
    if (!grouped)
        y = std::max(y, result.avatar.bottom() + 1);
    y += kBottomPadding;
    result.height = y - topLeft.y();
    return result;
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const Layout rows = layout(opt, index, QPoint(0, 0));
    return {availableWidth(opt), rows.height};
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const Layout rows = layout(opt, index, opt.rect.topLeft());
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    const QPalette &palette = opt.palette;
    const bool selected = opt.state & QStyle::State_Selected;
    const QFont small = smallFont(opt.font);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);

    if (!rows.separator.isNull()) {
        const QString label = UiText::day(index.data(MessageListModel::DaySeparatorRole).toDate());
        painter->setFont(small);
        const int labelWidth = QFontMetrics(small).horizontalAdvance(label) + 20;
        const QRect band = rows.separator.adjusted(kMargin, 0, -kMargin, 0);
        const int middle = band.center().y();
        painter->setPen(QPen(Appearance::muted(palette, 0.8), 1));
        const int labelLeft = band.center().x() - labelWidth / 2;
        painter->drawLine(band.left(), middle, labelLeft, middle);
        painter->drawLine(labelLeft + labelWidth, middle, band.right(), middle);
        painter->setPen(mutedColor(palette, false));
        painter->drawText(QRect(labelLeft, band.top(), labelWidth, band.height()), Qt::AlignCenter, label);
    }

    if (!rows.unreadLine.isNull()) {
        // Where the person stopped reading: a line in the accent colour, its label at the end.
        const QString label = tr("New messages");
        painter->setFont(small);
        const int labelWidth = QFontMetrics(small).horizontalAdvance(label) + 12;
        const QRect band = rows.unreadLine.adjusted(kMargin, 0, -kMargin, 0);
        const int middle = band.center().y();
        const QColor accent = palette.color(QPalette::Highlight);
        painter->setPen(QPen(accent, 1));
        painter->drawLine(band.left(), middle, band.right() - labelWidth, middle);
        painter->drawText(QRect(band.right() - labelWidth, band.top(), labelWidth, band.height()),
                          Qt::AlignRight | Qt::AlignVCenter, label);
    }

    // The selection and hover background cover the message, not the day separator or unread line above it.
    QStyleOptionViewItem background = opt;
    const QRect above = rows.unreadLine.isNull() ? rows.separator : rows.unreadLine;
    background.rect.setTop(above.isNull() ? opt.rect.top() : above.bottom() + 1);
    background.text.clear();
    background.features &= ~QStyleOptionViewItem::HasDisplay;
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &background, painter, widget);
    // Someone named you: the row is tinted and marked at its edge, so it stands out while scrolling.
    if (index.data(MessageListModel::MentionsYouRole).toBool()) {
        QColor tint = Appearance::mention(palette);
        tint.setAlphaF(0.1f);
        if (!selected)
            painter->fillRect(background.rect, tint);
        painter->fillRect(QRect(background.rect.left(), background.rect.top(), 3, background.rect.height()),
                          Appearance::mention(palette));
    }

    const QString sender = index.data(MessageListModel::SenderRole).toString();
    // Sent late (written offline, from an outbox): the time it was written; the header notes when it was sent
    // and the tooltip has both.
    const QDateTime written = index.data(MessageListModel::WrittenRole).toDateTime();
    const QDateTime time = written.isValid() ? written : index.data(MessageListModel::TimestampRole).toDateTime();
    const bool pending = index.data(MessageListModel::PendingRole).toBool();
    const auto delivery = Delivery(index.data(MessageListModel::DeliveryRole).toInt());
    const QColor textColor = palette.color(selected ? QPalette::HighlightedText : QPalette::Text);

    if (!rows.avatar.isNull()) {
        // Issue 12: the avatar (the picture once loaded, else generated; cached) and the name people chose; the
        // user name is in the tooltip.
        const QString shown = index.data(MessageListModel::SenderNameRole).toString();
        const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
        painter->drawPixmap(rows.avatar.topLeft(),
                            Avatar::pixmap(sender, shown, rows.avatar.width(), dpr, Appearance::isDark(palette),
                                           m_pictures ? m_pictures->picture(sender) : Avatar::Picture{}));

        QFont nameFont = opt.font;
        nameFont.setBold(true);
        painter->setFont(nameFont);
        painter->setPen(selected ? textColor : senderColor(sender, palette));
        const QFontMetrics nameMetrics(nameFont);
        const QString name = nameMetrics.elidedText(shown.isEmpty() ? sender : shown, Qt::ElideRight,
                                                    rows.header.width() * 2 / 3);
        painter->drawText(rows.header, Qt::AlignLeft | Qt::AlignVCenter, name);
        painter->setFont(small);
        painter->setPen(mutedColor(palette, selected));
        const QString shownTime = UiText::time(time);
        const QRect timeArea = rows.header.adjusted(nameMetrics.horizontalAdvance(name) + 8, 0, 0, 0);
        painter->drawText(timeArea, Qt::AlignLeft | Qt::AlignVCenter, shownTime);
        if (const QString note = sentLaterNote(index); !note.isEmpty()) {
            // A small marker that this is not when it arrived: "· sent 10:15", in italics.
            QFont noteFont = small;
            noteFont.setItalic(true);
            painter->setFont(noteFont);
            const QRect noteArea = timeArea.adjusted(QFontMetrics(small).horizontalAdvance(shownTime) + 6, 0, 0, 0);
            painter->drawText(noteArea, Qt::AlignLeft | Qt::AlignVCenter,
                              QFontMetrics(noteFont).elidedText(u"\u00b7 "_s + note, Qt::ElideRight, noteArea.width()));
            painter->setFont(small);
        }
    } else if ((opt.state & QStyle::State_MouseOver) && !rows.gutter.isNull()) {
        painter->setFont(small);
        painter->setPen(mutedColor(palette, selected));
        painter->drawText(rows.gutter, Qt::AlignRight | Qt::AlignVCenter, UiText::time(time));
    }

    if (!rows.quote.isNull()) {
        // A bar in the original's sender colour, then the quote in the small muted font, on one line.
        const QVariantMap quote = index.data(MessageListModel::ReplyQuoteRole).toMap();
        const QString quoted = quote.value(u"sender"_s).toString();
        painter->fillRect(QRect(rows.quote.left(), rows.quote.top(), 3, rows.quote.height()),
                          quoted.isEmpty() ? Appearance::muted(palette, 0.6) : senderColor(quoted, palette));
        QFont quoteFont = small;
        quoteFont.setItalic(!quote.value(u"loaded"_s).toBool() || quote.value(u"deleted"_s).toBool());
        painter->setFont(quoteFont);
        painter->setPen(mutedColor(palette, selected));
        const QRect line = rows.quote.adjusted(9, 0, 0, 0);
        painter->drawText(line, Qt::AlignLeft | Qt::AlignVCenter,
                          QFontMetrics(quoteFont).elidedText(quoteText(index), Qt::ElideRight, line.width()));
    }

    const RowText row = rowText(index, opt.font, palette, selected, [this](const QString &t) { return parsed(t); });
    QTextLayout text(row.text, opt.font);
    text.setFormats(row.formats);
    layoutText(text, rows.text.width());
    // A code block: a band across the text's width behind its lines.
    for (const MarkdownLite::Span &span : row.rendered.spans) {
        if (!(span.styles & MarkdownLite::CodeBlock))
            continue;
        for (int i = 0; i < text.lineCount(); ++i) {
            const QTextLine line = text.lineAt(i);
            if (line.textStart() + line.textLength() <= span.start || line.textStart() >= span.start + span.length)
                continue;
            painter->fillRect(QRectF(rows.text.left(), rows.text.top() + line.y(), rows.text.width(), line.height()),
                              codeBackground(palette, selected));
        }
    }
    const bool deleted = index.data(MessageListModel::DeletedRole).toBool();
    painter->setPen((pending && delivery == Delivery::Sending) || deleted ? mutedColor(palette, selected) : textColor);
    text.draw(painter, rows.text.topLeft());

    if (!rows.file.isNull())
        paintFile(painter, opt, rows.file, index.data(MessageListModel::FileRole).toMap());

    if (!rows.chips.isEmpty()) {
        const QVariantList reactions = index.data(MessageListModel::ReactionsRole).toList();
        painter->setFont(small);
        for (qsizetype i = 0; i < rows.chips.size() && i < reactions.size(); ++i) {
            const QVariantMap reaction = reactions.at(i).toMap();
            const bool mine = reaction.value(u"mine"_s).toBool();
            const QRect chip = rows.chips.at(i).first;
            QColor fill = palette.color(QPalette::Highlight);
            fill.setAlphaF(mine ? 0.25f : 0.08f);
            painter->setBrush(fill);
            painter->setPen(QPen(mine ? palette.color(QPalette::Highlight) : Appearance::muted(palette, 0.7), 1));
            painter->drawRoundedRect(QRectF(chip).adjusted(0.5, 0.5, -0.5, -0.5), chip.height() / 2.0, chip.height() / 2.0);
            painter->setPen(textColor);
            painter->drawText(chip, Qt::AlignCenter,
                              reaction.value(u"reaction"_s).toString() + u' '
                                  + QString::number(reaction.value(u"count"_s).toInt()));
        }
    }

    if (!rows.status.isNull()) {
        QFont statusFont = small;
        statusFont.setItalic(delivery == Delivery::Sending);
        painter->setFont(statusFont);
        if (delivery == Delivery::Failed) {
            QFont linkFont = small;
            linkFont.setUnderline(true);
            linkFont.setBold(true);
            painter->setFont(linkFont);
            painter->setPen(selected ? textColor : palette.color(QPalette::Link));
            painter->drawText(rows.retry, Qt::AlignLeft | Qt::AlignVCenter, tr("Retry"));
            painter->drawText(rows.discard, Qt::AlignLeft | Qt::AlignVCenter, tr("Discard"));
            painter->setFont(statusFont);
            painter->setPen(selected ? textColor : errorColor(palette));
        } else {
            painter->setPen(mutedColor(palette, selected));
        }
        painter->drawText(rows.status, Qt::AlignLeft | Qt::AlignVCenter,
                          QFontMetrics(statusFont).elidedText(statusText(index), Qt::ElideRight, rows.status.width()));
    }

    if (opt.state & QStyle::State_HasFocus) {
        QStyleOptionFocusRect focus;
        focus.QStyleOption::operator=(background);
        focus.rect = background.rect.adjusted(1, 1, -1, -1);
        focus.backgroundColor = palette.color(selected ? QPalette::Highlight : QPalette::Base);
        style->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, painter, widget);
    }
    painter->restore();
}

// ---- files (issue 12) ----

void MessageDelegate::setThumbnails(FileThumbnails *thumbnails)
{
    if (m_thumbnails)
        m_thumbnails->disconnect(this);
    m_thumbnails = thumbnails;
    if (thumbnails) {
        QPointer<QAbstractItemView> view = m_view;
        connect(thumbnails, &FileThumbnails::thumbnailChanged, this, [view] {
            if (view)
                view->viewport()->update();
        });
    }
}

void MessageDelegate::setAvatarPictures(AvatarPictures *pictures)
{
    if (m_pictures)
        m_pictures->disconnect(this);
    m_pictures = pictures;
    if (pictures) {
        QPointer<QAbstractItemView> view = m_view;
        connect(pictures, &AvatarPictures::pictureChanged, this, [view] {
            if (view)
                view->viewport()->update();
        });
    }
}

void MessageDelegate::paintFile(QPainter *painter, const QStyleOptionViewItem &option, const QRect &area,
                                const QVariantMap &file) const
{
    const QPalette &palette = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    const QFont small = smallFont(option.font);
    const QString id = file.value(u"id"_s).toString();
    const QString problem = m_thumbnails ? m_thumbnails->error(id) : QString();
    QColor frame = Appearance::muted(palette, 0.8);
    if (file.value(u"image"_s).toBool()) {
        const QImage image = m_thumbnails && problem.isEmpty() ? m_thumbnails->thumbnail(id) : QImage();
        if (!image.isNull()) {
            painter->drawImage(area, image);
            return;
        }
        // The placeholder has the image's proportions: nothing moves when it arrives.
        QColor fill = Appearance::muted(palette, 0.9);
        fill.setAlphaF(0.25f);
        painter->setBrush(fill);
        painter->setPen(QPen(frame, 1));
        painter->drawRoundedRect(QRectF(area).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
        painter->setFont(small);
        painter->setPen(problem.isEmpty() ? mutedColor(palette, selected) : errorColor(palette));
        const QString label = problem.isEmpty() ? tr("Loading %1…").arg(file.value(u"name"_s).toString()) : problem;
        painter->drawText(area.adjusted(6, 4, -6, -4), Qt::AlignCenter | Qt::TextWordWrap, label);
        return;
    }
    // Any other file: its icon, name and size (or why it cannot be had), and what a click does.
    painter->setBrush(Qt::NoBrush);
    painter->setPen(QPen(frame, 1));
    painter->drawRoundedRect(QRectF(area).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
    const QStyle *style = option.widget ? option.widget->style() : QApplication::style();
    const int iconSize = area.height() - 12;
    style->standardIcon(QStyle::SP_FileIcon).paint(painter, QRect(area.left() + 6, area.top() + 6, iconSize, iconSize));
    const QRect textArea = area.adjusted(iconSize + 14, 4, -6, -4);
    QFont nameFont = option.font;
    nameFont.setBold(true);
    painter->setFont(nameFont);
    painter->setPen(palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
    const QFontMetrics nameMetrics(nameFont);
    painter->drawText(textArea, Qt::AlignLeft | Qt::AlignTop,
                      nameMetrics.elidedText(file.value(u"name"_s).toString(), Qt::ElideMiddle, textArea.width()));
    painter->setFont(small);
    painter->setPen(problem.isEmpty() ? mutedColor(palette, selected) : errorColor(palette));
    const QString detail = problem.isEmpty()
                               ? tr("%1 · Save as…").arg(UiText::bytes(file.value(u"size"_s).toULongLong()))
                               : problem;
    painter->drawText(textArea, Qt::AlignLeft | Qt::AlignBottom,
                      QFontMetrics(small).elidedText(detail, Qt::ElideRight, textArea.width()));
}

bool MessageDelegate::editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                                  const QModelIndex &index)
{
    if (event->type() == QEvent::MouseButtonRelease) {
        const auto *mouse = static_cast<QMouseEvent *>(event);
        if (mouse->button() == Qt::LeftButton && !index.data(MessageListModel::DeletedRole).toBool()) {
            QStyleOptionViewItem opt = option;
            initStyleOption(&opt, index);
            const Layout rows = layout(opt, index, opt.rect.topLeft());
            for (const auto &[area, link] : rows.links) {
                if (area.contains(mouse->position().toPoint())) {
                    const QString shown = MarkdownLite::plainText(index.data(MessageListModel::TextRole).toString());
                    Q_EMIT linkActivated(link, shown.mid(link.start, link.length));
                    return true;
                }
            }
        }
        if (mouse->button() == Qt::LeftButton && !index.data(MessageListModel::FileRole).toMap().isEmpty()) {
            QStyleOptionViewItem opt = option;
            initStyleOption(&opt, index);
            if (layout(opt, index, opt.rect.topLeft()).file.contains(mouse->position().toPoint())) {
                Q_EMIT fileActivated(index.data(MessageListModel::FileRole).toMap());
                return true;
            }
        }
        if (mouse->button() == Qt::LeftButton && !index.data(MessageListModel::ReactionsRole).toList().isEmpty()) {
            QStyleOptionViewItem opt = option;
            initStyleOption(&opt, index);
            const Layout rows = layout(opt, index, opt.rect.topLeft());
            const QVariantList reactions = index.data(MessageListModel::ReactionsRole).toList();
            for (qsizetype i = 0; i < rows.chips.size() && i < reactions.size(); ++i) {
                if (rows.chips.at(i).first.contains(mouse->position().toPoint())) {
                    Q_EMIT reactionToggled(index.data(MessageListModel::SeqRole).toLongLong(), rows.chips.at(i).second,
                                           reactions.at(i).toMap().value(u"mine"_s).toBool());
                    return true;
                }
            }
        }
        if (const qint64 original = index.data(MessageListModel::ReplyToRole).toLongLong();
            original > 0 && mouse->button() == Qt::LeftButton) {
            QStyleOptionViewItem opt = option;
            initStyleOption(&opt, index);
            if (layout(opt, index, opt.rect.topLeft()).quote.contains(mouse->position().toPoint())) {
                Q_EMIT quoteClicked(original);
                return true;
            }
        }
        if (mouse->button() == Qt::LeftButton
            && Delivery(index.data(MessageListModel::DeliveryRole).toInt()) == Delivery::Failed) {
            QStyleOptionViewItem opt = option;
            initStyleOption(&opt, index);
            const Layout rows = layout(opt, index, opt.rect.topLeft());
            const QString id = index.data(MessageListModel::ClientMsgIdRole).toString();
            const QPoint at = mouse->position().toPoint();
            if (rows.retry.contains(at)) {
                Q_EMIT retryRequested(id);
                return true;
            }
            if (rows.discard.contains(at)) {
                Q_EMIT discardRequested(id);
                return true;
            }
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

bool MessageDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                                const QModelIndex &index)
{
    if (event->type() == QEvent::ToolTip && index.isValid()) {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const Layout rows = layout(opt, index, opt.rect.topLeft());
        QString tip = timeText(index);
        const QVariantList reactions = index.data(MessageListModel::ReactionsRole).toList();
        for (qsizetype i = 0; i < rows.chips.size() && i < reactions.size(); ++i) {
            if (rows.chips.at(i).first.contains(event->pos())) {
                const QVariantMap reaction = reactions.at(i).toMap();
                tip = tr("%1 reacted with %2").arg(QLocale().createSeparatedList(reaction.value(u"users"_s).toStringList()),
                                                    reaction.value(u"reaction"_s).toString());
                QToolTip::showText(event->globalPos(), tip, view);
                return true;
            }
        }
        for (const auto &[area, link] : rows.links) {
            if (area.contains(event->pos())) {
                // The address itself, whatever the text claims (a link's text is the sender's to choose).
                QToolTip::showText(event->globalPos(), link.url, view);
                return true;
            }
        }
        // Issue 12: over the avatar or the name, who it really is (a display name can be anyone's choice).
        const QString sender = index.data(MessageListModel::SenderRole).toString();
        const QString shown = index.data(MessageListModel::SenderNameRole).toString();
        if (rows.avatar.contains(event->pos()) || rows.header.contains(event->pos()))
            tip = shown.isEmpty() || shown == sender ? sender : tr("%1 (user name: %2)").arg(shown, sender);
        if (rows.quote.contains(event->pos()))
            tip = tr("Show the message this one replies to");
        else if (rows.retry.contains(event->pos()))
            tip = tr("Send this message again");
        else if (rows.discard.contains(event->pos()))
            tip = tr("Delete this message without sending it");
        QToolTip::showText(event->globalPos(), tip, view);
        return true;
    }
    return QStyledItemDelegate::helpEvent(event, view, option, index);
}

} // namespace Tertulia
