#pragma once

// Plain blocking TCP for server tests that must control what is in the server's receive buffer before the
// server's event loop runs (a blocking connect() completes in the kernel's listen queue, before any accept).
#include <QtCore/QByteArray>
#include <QtCore/QElapsedTimer>
#include <QtTest/QTest>

#include <functional>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Tertulia::Test {

/// send() flags that keep a write to a closed peer from raising SIGPIPE: MSG_NOSIGNAL where it exists (Linux);
/// macOS has none and gets SO_NOSIGPIPE on each socket instead (connectBlocking()).
#ifdef MSG_NOSIGNAL
inline constexpr int kSendFlags = MSG_NOSIGNAL;
#else
inline constexpr int kSendFlags = 0;
#endif

/// A blocking client socket connected to 127.0.0.1:port, or -1.
inline int connectBlocking(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd >= 0)
        ::fcntl(fd, F_SETFD, FD_CLOEXEC); // POSIX (SOCK_CLOEXEC is Linux's): not inherited by servers we start
#ifdef SO_NOSIGPIPE
    const int one = 1;
    if (fd >= 0)
        ::setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && ::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

inline bool sendAll(int fd, QByteArrayView bytes)
{
    return ::send(fd, bytes.data(), size_t(bytes.size()), kSendFlags) == bytes.size();
}

/// Reads (letting the event loop run meanwhile) until `done` says the bytes are complete, the peer closes, or
/// 5 s pass.
inline QByteArray readUntil(int fd, const std::function<bool(const QByteArray &)> &done)
{
    QByteArray out;
    QElapsedTimer timer;
    timer.start();
    while (!done(out) && timer.elapsed() < 5000) {
        char buffer[4096];
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n == 0)
            break;
        if (n > 0)
            out.append(buffer, n);
        else
            QTest::qWait(5);
    }
    return out;
}

/// readUntil() for `bytes` bytes.
inline QByteArray readBytes(int fd, qsizetype bytes)
{
    return readUntil(fd, [bytes](const QByteArray &out) { return out.size() >= bytes; });
}

} // namespace Tertulia::Test
