#pragma once

#include <QtCore/QString>

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

/// Uniqueness of users and rooms ignores case: "Alice" and "alice" are the same account.
QString canonical(const QString &name);

} // namespace Tertulia::Names
