#include "loadgenerator.h"

#include "jsonwriter.h"
#include "procstat.h"
#include "token.h"
#include "wsframe.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sodium.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Tertulia::Bench {

namespace {

constexpr uint64_t MaxMessageBytes = 1 << 20;
constexpr size_t MaxHandshakeBytes = 16384;
constexpr int MaxEvents = 1024;
constexpr int64_t Second = 1000000000LL;
constexpr int64_t TokenLifetimeSeconds = 3600;

int64_t seconds(double s)
{
    return int64_t(s * double(Second));
}

double toMs(int64_t ns)
{
    return double(ns) / 1e6;
}

bool startsWithNoCase(std::string_view text, std::string_view prefix)
{
    if (text.size() < prefix.size())
        return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
            return false;
    }
    return true;
}

// Looks for a header line "name: value" (name case-insensitive, value compared case-insensitively too).
bool hasHeader(std::string_view head, std::string_view name, std::string_view value)
{
    size_t pos = head.find("\r\n");
    while (pos != std::string_view::npos && pos + 2 < head.size()) {
        const size_t start = pos + 2;
        const size_t end = std::min(head.find("\r\n", start), head.size());
        std::string_view line = head.substr(start, end - start);
        if (startsWithNoCase(line, name) && line.size() > name.size() && line[name.size()] == ':') {
            std::string_view v = line.substr(name.size() + 1);
            while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
                v.remove_prefix(1);
            while (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
                v.remove_suffix(1);
            if (v.size() == value.size() && startsWithNoCase(v, value))
                return true;
        }
        pos = end < head.size() ? end : std::string_view::npos;
    }
    return false;
}

void writeHistogram(JsonWriter &out, std::string_view key, const Histogram &h)
{
    out.beginObject(key)
        .value("count", h.count())
        .value("p50", toMs(h.percentile(50)))
        .value("p90", toMs(h.percentile(90)))
        .value("p99", toMs(h.percentile(99)))
        .value("p999", toMs(h.percentile(99.9)))
        .value("max", toMs(h.max()))
        .value("mean", h.mean() / 1e6)
        .endObject();
}

const char *modeName(Mode mode)
{
    switch (mode) {
    case Mode::Fanout: return "fanout";
    case Mode::Idle: return "idle";
    case Mode::Storm: return "storm";
    case Mode::Lockstep: return "lockstep";
    case Mode::Probe: return "probe";
    case Mode::Failover: return "failover";
    }
    return "?";
}

} // namespace

LoadGenerator::LoadGenerator(Options options)
    : m_opt(std::move(options))
{
}

LoadGenerator::~LoadGenerator()
{
    for (Conn &c : m_conns) {
        if (c.ssl)
            SSL_free(c.ssl);
        if (c.fd >= 0)
            ::close(c.fd);
    }
    if (m_tls)
        SSL_CTX_free(m_tls);
    if (m_epoll >= 0)
        ::close(m_epoll);
}

bool LoadGenerator::init(std::string &error)
{
    if (sodium_init() < 0) {
        error = "libsodium failed to initialise";
        return false;
    }
    std::string secretError;
    const auto key = Token::readSecretFile(m_opt.secretFile, secretError);
    if (!key) {
        error = secretError;
        return false;
    }
    m_key = *key;
    if (m_opt.ports.empty() && m_opt.port != 0)
        m_opt.ports.push_back(m_opt.port);
    if (m_opt.ports.empty() || std::find(m_opt.ports.begin(), m_opt.ports.end(), 0) != m_opt.ports.end()) {
        error = "--port or --ports is required";
        return false;
    }
    m_opt.port = m_opt.ports.front();
    if (m_opt.clients < 1 || m_opt.rooms < 1 || m_opt.rooms > m_opt.clients) {
        error = "need 1 <= --rooms <= --clients";
        return false;
    }
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    if (rlim_t(m_opt.clients) + 32 > limit.rlim_cur) {
        error = "--clients " + std::to_string(m_opt.clients) + " exceeds the descriptor limit "
            + std::to_string(limit.rlim_cur) + " (keep 32 spare)";
        return false;
    }
    // Wake-ups for the publish timetable should not be rounded up by the default 50 us timer slack.
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    if (m_epoll < 0) {
        error = std::string("epoll_create1: ") + std::strerror(errno);
        return false;
    }

    if (m_opt.tls) {
        m_tls = SSL_CTX_new(TLS_client_method());
        if (!m_tls) {
            error = "SSL_CTX_new failed";
            return false;
        }
        // Loopback against a test certificate: nothing to verify. Partial writes and a moving buffer let
        // SSL_write behave like send() on a non-blocking socket (the rest stays in Conn::out).
        SSL_CTX_set_verify(m_tls, SSL_VERIFY_NONE, nullptr);
        SSL_CTX_set_mode(m_tls, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
        SSL_CTX_set_session_cache_mode(m_tls, SSL_SESS_CACHE_OFF);
    }
    if (m_opt.path.empty())
        m_opt.path = m_opt.proto == Proto::Native ? "/ws" : "/socket.io/?EIO=4&transport=websocket";
    // One request head per port: Host names the server the client really talks to.
    for (const uint16_t port : m_opt.ports) {
        std::string head = "GET " + m_opt.path + " HTTP/1.1\r\nHost: " + m_opt.host + ':' + std::to_string(port)
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n";
        if (m_opt.proto == Proto::Native)
            head += "Sec-WebSocket-Protocol: tertulia.v1\r\n";
        m_requestHeads.push_back(std::move(head));
    }

    m_conns.resize(size_t(m_opt.clients));
    m_roomNames.resize(size_t(m_opt.rooms));
    m_roomMembers.resize(size_t(m_opt.rooms));
    m_roomStableReady.assign(size_t(m_opt.rooms), 0);
    for (int r = 0; r < m_opt.rooms; ++r)
        m_roomNames[size_t(r)] = "bench-r" + std::to_string(r);
    // Client i is in room i % rooms, so clients 0 .. rooms-1 are the first member of each room: they
    // create it, and connect before everyone else.
    for (int i = 0; i < m_opt.clients; ++i) {
        Conn &c = m_conns[size_t(i)];
        c.room = uint32_t(i % m_opt.rooms);
        c.creator = i < m_opt.rooms;
        m_roomMembers[c.room].push_back(uint32_t(i));
    }
    randombytes_buf(&m_rng, sizeof m_rng);
    m_rng |= 1;
    m_readBuffer.resize(256 * 1024);
    return true;
}

uint32_t LoadGenerator::nextMask()
{
    // xorshift64*: masking keys only have to keep intermediaries from predicting the payload (RFC 6455
    // 10.3), and on loopback there are none; a CSPRNG call per frame would cost the generator's budget.
    m_rng ^= m_rng >> 12;
    m_rng ^= m_rng << 25;
    m_rng ^= m_rng >> 27;
    return uint32_t((m_rng * 2685821657736338717ULL) >> 32);
}

int LoadGenerator::membersPerRoom() const
{
    return std::max(1, m_opt.clients / m_opt.rooms);
}

// ---------------------------------------------------------------------------------------------------
// event loop

void LoadGenerator::poll(int64_t deadlineNs)
{
    int64_t now = Proc::monotonicNs();
    int64_t wake = deadlineNs;
    if (m_plan.active && m_plan.next < m_plan.total)
        wake = std::min(wake, m_plan.startNs + int64_t(double(m_plan.next) * m_plan.intervalNs));
    if (!m_timers.empty())
        wake = std::min(wake, m_timers.top().dueNs);
    const int64_t timeout = m_opt.busyPoll ? 0 : std::max<int64_t>(0, wake - now);
    timespec ts{time_t(timeout / Second), long(timeout % Second)};
    epoll_event events[MaxEvents];
    const int n = epoll_pwait2(m_epoll, events, MaxEvents, &ts, nullptr);
    m_now = Proc::monotonicNs();
    for (int i = 0; i < n; ++i)
        handleEvent(events[i].data.u64, events[i].events);
    fireTimers(m_now);
    publishDue(m_now);
    fillConnectQueue();
}

void LoadGenerator::handleEvent(uint64_t tag, uint32_t events)
{
    const auto index = uint32_t(tag & 0xFFFFFFFFu);
    const auto generation = uint32_t(tag >> 32);
    Conn &c = m_conns[index];
    if (!isAlive(c, generation))
        return;
    if (c.state == State::TcpConnecting) {
        onConnected(c, index);
        return;
    }
    if (c.state == State::TlsHandshaking) {
        continueTlsHandshake(c, index);
        return;
    }
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
        onReadable(c, index);
    if (isAlive(c, generation) && (events & EPOLLOUT))
        flush(c, index);
}

void LoadGenerator::fireTimers(int64_t now)
{
    while (!m_timers.empty() && m_timers.top().dueNs <= now) {
        const Timer timer = m_timers.top();
        m_timers.pop();
        Conn &c = m_conns[timer.conn];
        if (c.generation != timer.generation || c.state != State::Waiting)
            continue;
        if (m_inflight < m_inflightLimit)
            startConnect(timer.conn);
        else
            m_connectQueue.push_back(timer.conn);
    }
}

void LoadGenerator::fillConnectQueue()
{
    while (m_inflight < m_inflightLimit && m_connectQueueHead < m_connectQueue.size()) {
        const uint32_t index = m_connectQueue[m_connectQueueHead++];
        const State state = m_conns[index].state;
        if (state == State::Idle || state == State::Waiting)
            startConnect(index);
    }
}

// ---------------------------------------------------------------------------------------------------
// connections

void LoadGenerator::startConnect(uint32_t index)
{
    Conn &c = m_conns[index];
    ++c.generation;
    c.in.clear();
    c.out.clear();
    c.fragment.clear();
    c.fragmented = false;
    c.wantWrite = false;
    c.attemptStartNs = Proc::monotonicNs();
    c.stageStartNs = c.attemptStartNs;
    ++c.attempts;
    c.state = State::TcpConnecting;
    ++m_inflight;

    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        fail(c, index, std::string("socket: ") + std::strerror(errno));
        return;
    }
    c.fd = fd;
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (m_opt.sourceAddresses > 0) {
        // Many source addresses multiply the ephemeral ports available; IP_BIND_ADDRESS_NO_PORT lets the
        // kernel pick the port at connect() time, per destination, instead of reserving one at bind().
        setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        sockaddr_in source{};
        source.sin_family = AF_INET;
        source.sin_addr.s_addr = htonl((127u << 24) | uint32_t(2 + index % uint32_t(m_opt.sourceAddresses)));
        if (::bind(fd, reinterpret_cast<const sockaddr *>(&source), sizeof source) != 0) {
            fail(c, index, std::string("bind: ") + std::strerror(errno));
            return;
        }
    }
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(portFor(c, index));
    inet_pton(AF_INET, m_opt.host.c_str(), &server.sin_addr);
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&server), sizeof server) != 0 && errno != EINPROGRESS) {
        fail(c, index, std::string("connect: ") + std::strerror(errno));
        return;
    }
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT;
    event.data.u64 = (uint64_t(c.generation) << 32) | index;
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event);
}

void LoadGenerator::onConnected(Conn &c, uint32_t index)
{
    int error = 0;
    socklen_t length = sizeof error;
    getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) {
        fail(c, index, std::string("connect: ") + std::strerror(error));
        return;
    }
    endStage(c, StageTcp);
    if (m_opt.tls) {
        c.ssl = SSL_new(m_tls);
        if (!c.ssl || SSL_set_fd(c.ssl, c.fd) != 1) {
            fail(c, index, "SSL_new failed");
            return;
        }
        SSL_set_connect_state(c.ssl);
        c.state = State::TlsHandshaking;
        continueTlsHandshake(c, index);
        return;
    }
    sendUpgrade(c, index);
}

void LoadGenerator::continueTlsHandshake(Conn &c, uint32_t index)
{
    ERR_clear_error();
    const int r = SSL_do_handshake(c.ssl);
    if (r != 1) {
        const int why = SSL_get_error(c.ssl, r);
        if (why == SSL_ERROR_WANT_READ || why == SSL_ERROR_WANT_WRITE) {
            // Level-triggered epoll: wait for the direction OpenSSL needs (EPOLLIN is always on).
            epoll_event event{};
            event.events = EPOLLIN | (why == SSL_ERROR_WANT_WRITE ? EPOLLOUT : 0u);
            event.data.u64 = (uint64_t(c.generation) << 32) | index;
            epoll_ctl(m_epoll, EPOLL_CTL_MOD, c.fd, &event);
            c.wantWrite = why == SSL_ERROR_WANT_WRITE;
            return;
        }
        char text[160];
        ERR_error_string_n(ERR_peek_error(), text, sizeof text);
        fail(c, index, std::string("TLS handshake: ") + (ERR_peek_error() ? text : std::strerror(errno)));
        return;
    }
    endStage(c, StageTls);
    sendUpgrade(c, index);
}

void LoadGenerator::sendUpgrade(Conn &c, uint32_t index)
{
    c.state = State::Upgrading;
    std::string request = m_requestHeads[(index + c.portShift) % m_requestHeads.size()];
    request += "Sec-WebSocket-Key: " + Ws::makeHandshakeKey() + "\r\n";
    if (m_opt.proto == Proto::Native) {
        request += "Authorization: Bearer ";
        request += Token::mintAccess("u" + std::to_string(index), m_key, Proc::realtimeSeconds(),
                                     TokenLifetimeSeconds);
        request += "\r\n";
    }
    request += "\r\n";
    c.wantWrite = true;   // force an epoll update: EPOLLOUT is no longer wanted unless the write stalls
    writeRaw(c, index, request);
    if (c.fd >= 0 && c.out.empty()) {
        c.wantWrite = true;
        updateEpoll(c, index);
    }
}

void LoadGenerator::onReadable(Conn &c, uint32_t index)
{
    const uint32_t generation = c.generation;
    std::string error;
    for (int round = 0; round < 4; ++round) {
        const ssize_t n = readSome(c, m_readBuffer.data(), m_readBuffer.size(), error);
        if (n == -1) {
            fail(c, index, c.state == State::Ready ? "closed by server" : "closed by server during setup");
            return;
        }
        if (n == -2) {
            fail(c, index, error);
            return;
        }
        if (n == 0)
            return;
        size_t consumed = 0;
        if (c.in.empty()) {
            const std::string_view data(m_readBuffer.data(), size_t(n));
            if (!processBytes(c, index, data, consumed) || !isAlive(c, generation))
                return;
            if (consumed < data.size())
                c.in.assign(data.substr(consumed));
        } else {
            c.in.append(m_readBuffer.data(), size_t(n));
            if (!processBytes(c, index, c.in, consumed) || !isAlive(c, generation))
                return;
            c.in.erase(0, consumed);
        }
        // A TLS read returns one record at most: go on while there may be more (the next read says).
        if (!c.ssl && size_t(n) < m_readBuffer.size())
            return;
    }
}

ssize_t LoadGenerator::readSome(Conn &c, char *data, size_t size, std::string &error)
{
    if (!c.ssl) {
        for (;;) {
            const ssize_t n = ::recv(c.fd, data, size, 0);
            if (n > 0)
                return n;
            if (n == 0)
                return -1;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            if (errno != EINTR) {
                error = std::string("recv: ") + std::strerror(errno);
                return -2;
            }
        }
    }
    ERR_clear_error();
    const int n = SSL_read(c.ssl, data, int(std::min<size_t>(size, INT_MAX)));
    if (n > 0)
        return n;
    const int why = SSL_get_error(c.ssl, n);
    if (why == SSL_ERROR_WANT_READ || why == SSL_ERROR_WANT_WRITE)
        return 0;
    if (why == SSL_ERROR_ZERO_RETURN || (why == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 && errno == 0))
        return -1;
    if (why == SSL_ERROR_SSL && ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
        return -1;
    char text[160];
    ERR_error_string_n(ERR_peek_error(), text, sizeof text);
    error = std::string("TLS read: ") + (ERR_peek_error() ? text : std::strerror(errno));
    return -2;
}

ssize_t LoadGenerator::writeSome(Conn &c, const char *data, size_t size, std::string &error)
{
    if (!c.ssl) {
        const ssize_t n = ::send(c.fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n >= 0)
            return n;
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return 0;
        error = std::string("send: ") + std::strerror(errno);
        return -2;
    }
    ERR_clear_error();
    const int n = SSL_write(c.ssl, data, int(std::min<size_t>(size, INT_MAX)));
    if (n > 0)
        return n;
    const int why = SSL_get_error(c.ssl, n);
    if (why == SSL_ERROR_WANT_READ || why == SSL_ERROR_WANT_WRITE)
        return 0;
    char text[160];
    ERR_error_string_n(ERR_peek_error(), text, sizeof text);
    error = std::string("TLS write: ") + (ERR_peek_error() ? text : std::strerror(errno));
    return -2;
}

bool LoadGenerator::processBytes(Conn &c, uint32_t index, std::string_view data, size_t &consumed)
{
    size_t pos = 0;
    if (c.state == State::Upgrading) {
        if (!handleHandshake(c, index, data, pos))
            return false;
        if (c.state == State::Upgrading) {
            consumed = 0;
            return true;
        }
    }
    const uint32_t generation = c.generation;
    while (pos < data.size()) {
        Ws::FrameHeader header;
        const Ws::ParseStatus status = Ws::parseHeader(data.substr(pos), header, false, MaxMessageBytes);
        if (status == Ws::ParseStatus::NeedMore)
            break;
        if (status == Ws::ParseStatus::Error) {
            fail(c, index, "malformed WebSocket frame");
            return false;
        }
        if (data.size() - pos < header.headerLength + header.payloadLength)
            break;
        const std::string_view payload = data.substr(pos + header.headerLength, header.payloadLength);
        pos += header.headerLength + header.payloadLength;
        if (!handleFrame(c, index, int(header.opcode), header.fin, payload) || !isAlive(c, generation))
            return false;
    }
    consumed = pos;
    return true;
}

bool LoadGenerator::handleHandshake(Conn &c, uint32_t index, std::string_view data, size_t &consumed)
{
    const size_t end = data.find("\r\n\r\n");
    if (end == std::string_view::npos) {
        if (data.size() > MaxHandshakeBytes) {
            fail(c, index, "handshake response too long");
            return false;
        }
        consumed = 0;
        return true;
    }
    const std::string_view head = data.substr(0, end + 2);
    if (head.substr(0, 13) != "HTTP/1.1 101 " && head.substr(0, 13) != "HTTP/1.1 101\r") {
        fail(c, index, "http " + std::string(head.substr(9, 3)));
        return false;
    }
    if (!hasHeader(head, "upgrade", "websocket")) {
        fail(c, index, "101 without Upgrade: websocket");
        return false;
    }
    if (m_opt.proto == Proto::Native && !hasHeader(head, "sec-websocket-protocol", "tertulia.v1")) {
        fail(c, index, "101 without Sec-WebSocket-Protocol: tertulia.v1");
        return false;
    }
    consumed = end + 4;
    endStage(c, StageUpgrade);
    // Native: the server authenticated the Authorization header and pushes `hello`. Socket.IO: the
    // Engine.IO open packet comes first.
    c.state = m_opt.proto == Proto::Native ? State::Authenticating : State::Opening;
    return true;
}

bool LoadGenerator::handleFrame(Conn &c, uint32_t index, int opcode, bool fin, std::string_view payload)
{
    switch (static_cast<Ws::Opcode>(opcode)) {
    case Ws::Opcode::Text:
    case Ws::Opcode::Binary:
        if (c.fragmented) {
            fail(c, index, "new message inside a fragmented one");
            return false;
        }
        if (fin)
            return handleText(c, index, payload);
        c.fragment.assign(payload);
        c.fragmented = true;
        return true;
    case Ws::Opcode::Continuation: {
        if (!c.fragmented) {
            fail(c, index, "continuation without a message");
            return false;
        }
        c.fragment.append(payload);
        if (c.fragment.size() > MaxMessageBytes) {
            fail(c, index, "message too large");
            return false;
        }
        if (!fin)
            return true;
        c.fragmented = false;
        std::string whole;
        whole.swap(c.fragment);
        return handleText(c, index, whole);
    }
    case Ws::Opcode::Ping:
        ++m_pings;
        sendFrame(c, index, int(Ws::Opcode::Pong), payload);
        return c.fd >= 0;
    case Ws::Opcode::Pong:
        return true;
    case Ws::Opcode::Close: {
        const int code = payload.size() >= 2
            ? (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1])
            : 1005;
        fail(c, index, "close " + std::to_string(code));
        return false;
    }
    }
    return true;
}

bool LoadGenerator::handleText(Conn &c, uint32_t index, std::string_view text)
{
    const Inbound in = m_opt.proto == Proto::Native ? parseNative(text) : parseSocketIo(text);
    switch (in.kind) {
    case Inbound::Kind::Ignored:
        return true;
    case Inbound::Kind::Malformed:
        ++m_malformed;
        return true;
    case Inbound::Kind::Message:
        onDelivery(c, in);
        return true;
    case Inbound::Kind::SioPing:
        ++m_pings;
        sendFrame(c, index, int(Ws::Opcode::Text), "3");
        return c.fd >= 0;
    case Inbound::Kind::SioClose:
        fail(c, index, "Socket.IO close packet");
        return false;
    case Inbound::Kind::SioOpen:
        if (c.state == State::Opening) {
            c.state = State::Authenticating;
            m_textBuffer = R"(40{"token":")";
            m_textBuffer += Token::mintAccess("u" + std::to_string(index), m_key, Proc::realtimeSeconds(),
                                              TokenLifetimeSeconds);
            m_textBuffer += R"("})";
            sendFrame(c, index, int(Ws::Opcode::Text), m_textBuffer);
        }
        return c.fd >= 0;
    case Inbound::Kind::SioConnectError:
        fail(c, index, "Socket.IO connect error");
        return false;
    case Inbound::Kind::SioConnected:
    case Inbound::Kind::Hello:
        if (c.state == State::Authenticating) {
            endStage(c, StageAuth);
            sendRequest(c, index, !c.creator);
        }
        return c.fd >= 0;
    case Inbound::Kind::Ok:
        if (c.state == State::Joining && in.hasId && in.id == c.pendingId)
            becomeReady(c, index);
        else if (c.state == State::Ready)
            ++m_acks;
        return true;
    case Inbound::Kind::Error: {
        const std::string code(in.code.empty() ? "unknown" : in.code);
        if (c.state == State::Joining && in.hasId && in.id == c.pendingId) {
            if (c.creator && code == "conflict") {   // the room exists already: join it
                sendRequest(c, index, true);
                return c.fd >= 0;
            }
            fail(c, index, "join refused: " + code);
            return false;
        }
        if (c.state != State::Ready) {
            fail(c, index, "error before joining: " + code);
            return false;
        }
        ++m_sendErrors;
        ++m_errorCodes[code];
        return true;
    }
    }
    return true;
}

void LoadGenerator::sendRequest(Conn &c, uint32_t index, bool join)
{
    c.state = State::Joining;
    c.pendingId = c.nextId++;
    m_textBuffer.clear();
    if (join)
        appendJoin(m_textBuffer, m_opt.proto, c.pendingId, m_roomNames[c.room]);
    else
        appendCreateRoom(m_textBuffer, m_opt.proto, c.pendingId, m_roomNames[c.room]);
    sendFrame(c, index, int(Ws::Opcode::Text), m_textBuffer);
}

void LoadGenerator::becomeReady(Conn &c, uint32_t index)
{
    (void)index;
    c.state = State::Ready;
    --m_inflight;
    ++m_readyEvents;
    if (m_connectLatency)
        m_connectLatency->record(m_now - c.attemptStartNs);
    endStage(c, StageJoin);
    if (c.dropped) {
        c.dropped = false;
        ++m_rejoined;
        m_lastRejoinNs = m_now;
        if (m_opt.mode == Mode::Failover)
            m_failoverLatency.record(m_now - c.droppedAtNs);
    }
    c.stable = true;
    c.stableSince = m_messages.size();
    ++m_roomStableReady[c.room];
}

void LoadGenerator::onDelivery(Conn &c, const Inbound &in)
{
    uint64_t index = 0;
    int64_t scheduled = 0;
    if (!parseBenchText(in.text, index, scheduled) || index >= m_messages.size()
        || m_messages[index].scheduledNs != scheduled) {
        ++m_foreign;
        return;
    }
    if (in.room != m_roomNames[c.room] || m_messages[index].room != c.room) {
        ++m_wrongRoom;
        return;
    }
    if (in.seq <= c.lastSeq) {
        ++m_duplicates;
        return;
    }
    c.lastSeq = in.seq;
    c.lastMessage = index;
    ++m_deliveries;
    Message &m = m_messages[index];
    if (!c.stable || index < c.stableSince || m.delivered >= m.expected) {
        ++m_extraDeliveries;
        return;
    }
    ++m.delivered;
    Step &step = *m_steps[m.step];
    ++step.delivered;
    if (m.measured)
        step.latency.record(m_now - m.scheduledNs);
}

void LoadGenerator::sendFrame(Conn &c, uint32_t index, int opcode, std::string_view payload)
{
    m_frameBuffer.clear();
    Ws::appendClientFrame(m_frameBuffer, static_cast<Ws::Opcode>(opcode), payload, nextMask());
    writeRaw(c, index, m_frameBuffer);
}

void LoadGenerator::writeRaw(Conn &c, uint32_t index, std::string_view bytes)
{
    if (c.fd < 0)
        return;
    if (!c.out.empty()) {
        c.out.append(bytes);
        return;
    }
    std::string error;
    const ssize_t n = writeSome(c, bytes.data(), bytes.size(), error);
    if (n < 0) {
        fail(c, index, error);
        return;
    }
    const size_t sent = size_t(n);
    if (sent < bytes.size()) {
        c.out.assign(bytes.substr(sent));
        updateEpoll(c, index);
    }
}

void LoadGenerator::flush(Conn &c, uint32_t index)
{
    std::string error;
    while (!c.out.empty()) {
        const ssize_t n = writeSome(c, c.out.data(), c.out.size(), error);
        if (n < 0) {
            fail(c, index, error);
            return;
        }
        if (n == 0)
            break;
        c.out.erase(0, size_t(n));
    }
    updateEpoll(c, index);
}

void LoadGenerator::updateEpoll(Conn &c, uint32_t index)
{
    const bool want = !c.out.empty();
    if (want == c.wantWrite || c.fd < 0)
        return;
    c.wantWrite = want;
    epoll_event event{};
    event.events = EPOLLIN | (want ? EPOLLOUT : 0u);
    event.data.u64 = (uint64_t(c.generation) << 32) | index;
    epoll_ctl(m_epoll, EPOLL_CTL_MOD, c.fd, &event);
}

void LoadGenerator::closeSocket(Conn &c, bool reset)
{
    if (c.ssl) {
        // No close_notify: the socket goes at once, as the plain path does.
        SSL_free(c.ssl);
        c.ssl = nullptr;
    }
    if (c.fd >= 0) {
        if (reset) {
            // An abrupt drop (RST), as when a network path dies; it also leaves no TIME_WAIT behind.
            const linger hard{1, 0};
            setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
        }
        ::close(c.fd);
        c.fd = -1;
    }
    ++c.generation;
}

void LoadGenerator::fail(Conn &c, uint32_t index, const std::string &reason)
{
    ++m_failureReasons[reason];
    const State state = c.state;
    closeSocket(c, false);
    if (state == State::Ready && m_failoverArmed) {
        // Its node died: reconnect at once to the next node, as a client with a list of servers does.
        // Messages it misses meanwhile are not expected of it (as in the storm: rooms have one talker).
        if (c.stable) {
            --m_roomStableReady[c.room];
            forgetPending(c);
        }
        c.stable = false;
        c.dropped = true;
        c.droppedAtNs = Proc::monotonicNs();
        c.attempts = 0;
        ++c.portShift;
        ++m_failoverDrops;
        if (m_firstDropNs == 0)
            m_firstDropNs = c.droppedAtNs;
        c.state = State::Waiting;
        m_timers.push(Timer{c.droppedAtNs, index, c.generation});
        return;
    }
    if (state == State::Ready) {
        ++m_unexpectedCloses;
        if (c.stable) {
            --m_roomStableReady[c.room];
            c.stable = false;
        }
        c.state = State::Idle;
        return;
    }
    if (state == State::Idle || state == State::Waiting) {
        c.state = State::Idle;
        return;
    }
    --m_inflight;
    ++m_connectFailures;
    if (m_failoverArmed)
        ++c.portShift;   // that node may be the dead one too: try the next
    if (c.attempts >= m_opt.maxAttempts) {
        c.state = State::Idle;
        return;
    }
    // Back off 20 ms, 40 ms, ... up to ~1.3 s, with jitter, then try again.
    const int64_t backoff = (int64_t(20) << std::min<int>(c.attempts, 6)) * 1000000LL;
    const int64_t jitter = int64_t(nextMask() % uint32_t(backoff / 2 + 1));
    c.state = State::Waiting;
    m_timers.push(Timer{Proc::monotonicNs() + backoff + jitter, index, c.generation});
}

void LoadGenerator::forgetPending(Conn &c)
{
    // Messages this client was counted for but has not received yet will never reach it. Only used by the
    // storm, whose rooms have a single talker, so a room's messages arrive in index order and everything
    // after the last index received is what is missing.
    const uint64_t from = std::max(m_firstPending, c.stableSince);
    for (uint64_t i = from; i < m_messages.size(); ++i) {
        Message &m = m_messages[i];
        if (m.room != c.room || m.delivered >= m.expected)
            continue;
        if (c.lastMessage != UINT64_MAX && i <= c.lastMessage)
            continue;
        --m.expected;
        --m_steps[m.step]->expected;
    }
}

void LoadGenerator::dropForStorm(Conn &c, uint32_t index, int64_t reconnectAtNs)
{
    if (c.state == State::Ready && c.stable) {
        --m_roomStableReady[c.room];
        forgetPending(c);
    }
    c.stable = false;
    c.dropped = true;
    c.attempts = 0;
    closeSocket(c, true);
    c.state = State::Waiting;
    m_timers.push(Timer{reconnectAtNs, index, c.generation});
}

// ---------------------------------------------------------------------------------------------------
// publishing

void LoadGenerator::startPlan(int step, double messagesPerSecond, double secondsToRun, double warmupSeconds,
                              bool creatorsOnly)
{
    m_plan = Plan{};
    m_plan.active = true;
    m_plan.creatorsOnly = creatorsOnly;
    m_plan.step = step;
    m_plan.intervalNs = 1e9 / messagesPerSecond;
    m_plan.startNs = Proc::monotonicNs() + 10000000LL;
    m_plan.warmupCount = uint64_t(std::llround(warmupSeconds * messagesPerSecond));
    m_plan.total = m_plan.warmupCount + uint64_t(std::max<long long>(1, std::llround(secondsToRun * messagesPerSecond)));
}

void LoadGenerator::publishDue(int64_t now)
{
    if (!m_plan.active)
        return;
    Step &step = *m_steps[size_t(m_plan.step)];
    if (!m_plan.measureStarted
        && now >= m_plan.startNs + int64_t(double(m_plan.warmupCount) * m_plan.intervalNs)) {
        m_plan.measureStarted = true;
        markStart(step);
    }
    const auto rooms = uint64_t(m_opt.rooms);
    while (m_plan.next < m_plan.total) {
        const int64_t due = m_plan.startNs + int64_t(double(m_plan.next) * m_plan.intervalNs);
        if (due > now)
            break;
        const uint64_t k = m_plan.next++;
        const auto room = uint32_t(k % rooms);
        const std::vector<uint32_t> &members = m_roomMembers[room];
        const uint32_t publisher = m_plan.creatorsOnly ? room : members[(k / rooms) % members.size()];
        Conn &c = m_conns[publisher];
        if (c.state != State::Ready) {
            ++step.skipped;
            continue;
        }
        publishMessage(step, publisher, room, due, now, k >= m_plan.warmupCount);
    }
    if (m_plan.next >= m_plan.total) {
        m_plan.active = false;
        step.publishEndNs = now;
        step.genCpuEnd = Proc::selfCpuNs();
    }
}

void LoadGenerator::publishMessage(Step &step, uint32_t publisher, uint32_t room, int64_t due, int64_t now,
                                   bool measured)
{
    Conn &c = m_conns[publisher];
    const uint64_t index = m_messages.size();
    m_messages.push_back(Message{due, room, m_roomStableReady[room], 0, uint16_t(step.index), measured});
    ++step.published;
    ++m_published;
    step.expected += m_roomStableReady[room];
    if (measured)
        step.sendLag.record(now - due);
    m_textBuffer.clear();
    appendBenchText(m_textBuffer, index, due, m_opt.textBytes);
    m_payloadBuffer.clear();
    appendSend(m_payloadBuffer, m_opt.proto, c.nextId++, m_roomNames[room], m_textBuffer, index);
    sendFrame(c, publisher, int(Ws::Opcode::Text), m_payloadBuffer);
}

bool LoadGenerator::drained(const Step &step) const
{
    return step.delivered >= step.expected && m_acks + m_sendErrors >= m_published;
}

// ---------------------------------------------------------------------------------------------------
// phases

void LoadGenerator::sampleCores(Step &step, bool start)
{
    Proc::CoreTimes times = Proc::coreTimes();
    (start ? step.coreBusyStart : step.coreBusyEnd) = std::move(times.busy);
    (start ? step.coreTotalStart : step.coreTotalEnd) = std::move(times.total);
}

Proc::CpuTimes LoadGenerator::sampleServerCpu() const { return Proc::processCpu(m_opt.serverPid); }

int64_t LoadGenerator::samplePeerCpu() const
{
    // schedstat of live threads: exact, and the peers (PostgreSQL backends, other nodes) outlive a step.
    int64_t total = 0;
    for (const pid_t pid : m_opt.peerPids) {
        const Proc::CpuTimes times = Proc::processCpu(pid);
        if (times.valid)
            total += times.schedNs;
    }
    return total;
}

LoadGenerator::ConnectResult LoadGenerator::connectClients(const std::vector<uint32_t> &indexes, int inflight)
{
    ConnectResult result;
    result.requested = int(indexes.size());
    if (indexes.empty())
        return result;
    result.listenOverflowsBefore = Proc::tcpExtCounter("ListenOverflows");
    result.listenDropsBefore = Proc::tcpExtCounter("ListenDrops");
    m_inflightLimit = inflight;
    m_connectQueue = indexes;
    m_connectQueueHead = 0;
    m_connectLatency = &result.latency;
    m_stageLatency = &result.stages;
    const uint64_t readyBefore = m_readyEvents;
    result.startNs = Proc::monotonicNs();
    const int64_t deadline = result.startNs + seconds(m_opt.connectTimeoutSeconds);
    int64_t lastReady = result.startNs;
    uint64_t readySeen = 0;
    fillConnectQueue();
    while (Proc::monotonicNs() < deadline) {
        poll(deadline);
        if (m_readyEvents != readyBefore + readySeen) {
            readySeen = m_readyEvents - readyBefore;
            lastReady = m_now;
        }
        if (readySeen >= indexes.size())
            break;
        if (m_connectQueueHead >= m_connectQueue.size() && m_inflight == 0 && m_timers.empty())
            break;   // everyone is ready or out of attempts
    }
    result.ready = int(readySeen);
    result.endNs = lastReady;
    result.listenOverflowsAfter = Proc::tcpExtCounter("ListenOverflows");
    result.listenDropsAfter = Proc::tcpExtCounter("ListenDrops");
    m_connectLatency = nullptr;
    m_stageLatency = nullptr;
    m_connectQueue.clear();
    m_connectQueueHead = 0;
    return result;
}

void LoadGenerator::writeConnect(JsonWriter &out, const char *key, const ConnectResult &r)
{
    const double elapsed = double(r.endNs - r.startNs) / 1e9;
    out.beginObject(key)
        .value("requested", r.requested)
        .value("ready", r.ready)
        .value("seconds", elapsed)
        .value("per_second", elapsed > 0 ? double(r.ready) / elapsed : 0.0)
        .value("listen_overflows", r.listenOverflowsAfter - r.listenOverflowsBefore)
        .value("listen_drops", r.listenDropsAfter - r.listenDropsBefore);
    writeHistogram(out, "latency_ms", r.latency);
    out.beginObject("stages_ms");
    writeHistogram(out, "tcp", r.stages[StageTcp]);
    if (m_opt.tls)
        writeHistogram(out, "tls", r.stages[StageTls]);
    writeHistogram(out, "upgrade", r.stages[StageUpgrade]);
    writeHistogram(out, "auth", r.stages[StageAuth]);
    writeHistogram(out, "join", r.stages[StageJoin]);
    out.endObject();
    out.endObject();
}

void LoadGenerator::endStage(Conn &c, SetupStage stage)
{
    const int64_t now = Proc::monotonicNs();
    if (m_stageLatency)
        (*m_stageLatency)[std::size_t(stage)].record(now - c.stageStartNs);
    c.stageStartNs = now;
}

bool LoadGenerator::connectAll(JsonWriter &out, std::vector<std::string> &invalid)
{
    std::vector<uint32_t> creators, members;
    for (uint32_t i = 0; i < m_conns.size(); ++i)
        (m_conns[i].creator ? creators : members).push_back(i);
    const ConnectResult first = connectClients(creators, m_opt.inflight);
    const ConnectResult rest = connectClients(members, m_opt.inflight);
    out.beginObject("connect");
    writeConnect(out, "creators", first);
    writeConnect(out, "members", rest);
    out.endObject();
    const int missing = first.requested - first.ready + rest.requested - rest.ready;
    if (missing > 0)
        invalid.push_back(std::to_string(missing) + " clients never got connected and joined");
    // Listen-queue overflows are the server's result (reported above), not a fault of the run.
    return missing == 0;
}

void LoadGenerator::runStep(Step &step, double warmupSeconds, bool creatorsOnly)
{
    // Every message reaches every member of its room, the sender included.
    step.offeredMessages = step.offeredDeliveries / double(membersPerRoom());
    startPlan(step.index, step.offeredMessages, step.seconds, warmupSeconds, creatorsOnly);
    finishStep(step, m_plan.startNs + seconds(warmupSeconds + step.seconds) + seconds(60));
}

void LoadGenerator::finishStep(Step &step, int64_t publishDeadlineNs)
{
    while (m_plan.active && Proc::monotonicNs() < publishDeadlineNs)
        poll(publishDeadlineNs);
    const int64_t drainDeadline = Proc::monotonicNs() + seconds(m_opt.drainSeconds);
    while (!drained(step) && Proc::monotonicNs() < drainDeadline)
        poll(drainDeadline);
    step.drainEndNs = Proc::monotonicNs();
    markEnd(step);
}

void LoadGenerator::markStart(Step &step)
{
    step.measureStartNs = Proc::monotonicNs();
    step.genCpuStart = Proc::selfCpuNs();
    step.deliveriesAtStart = m_deliveries;
    step.serverCpuStart = sampleServerCpu();
    step.peerSchedStart = samplePeerCpu();
    sampleCores(step, true);
}

void LoadGenerator::markEnd(Step &step)
{
    step.deliveriesAtEnd = m_deliveries;
    step.serverCpuEnd = sampleServerCpu();
    step.peerSchedEnd = samplePeerCpu();
    sampleCores(step, false);
}

double LoadGenerator::generatorShare(const Step &step)
{
    const double window = double(step.publishEndNs - step.measureStartNs) / 1e9;
    return window > 0 ? double(step.genCpuEnd - step.genCpuStart) / 1e9 / window : 0.0;
}

void LoadGenerator::writeStep(JsonWriter &out, const Step &s)
{
    const double serverWindow = double(s.drainEndNs - s.measureStartNs) / 1e9;
    const double genCpu = generatorShare(s);
    const uint64_t windowDeliveries = s.deliveriesAtEnd - s.deliveriesAtStart;
    const uint64_t lost = s.expected > s.delivered ? s.expected - s.delivered : 0;
    out.beginObject()
        .value("offered_deliveries_per_s", s.offeredDeliveries)
        .value("offered_messages_per_s", s.offeredMessages)
        .value("seconds", s.seconds)
        .value("published", s.published)
        .value("expected", s.expected)
        .value("delivered", s.delivered)
        .value("lost", lost)
        .value("skipped", s.skipped)
        .value("delivered_per_s", serverWindow > 0 ? double(windowDeliveries) / serverWindow : 0.0);
    writeHistogram(out, "latency_ms", s.latency);
    writeHistogram(out, "send_lag_ms", s.sendLag);
    out.value("generator_cpu", genCpu);
    if (m_opt.serverPid > 0 && s.serverCpuStart.valid && s.serverCpuEnd.valid) {
        const double statSeconds = double(s.serverCpuEnd.statNs - s.serverCpuStart.statNs) / 1e9;
        const double schedSeconds = double(s.serverCpuEnd.schedNs - s.serverCpuStart.schedNs) / 1e9;
        bool threadsExited = false;
        const double cpuSeconds = double(Proc::cpuNsBetween(s.serverCpuStart, s.serverCpuEnd, &threadsExited)) / 1e9;
        out.beginObject("server")
            .value("window_s", serverWindow)
            .value("cpu_s", statSeconds)
            .value("sched_cpu_s", schedSeconds)
            .value("threads_exited", threadsExited)
            .value("cpu_fraction", serverWindow > 0 ? cpuSeconds / serverWindow : 0.0)
            .value("window_deliveries", windowDeliveries)
            .value("cpu_us_per_delivery", windowDeliveries ? cpuSeconds * 1e6 / double(windowDeliveries) : 0.0)
            .value("stat_cpu_us_per_delivery", windowDeliveries ? statSeconds * 1e6 / double(windowDeliveries) : 0.0)
            .endObject();
    }
    if (!m_opt.peerPids.empty()) {
        const double peerSeconds = double(s.peerSchedEnd - s.peerSchedStart) / 1e9;
        out.beginObject("peers")
            .value("processes", int64_t(m_opt.peerPids.size()))
            .value("sched_cpu_s", peerSeconds)
            .value("cpu_fraction", serverWindow > 0 ? peerSeconds / serverWindow : 0.0)
            .value("cpu_us_per_delivery", windowDeliveries ? peerSeconds * 1e6 / double(windowDeliveries) : 0.0)
            .endObject();
    }
    // How busy each core was over the step, everything included (the server, the generator, the
    // kernel's loopback work, and anything else running on the machine). On a shared machine this tells a
    // disturbed run from a clean one.
    out.beginArray("core_busy");
    for (size_t i = 0; i < s.coreBusyEnd.size() && i < s.coreBusyStart.size(); ++i) {
        const int64_t total = s.coreTotalEnd[i] - s.coreTotalStart[i];
        out.element(total > 0 ? double(s.coreBusyEnd[i] - s.coreBusyStart[i]) / double(total) : 0.0);
    }
    out.endArray();
    out.value("valid", s.invalidReasons.empty());
    out.beginArray("invalid_reasons");
    for (const std::string &reason : s.invalidReasons)
        out.element(reason);
    out.endArray();
    out.endObject();
}

void LoadGenerator::writeOnlyStep(JsonWriter &out, const Step &step, const char *what,
                                  std::vector<std::string> &invalid)
{
    out.beginArray("steps");
    writeStep(out, step);
    out.endArray();
    for (const std::string &reason : step.invalidReasons)
        invalid.push_back(std::string(what) + ": " + reason);
}

void LoadGenerator::writeCounters(JsonWriter &out)
{
    out.beginObject("counters")
        .value("deliveries", m_deliveries)
        .value("extra_deliveries", m_extraDeliveries)
        .value("duplicates_or_reordered", m_duplicates)
        .value("foreign_messages", m_foreign)
        .value("wrong_room", m_wrongRoom)
        .value("published", m_published)
        .value("acks", m_acks)
        .value("send_errors", m_sendErrors)
        .value("malformed_frames", m_malformed)
        .value("unexpected_closes", m_unexpectedCloses)
        .value("connect_failures", m_connectFailures)
        .value("pings_answered", m_pings)
        .endObject();
    out.beginObject("failure_reasons");
    for (const auto &[reason, count] : m_failureReasons)
        out.value(reason, count);
    out.endObject();
    out.beginObject("error_codes");
    for (const auto &[code, count] : m_errorCodes)
        out.value(code, count);
    out.endObject();
}

namespace {
// Validity of one step, from the numbers the JSON reports.
void judgeStep(std::vector<std::string> &reasons, uint64_t lost, uint64_t skipped, double genCpu, double maxCpu,
               uint64_t newErrors, uint64_t newCloses)
{
    if (lost)
        reasons.push_back(std::to_string(lost) + " deliveries lost");
    if (skipped)
        reasons.push_back(std::to_string(skipped) + " messages not sent (publisher disconnected)");
    if (genCpu > maxCpu) {
        char text[96];
        std::snprintf(text, sizeof text, "generator used %.0f %% of its core (limit %.0f %%)", genCpu * 100,
                      maxCpu * 100);
        reasons.push_back(text);
    }
    if (newErrors)
        reasons.push_back(std::to_string(newErrors) + " send requests refused");
    if (newCloses)
        reasons.push_back(std::to_string(newCloses) + " connections closed by the server");
}
} // namespace

void LoadGenerator::runFanout(JsonWriter &out, std::vector<std::string> &invalid)
{
    if (!connectAll(out, invalid))
        return;
    out.beginArray("steps");
    for (size_t i = 0; i < m_opt.rates.size(); ++i) {
        auto step = std::make_unique<Step>();
        step->index = int(m_steps.size());
        step->offeredDeliveries = m_opt.rates[i];
        step->seconds = m_opt.stepSeconds;
        Step &s = *step;
        m_steps.push_back(std::move(step));
        const uint64_t errorsBefore = m_sendErrors, closesBefore = m_unexpectedCloses;
        runStep(s, m_opt.warmupSeconds, false);
        judgeStep(s.invalidReasons, s.expected - std::min(s.expected, s.delivered), s.skipped, generatorShare(s),
                  m_opt.maxGeneratorCpu, m_sendErrors - errorsBefore, m_unexpectedCloses - closesBefore);
        writeStep(out, s);
        const bool overTarget = (m_opt.stopP99Ms > 0 && toMs(s.latency.percentile(99)) > m_opt.stopP99Ms)
            || (m_opt.stopP50Ms > 0 && toMs(s.latency.percentile(50)) > m_opt.stopP50Ms);
        if ((m_opt.stopP99Ms > 0 || m_opt.stopP50Ms > 0) && (overTarget || !s.invalidReasons.empty())) {
            // A sweep stops at its first failing step; that step is the expected end, not an invalid run.
            break;
        }
        if (!s.invalidReasons.empty())
            invalid.push_back("step " + std::to_string(i) + ": " + s.invalidReasons.front());
    }
    out.endArray();
}

void LoadGenerator::runIdle(JsonWriter &out, std::vector<std::string> &invalid)
{
    const int64_t baseline = Proc::residentBytes(m_opt.serverPid);
    out.value("server_rss_baseline_bytes", baseline);
    out.beginArray("idle_steps");
    uint32_t connected = 0;
    // --mark-command brackets the connect phases (and their settle), not the idle time or the closes after
    // it: what a profiler counts between "begin" and "end" is the cost of the connects alone.
    if (!m_opt.markCommand.empty() && std::system((m_opt.markCommand + " begin").c_str()) != 0)
        invalid.push_back("mark command failed at begin");
    for (const int target : m_opt.idleSteps) {
        const auto upTo = uint32_t(std::min(target, m_opt.clients));
        std::vector<uint32_t> creators, members;
        for (uint32_t i = connected; i < upTo; ++i)
            (m_conns[i].creator ? creators : members).push_back(i);
        const ConnectResult first = connectClients(creators, m_opt.inflight);
        const ConnectResult rest = connectClients(members, m_opt.inflight);
        connected = upTo;
        const int64_t settleEnd = Proc::monotonicNs() + seconds(m_opt.settleSeconds);
        while (Proc::monotonicNs() < settleEnd)
            poll(settleEnd);
        const int64_t rss = Proc::residentBytes(m_opt.serverPid);
        const int missing = first.requested - first.ready + rest.requested - rest.ready;
        out.beginObject()
            .value("connections", int64_t(upTo))
            .value("ready", int64_t(upTo) - missing)
            .value("server_rss_bytes", rss)
            .value("rss_per_connection_bytes", rss > 0 && baseline > 0 ? double(rss - baseline) / double(upTo) : 0.0);
        writeConnect(out, "connect", rest);
        out.endObject();
        if (missing > 0)
            invalid.push_back(std::to_string(missing) + " of " + std::to_string(upTo) + " clients never connected");
    }
    out.endArray();
    if (!m_opt.markCommand.empty() && std::system((m_opt.markCommand + " end").c_str()) != 0)
        invalid.push_back("mark command failed at end");

    // Heartbeat CPU: the server's CPU while every client sits idle (only pings and pongs move).
    const uint64_t pingsBefore = m_pings, closesBefore = m_unexpectedCloses;
    const Proc::CpuTimes cpu0 = sampleServerCpu();
    const int64_t start = Proc::monotonicNs();
    const int64_t cpuStart = Proc::selfCpuNs();
    const int64_t end = start + seconds(m_opt.idleSeconds);
    while (Proc::monotonicNs() < end)
        poll(end);
    const Proc::CpuTimes cpu1 = sampleServerCpu();
    const double window = double(Proc::monotonicNs() - start) / 1e9;
    bool threadsExited = false;
    const double cpuSeconds = double(Proc::cpuNsBetween(cpu0, cpu1, &threadsExited)) / 1e9;
    out.beginObject("heartbeat")
        .value("connections", int64_t(connected))
        .value("seconds", window)
        .value("server_cpu_s", double(cpu1.statNs - cpu0.statNs) / 1e9)
        .value("server_sched_cpu_s", double(cpu1.schedNs - cpu0.schedNs) / 1e9)
        .value("threads_exited", threadsExited)
        .value("server_cpu_fraction", window > 0 && cpu0.valid && cpu1.valid ? cpuSeconds / window : 0.0)
        .value("pings_answered", m_pings - pingsBefore)
        .value("generator_cpu", double(Proc::selfCpuNs() - cpuStart) / 1e9 / window)
        .value("server_rss_bytes", Proc::residentBytes(m_opt.serverPid))
        .endObject();
    if (m_unexpectedCloses > closesBefore)
        invalid.push_back(std::to_string(m_unexpectedCloses - closesBefore) + " idle connections were closed");
}

void LoadGenerator::runStorm(JsonWriter &out, std::vector<std::string> &invalid)
{
    if (!connectAll(out, invalid))
        return;
    std::vector<uint32_t> victims;
    for (uint32_t i = 0; i < m_conns.size(); ++i) {
        if (!m_conns[i].creator && (m_opt.stormDrop <= 0 || int(victims.size()) < m_opt.stormDrop))
            victims.push_back(i);
    }
    auto owned = std::make_unique<Step>();
    owned->index = int(m_steps.size());
    owned->offeredDeliveries = m_opt.stormRate;
    owned->seconds = m_opt.stormBeforeSeconds + m_opt.stormWindowSeconds + m_opt.stormTimeoutSeconds
        + m_opt.stormAfterSeconds;
    Step &s = *owned;
    m_steps.push_back(std::move(owned));
    const uint64_t errorsBefore = m_sendErrors, closesBefore = m_unexpectedCloses;
    s.offeredMessages = s.offeredDeliveries / double(membersPerRoom());
    startPlan(s.index, s.offeredMessages, s.seconds, 0, true);

    const int64_t dropAt = m_plan.startNs + seconds(m_opt.stormBeforeSeconds);
    while (Proc::monotonicNs() < dropAt)
        poll(dropAt);
    const int64_t overflows0 = Proc::tcpExtCounter("ListenOverflows");
    const int64_t drops0 = Proc::tcpExtCounter("ListenDrops");
    const int64_t t0 = Proc::monotonicNs();
    const int64_t window = seconds(m_opt.stormWindowSeconds);
    m_inflightLimit = INT_MAX;   // real clients do not coordinate: every reconnect starts when its timer fires
    m_rejoined = 0;
    const uint64_t failuresBefore = m_connectFailures;
    for (const uint32_t index : victims)
        dropForStorm(m_conns[index], index, t0 + int64_t(nextMask() % uint64_t(window)));
    const int64_t dropEnd = Proc::monotonicNs();
    const int64_t giveUp = t0 + window + seconds(m_opt.stormTimeoutSeconds);
    while (m_rejoined < victims.size() && Proc::monotonicNs() < giveUp)
        poll(giveUp);
    const bool allBack = m_rejoined >= victims.size();
    const int64_t rejoinedAt = allBack ? m_lastRejoinNs : Proc::monotonicNs();
    // Keep talking for a while with everyone back, then stop the timetable and drain.
    const uint64_t stopAfter = m_plan.next + uint64_t(std::llround(m_opt.stormAfterSeconds * s.offeredMessages));
    m_plan.total = std::min(m_plan.total, std::max<uint64_t>(stopAfter, m_plan.next + 1));
    finishStep(s, Proc::monotonicNs() + seconds(m_opt.stormAfterSeconds) + seconds(10));
    judgeStep(s.invalidReasons, s.expected - std::min(s.expected, s.delivered), s.skipped, generatorShare(s),
              m_opt.maxGeneratorCpu, m_sendErrors - errorsBefore, m_unexpectedCloses - closesBefore);
    if (!allBack)
        s.invalidReasons.push_back(std::to_string(victims.size() - m_rejoined) + " dropped clients never rejoined");
    const double allMs = toMs(rejoinedAt - t0);
    out.beginObject("storm")
        .value("dropped", int64_t(victims.size()))
        .value("rejoined", m_rejoined)
        .value("drop_ms", toMs(dropEnd - t0))
        .value("window_ms", toMs(window))
        .value("all_rejoined_ms", allMs)
        .value("after_window_ms", allMs - toMs(window))
        .value("reconnect_failures", m_connectFailures - failuresBefore)
        .value("listen_overflows", Proc::tcpExtCounter("ListenOverflows") - overflows0)
        .value("listen_drops", Proc::tcpExtCounter("ListenDrops") - drops0)
        .endObject();
    writeOnlyStep(out, s, "storm", invalid);
}

// One server of several (--ports) is killed by `--mark-command CMD` (run as `CMD kill`) while the rooms'
// first members talk; every client it held reconnects at once to the next port. Measured: from the kill
// to the last of them joined again elsewhere, and each one's close-to-joined time.
void LoadGenerator::runFailover(JsonWriter &out, std::vector<std::string> &invalid)
{
    if (!connectAll(out, invalid))
        return;
    auto owned = std::make_unique<Step>();
    owned->index = int(m_steps.size());
    owned->offeredDeliveries = m_opt.stormRate;
    owned->seconds = m_opt.stormBeforeSeconds + m_opt.stormTimeoutSeconds + m_opt.stormAfterSeconds;
    Step &s = *owned;
    m_steps.push_back(std::move(owned));
    const uint64_t errorsBefore = m_sendErrors, closesBefore = m_unexpectedCloses;
    s.offeredMessages = s.offeredDeliveries / double(membersPerRoom());
    startPlan(s.index, s.offeredMessages, s.seconds, 0, true);

    const int64_t killAt = m_plan.startNs + seconds(m_opt.stormBeforeSeconds);
    while (Proc::monotonicNs() < killAt)
        poll(killAt);
    m_failoverArmed = true;
    m_rejoined = 0;
    const uint64_t failuresBefore = m_connectFailures;
    const int64_t t0 = Proc::monotonicNs();
    const bool killed = !m_opt.markCommand.empty() && std::system((m_opt.markCommand + " kill").c_str()) == 0;
    const int64_t giveUp = t0 + seconds(m_opt.stormTimeoutSeconds);
    // Every socket of a killed process closes at once; a second lets stragglers show before "all back".
    const int64_t settle = t0 + seconds(1);
    for (int64_t now = Proc::monotonicNs(); now < giveUp && (now < settle || m_rejoined < m_failoverDrops);
         now = Proc::monotonicNs())
        poll(std::min<int64_t>(giveUp, now + 100000000LL));
    const bool allBack = m_failoverDrops > 0 && m_rejoined >= m_failoverDrops;
    const int64_t rejoinedAt = allBack ? m_lastRejoinNs : Proc::monotonicNs();
    const uint64_t stopAfter = m_plan.next + uint64_t(std::llround(m_opt.stormAfterSeconds * s.offeredMessages));
    m_plan.total = std::min(m_plan.total, std::max<uint64_t>(stopAfter, m_plan.next + 1));
    finishStep(s, Proc::monotonicNs() + seconds(m_opt.stormAfterSeconds) + seconds(10));
    // Messages due while a talker of the dead node was away are skipped, by design: not a fault here.
    judgeStep(s.invalidReasons, s.expected - std::min(s.expected, s.delivered), 0, generatorShare(s),
              m_opt.maxGeneratorCpu, m_sendErrors - errorsBefore, m_unexpectedCloses - closesBefore);
    if (!killed)
        s.invalidReasons.push_back("the kill command failed (--mark-command)");
    if (m_failoverDrops == 0)
        s.invalidReasons.push_back("no client lost its server");
    else if (!allBack)
        s.invalidReasons.push_back(std::to_string(m_failoverDrops - m_rejoined) + " clients never joined again");
    out.beginObject("failover")
        .value("dropped", m_failoverDrops)
        .value("rejoined", m_rejoined)
        .value("first_close_ms", m_firstDropNs ? toMs(m_firstDropNs - t0) : -1.0)
        .value("all_rejoined_ms", toMs(rejoinedAt - t0))
        .value("reconnect_failures", m_connectFailures - failuresBefore);
    writeHistogram(out, "reconnect_ms", m_failoverLatency);
    out.endObject();
    writeOnlyStep(out, s, "failover", invalid);
}

void LoadGenerator::runLockstep(JsonWriter &out, std::vector<std::string> &invalid)
{
    if (!connectAll(out, invalid))
        return;
    auto owned = std::make_unique<Step>();
    owned->index = int(m_steps.size());
    Step &s = *owned;
    m_steps.push_back(std::move(owned));
    const uint64_t errorsBefore = m_sendErrors, closesBefore = m_unexpectedCloses;
    const int total = m_opt.lockstepWarmup + m_opt.lockstepMessages;
    const std::vector<uint32_t> &members = m_roomMembers[0];
    bool stalled = false;
    for (int k = 0; k < total && !stalled; ++k) {
        if (k == m_opt.lockstepWarmup) {
            if (!m_opt.markCommand.empty() && std::system((m_opt.markCommand + " begin").c_str()) != 0)
                invalid.push_back("mark command failed at begin");
            markStart(s);
        }
        const uint32_t publisher = members[size_t(k) % members.size()];
        if (m_conns[publisher].state != State::Ready) {
            ++s.skipped;
            continue;
        }
        const int64_t now = Proc::monotonicNs();
        m_now = now;
        publishMessage(s, publisher, 0, now, now, k >= m_opt.lockstepWarmup);
        const int64_t deadline = now + seconds(10);
        while (!drained(s) && Proc::monotonicNs() < deadline)
            poll(deadline);
        stalled = !drained(s);
    }
    s.publishEndNs = Proc::monotonicNs();
    s.genCpuEnd = Proc::selfCpuNs();
    s.drainEndNs = s.publishEndNs;
    markEnd(s);
    if (!m_opt.markCommand.empty() && std::system((m_opt.markCommand + " end").c_str()) != 0)
        invalid.push_back("mark command failed at end");
    s.offeredDeliveries = 0;
    s.seconds = double(s.publishEndNs - s.measureStartNs) / 1e9;
    // One message at a time: the generator's CPU share says nothing here, so it is not judged.
    judgeStep(s.invalidReasons, s.expected - std::min(s.expected, s.delivered), s.skipped, 0, 1,
              m_sendErrors - errorsBefore, m_unexpectedCloses - closesBefore);
    if (stalled)
        s.invalidReasons.push_back("a message was not delivered within 10 s");
    out.value("lockstep_messages", m_opt.lockstepMessages);
    writeOnlyStep(out, s, "lockstep", invalid);
}

void LoadGenerator::runProbe(JsonWriter &out, std::vector<std::string> &invalid)
{
    connectAll(out, invalid);
}

std::string LoadGenerator::run(bool &valid)
{
    JsonWriter out;
    std::vector<std::string> invalid;
    out.beginObject()
        .value("tool", "tertulia-loadgen")
        .value("label", m_opt.label)
        .value("mode", modeName(m_opt.mode))
        .value("proto", m_opt.proto == Proto::Native ? "native" : "socket.io")
        .value("clients", m_opt.clients)
        .value("rooms", m_opt.rooms)
        .value("members_per_room", membersPerRoom())
        .value("text_bytes", int64_t(m_opt.textBytes))
        .value("source_addresses", m_opt.sourceAddresses)
        .value("busy_poll", m_opt.busyPoll)
        .value("inflight", m_opt.inflight)
        .value("server_pid", int64_t(m_opt.serverPid));
    out.beginArray("ports");
    for (const uint16_t port : m_opt.ports.empty() ? std::vector<uint16_t>{m_opt.port} : m_opt.ports)
        out.element(double(port));
    out.endArray();
    out.beginArray("generator_cores");
    for (const int core : Proc::affinity(0))
        out.element(double(core));
    out.endArray();
    out.beginArray("server_cores");
    for (const int core : m_opt.serverPid > 0 ? Proc::affinity(m_opt.serverPid) : std::vector<int>{})
        out.element(double(core));
    out.endArray();
    std::string error;
    const int64_t cpuStart = Proc::selfCpuNs();
    const int64_t start = Proc::monotonicNs();
    if (!init(error)) {
        invalid.push_back(error);
    } else {
        switch (m_opt.mode) {
        case Mode::Fanout: runFanout(out, invalid); break;
        case Mode::Idle: runIdle(out, invalid); break;
        case Mode::Storm: runStorm(out, invalid); break;
        case Mode::Lockstep: runLockstep(out, invalid); break;
        case Mode::Probe: runProbe(out, invalid); break;
        case Mode::Failover: runFailover(out, invalid); break;
        }
    }
    writeCounters(out);
    const double wall = double(Proc::monotonicNs() - start) / 1e9;
    out.value("wall_s", wall).value("generator_cpu_s", double(Proc::selfCpuNs() - cpuStart) / 1e9);
    if (m_duplicates)
        invalid.push_back(std::to_string(m_duplicates) + " duplicated or out-of-order deliveries");
    if (m_wrongRoom)
        invalid.push_back(std::to_string(m_wrongRoom) + " deliveries to the wrong room");
    valid = invalid.empty();
    out.value("valid", valid);
    out.beginArray("invalid_reasons");
    for (const std::string &reason : invalid)
        out.element(reason);
    out.endArray();
    out.endObject();
    return out.text();
}

} // namespace Tertulia::Bench
