#pragma once

#include <array>

/// Account SQL both stores run as it is (issue 12: a deleted account leaves nothing personal behind).
namespace Tertulia::SqlAccounts {

/// A deleted account's row stays as a tombstone, so the name stays taken; the password goes. Takes the time of
/// deletion and the canonical key; changes no row when the account is unknown or already deleted.
inline constexpr const char *kDeleteUserTombstone =
    "UPDATE users SET deleted_at = ?, password_hash = '!deleted' WHERE key = ? AND deleted_at IS NULL";

/// What goes with a deleted account, after its users row became a tombstone (the name stays taken), in the same
/// transaction; each statement takes the user's canonical key. Messages stay: they belong to their rooms.
/// (SQLite has understood TRUE and FALSE since 3.23, so one spelling serves both.)
inline constexpr std::array kForgetDeletedUser{
    "UPDATE logins SET revoked = TRUE WHERE user_key = ? AND NOT revoked",
    "DELETE FROM members WHERE user_key = ?",
    "DELETE FROM invites WHERE user_key = ?",
    // A deleted account moderates nothing (a room it owned is left to the administrators).
    "DELETE FROM room_roles WHERE user_key = ?",
    // How far it had read is nobody's business once it is gone.
    "DELETE FROM read_markers WHERE user_key = ?",
    // Nor what it called itself (issue 12): its messages show the user name again.
    "UPDATE users SET display_name = NULL WHERE key = ?",
    // Nor its picture (issue 12, schema 15): its messages show the generated avatar again.
    "DELETE FROM avatars WHERE user_key = ?",
};

/// Profiles (issue 12). Takes the display name (a null QString binds NULL: cleared) and the canonical key.
inline constexpr const char *kSetDisplayName =
    "UPDATE users SET display_name = ? WHERE key = ? AND deleted_at IS NULL";
inline constexpr const char *kDisplayNames =
    "SELECT key, display_name FROM users WHERE display_name IS NOT NULL AND deleted_at IS NULL";

/// Avatar pictures (issue 12, schema 15). kSetAvatar takes the canonical key, version, type, bytes and time, then
/// the key again: it writes nothing unless the account exists.
inline constexpr const char *kSetAvatar =
    "INSERT INTO avatars (user_key, version, type, data, updated_at) SELECT ?, ?, ?, ?, ?"
    " WHERE EXISTS (SELECT 1 FROM users WHERE key = ? AND deleted_at IS NULL)"
    " ON CONFLICT (user_key) DO UPDATE SET version = excluded.version, type = excluded.type, data = excluded.data,"
    " updated_at = excluded.updated_at";
inline constexpr const char *kRemoveAvatar = "DELETE FROM avatars WHERE user_key = ?";
/// Only of accounts that exist (a picture never outlives its account, even one set as it was being deleted).
inline constexpr const char *kAvatar =
    "SELECT a.version, a.type, a.data, a.updated_at FROM avatars a JOIN users u ON u.key = a.user_key"
    " WHERE a.user_key = ? AND u.deleted_at IS NULL";
inline constexpr const char *kAvatarVersions =
    "SELECT a.user_key, a.version FROM avatars a JOIN users u ON u.key = a.user_key WHERE u.deleted_at IS NULL";

} // namespace Tertulia::SqlAccounts
