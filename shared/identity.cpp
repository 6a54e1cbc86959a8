#include "shared/identity.h"

#include "shared/names.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QStringList>
#include <QtCore/QTextBoundaryFinder>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace Tertulia::Identity {

namespace {
constexpr char32_t kZwnj = 0x200C;
constexpr char32_t kZwj = 0x200D;

/// The palette (Material-like 600 tones), each readable with white text at avatar sizes.
constexpr std::array<const char16_t *, kAvatarPaletteSize> kPalette{
    u"#e53935", u"#d81b60", u"#8e24aa", u"#5e35b1", u"#3949ab", u"#1e88e5",
    u"#00897b", u"#43a047", u"#7cb342", u"#f4511e", u"#6d4c41", u"#546e7a",
};
} // namespace

Validated validateDisplayName(const QString &text)
{
    if (!text.isValidUtf16()) // a lone surrogate: not text (unassigned code points are allowed: newer emoji)
        return {{}, u"a display name must be valid Unicode text"_s};
    const QString name = text.trimmed().normalized(QString::NormalizationForm_C);
    int codePoints = 0;
    for (const char32_t c : name.toUcs4()) {
        ++codePoints;
        const QChar::Category category = QChar::category(c);
        if (category == QChar::Other_Control)
            return {{}, u"a display name may not hold control characters (line breaks, tabs)"_s};
        if (category == QChar::Other_Format && c != kZwj && c != kZwnj)
            return {{}, u"a display name may not hold invisible formatting characters (only ZWJ and ZWNJ)"_s};
        if (category == QChar::Separator_Line || category == QChar::Separator_Paragraph)
            return {{}, u"a display name is one line"_s};
    }
    if (codePoints > kMaxDisplayNameLength)
        return {{}, QStringLiteral("a display name has at most %1 characters").arg(kMaxDisplayNameLength)};
    return {name, {}};
}

QString avatarInitials(const QString &name)
{
    QString initials;
    int words = 0;
    const QStringList parts = name.simplified().split(u' ', Qt::SkipEmptyParts);
    for (const QString &word : parts) {
        // A grapheme cluster, so "É" written as E + combining accent, a flag or a family emoji stay whole.
        QTextBoundaryFinder graphemes(QTextBoundaryFinder::Grapheme, word);
        const qsizetype end = graphemes.toNextBoundary();
        if (end <= 0)
            continue;
        initials += word.left(end).toUpper();
        if (++words == 2)
            break;
    }
    return initials;
}

int avatarColorIndex(const QString &user)
{
    // FNV-1a: a few lines that every client (C++ here, JavaScript on the guest page) computes alike; no
    // library hash is specified byte for byte across both.
    quint32 hash = 2166136261u;
    for (const char byte : Names::canonical(user).toUtf8()) {
        hash ^= quint8(byte);
        hash *= 16777619u;
    }
    return int(hash % kAvatarPaletteSize);
}

QString avatarColor(int index)
{
    return QString::fromUtf16(kPalette.at(std::size_t(index) % kPalette.size()));
}

QString avatarVersion(QByteArrayView pictureBytes)
{
    const QByteArray digest = QCryptographicHash::hash(pictureBytes, QCryptographicHash::Sha256).first(12);
    return QString::fromLatin1(digest.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool isAvatarVersion(QStringView version)
{
    if (version.isEmpty() || version.size() > kMaxAvatarVersionLength)
        return false;
    return std::all_of(version.begin(), version.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'-'
            || c == u'_';
    });
}

} // namespace Tertulia::Identity
