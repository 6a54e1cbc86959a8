#pragma once

#include <QtCore/QString>
#include <QtCore/QStringList>

namespace Tertulia::Names {

/// Limits shared by server and client so the client can refuse early what the server would refuse.
inline constexpr int kMinUserNameLength = 3;
inline constexpr int kMaxUserNameLength = 32;
inline constexpr int kMaxRoomNameLength = 64;
inline constexpr int kMinPasswordLength = 8;
inline constexpr int kMaxPasswordLength = 1024;

/// User names are ASCII letters, digits, '_', '.', '-', starting with a letter or digit. ASCII only on
/// purpose: look-alike Unicode names would let one user impersonate another.
bool isValidUserName(const QString &name);

/// Room names are 1–64 letters or digits of any script plus '_', '.', '-'; no spaces, so a room name
/// can be written in a link or a command without quoting.
bool isValidRoomName(const QString &name);

/// Direct conversations (issue 12) are rooms whose address is "@" + the two users' canonical names in
/// order + "+" + ...: "@alice+bob". '@' and '+' are in neither a room name nor a user name, so no room a user
/// creates can take a conversation's address, the two names split without doubt, and each pair has exactly one
/// address whoever asks. Two names of 32 make the longest address, 66 characters.
inline constexpr int kMaxRoomAddressLength = 2 + 2 * kMaxUserNameLength;

/// The address of the direct conversation of two (valid, different) users, whatever their order or case.
QString directAddress(const QString &user, const QString &other);
/// The two users (canonical, in order) of a direct conversation's address as directAddress() writes it; empty
/// for anything else (a room name, a malformed or non-canonical address).
QStringList directUsers(const QString &address);
inline bool isDirectAddress(const QString &address) { return !directUsers(address).isEmpty(); }
/// What a request may name as its room: a room name, or a direct conversation's address.
bool isValidRoomAddress(const QString &name);

/// Uniqueness of users and rooms ignores case: "Alice" and "alice" are the same account.
QString canonical(const QString &name);

} // namespace Tertulia::Names
