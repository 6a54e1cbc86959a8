#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <optional>

class QTcpSocket;

namespace Tertulia::FastPath {

/// A TCP connection taken out of a QTcpSocket.
struct TakenSocket
{
    int descriptor = -1;
    QByteArray alreadyRead;   ///< bytes Qt had read from the connection but nobody had consumed, in order
    QString peerAddress;
};

/// Takes the connection of `socket` over as a plain descriptor, leaving the connection itself untouched.
///
/// How: duplicate the descriptor, take every byte Qt has buffered (readAll()), then abort() the QTcpSocket and
/// delete it later (the caller may be inside its readyRead). Qt 6's abort() ends in
/// QNativeSocketEngine::close(), which disables the socket's notifiers and then close()s Qt's descriptor; it
/// never calls shutdown(), so the connection lives on through the duplicate (verified by
/// tst_fastwebsocket::takeOver). What the peer sends next is read from the duplicate.
///
/// Fails, leaving the socket as it was, when Qt still has bytes to write (they would be lost) or no
/// descriptor can be had (EMFILE). Linux and other POSIX systems only.
std::optional<TakenSocket> takeOverSocket(QTcpSocket *socket, QString *error = nullptr);

} // namespace Tertulia::FastPath
