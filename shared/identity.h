#pragma once

#include <QtCore/QByteArrayView>
#include <QtCore/QString>
#include <QtCore/QStringView>

#include <optional>

/// Display names and generated avatars (issue 12), as pure functions: the server validates with them, the
/// desktop app draws with them, and the guest page (server/web/app.js) implements the same rules
/// (docs/protocol.md#profiles) so every client shows a person the same way.
namespace Tertulia::Identity {

/// A display name is 1–64 code points once trimmed and NFC-normalised.
inline constexpr int kMaxDisplayNameLength = 64;
/// Bound on what a parser reads before validating (UTF-16 units, generous: 64 code points of any plane).
inline constexpr int kMaxDisplayNameUnits = 4 * kMaxDisplayNameLength;

/// The display name as stored and shown, or why it is refused. Any script and inner spaces are allowed; the
/// text is trimmed and NFC-normalised (so "é" typed two ways is one name), and refused when it is longer than
/// kMaxDisplayNameLength code points (what a reader sees, roughly, in any script) or holds a control or
/// format character (line breaks, bidi overrides, zero-width spaces: they let a name hide or reorder text
/// around it), except ZWJ and ZWNJ, which Persian, Indic scripts and emoji sequences need. An empty result
/// (after trimming) means "no display name": the caller clears it.
struct Validated
{
    QString name;       ///< normalised; empty: none
    QString error;      ///< empty when valid
    bool ok() const { return error.isEmpty(); }
};
Validated validateDisplayName(const QString &text);

/// What to show for a user: the display name, or the user name when there is none.
inline QString shownName(const QString &user, const QString &displayName)
{
    return displayName.isEmpty() ? user : displayName;
}

/// A generated avatar's initials: the first grapheme (a letter with its accents, an emoji sequence, a CJK
/// character) of each of the first two words of `name`, upper-cased where the script has case. Words are
/// split at white space. Empty for an empty name.
QString avatarInitials(const QString &name);

/// The number of colours of the avatar palette.
inline constexpr int kAvatarPaletteSize = 12;
/// A generated avatar's colour, as an index into the palette: FNV-1a (32 bits) over the UTF-8 bytes of the
/// canonical user name (Names::canonical), modulo kAvatarPaletteSize. From the user name, not the display
/// name: a rename keeps the colour, and two people who pick the same display name still differ.
int avatarColorIndex(const QString &user);
/// The palette as #RRGGBB: mid-tone colours that carry white initials on light and dark backgrounds.
QString avatarColor(int index);

/// An uploaded avatar picture (docs/protocol.md#avatar-pictures) is named by its version wherever a display
/// name travels: a short token of its bytes, so a client fetches and keeps each picture once per version and
/// the same bytes uploaded again are the same version. The server makes it (avatarVersion()); clients only
/// check its shape (isAvatarVersion()) before they put it in a URL.
inline constexpr qsizetype kMaxAvatarVersionLength = 32;
/// The first 12 bytes of the bytes' SHA-256, URL-safe base64 without padding: 16 characters of
/// [A-Za-z0-9_-].
QString avatarVersion(QByteArrayView pictureBytes);
/// 1 to kMaxAvatarVersionLength characters of [A-Za-z0-9_-].
bool isAvatarVersion(QStringView version);
/// The side of the square picture the clients upload (they scale and crop before sending).
inline constexpr int kAvatarPictureSize = 256;
/// The largest picture the server takes, in either direction (its header says; larger is refused): an avatar
/// is shown small, and a huge one would make every client decode it.
inline constexpr int kMaxAvatarPictureSide = 1024;

} // namespace Tertulia::Identity
