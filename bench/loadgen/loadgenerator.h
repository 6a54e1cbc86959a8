#pragma once

#include "chatproto.h"
#include "histogram.h"
#include "procstat.h"

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <queue>
#include <string>
#include <sys/types.h>
#include <vector>

struct ssl_st;
struct ssl_ctx_st;

namespace Tertulia::Bench {

class JsonWriter;

enum class Mode { Fanout, Idle, Storm, Lockstep, Probe, Failover };

struct Options
{
    Mode mode = Mode::Fanout;
    Proto proto = Proto::Native;
    std::string label;
    std::string host = "127.0.0.1";
    uint16_t port = 0;
    /// Several servers (nodes of one cluster): client i connects to ports[i % n]. Empty: `port` alone.
    std::vector<uint16_t> ports;
    std::string path;              ///< empty: /ws (native) or /socket.io/?EIO=4&transport=websocket
    /// wss://: TLS (OpenSSL) under the WebSocket, without certificate checks (loopback, a test certificate);
    /// one full handshake per connection (no session resumption), like a browser's first visit.
    bool tls = false;
    std::string secretFile;
    int clients = 100;
    int rooms = 1;
    int inflight = 1000;           ///< connections being set up at once
    int sourceAddresses = 8;       ///< bind to 127.0.0.2 .. 127.0.0.(1+n); 0: let the kernel choose
    double connectTimeoutSeconds = 120;
    int maxAttempts = 30;          ///< per client, in a connect phase
    size_t textBytes = 64;
    pid_t serverPid = 0;
    /// Other processes whose CPU time is measured over the same windows as the server's and reported apart
    /// ("peers"): the PostgreSQL processes behind a node, or the other nodes of a cluster.
    std::vector<pid_t> peerPids;
    double maxGeneratorCpu = 0.70;
    /// Never sleep in epoll: wait with a zero timeout, in a loop. The generator then reads a frame the moment
    /// the kernel has it and sends at the scheduled instant, without its own wake-up: what is left of a
    /// latency is the server's part and the kernel's (issue 14's low-load floor). It takes its whole core.
    bool busyPoll = false;

    // fanout
    std::vector<double> rates;     ///< offered deliveries per second, one measured step each
    double stepSeconds = 5;
    double warmupSeconds = 1;
    double drainSeconds = 3;
    double stopP99Ms = 0;          ///< > 0: stop the sweep after the first step over it (or losing, or invalid)
    /// > 0: the same on the median: a throughput sweep, where a server that falls behind builds a backlog
    /// that raises the median, while short stalls (one slow commit on a shared machine) only move the tail.
    double stopP50Ms = 0;

    // idle
    std::vector<int> idleSteps;    ///< connection counts at which the server's RSS is read
    double idleSeconds = 10;       ///< then idle this long at the last count (heartbeat CPU)
    double settleSeconds = 1;

    // storm (failover uses the rate and the before/after/timeout times too)
    int stormDrop = 0;             ///< members dropped at once (0: every member; the creators keep talking)
    double stormWindowSeconds = 1; ///< reconnects spread uniformly over this window
    double stormRate = 10000;      ///< deliveries per second offered while the storm runs
    double stormBeforeSeconds = 2;
    double stormAfterSeconds = 1;
    double stormTimeoutSeconds = 30;

    // lockstep
    int lockstepWarmup = 20;
    int lockstepMessages = 200;
    std::string markCommand;       ///< lockstep: `<cmd> begin` / `<cmd> end` around the measured messages;
                                   ///< failover: `<cmd> kill` kills one of the servers
};

/// The load generator: one thread, one epoll set, up to ~19 000 WebSocket clients. See bench/README.md.
class LoadGenerator
{
public:
    explicit LoadGenerator(Options options);
    ~LoadGenerator();
    LoadGenerator(const LoadGenerator &) = delete;
    LoadGenerator &operator=(const LoadGenerator &) = delete;

    /// Runs the configured mode and returns the one-line JSON result; `valid` is false when the run must not
    /// be used (lost messages, errors, the generator over its CPU budget, clients that never connected).
    std::string run(bool &valid);

private:
    enum class State : uint8_t { Idle, Waiting, TcpConnecting, TlsHandshaking, Upgrading, Opening, Authenticating, Joining, Ready };

    struct Conn
    {
        int fd = -1;
        ssl_st *ssl = nullptr;       ///< --tls: the connection's TLS state over fd
        uint32_t generation = 0;
        State state = State::Idle;
        bool creator = false;        ///< creates its room (the first member of each room)
        bool stable = false;         ///< counted in its room's expected deliveries
        bool dropped = false;        ///< dropped on purpose by the storm, reconnecting
        bool wantWrite = false;
        bool fragmented = false;
        uint16_t attempts = 0;
        uint16_t portShift = 0;      ///< failover: connect to ports[(index + portShift) % n]
        uint32_t room = 0;
        uint32_t nextId = 1;
        uint32_t pendingId = 0;      ///< the join / create_room request in flight
        uint64_t lastSeq = 0;
        uint64_t lastMessage = UINT64_MAX;  ///< index of the last benchmark message received
        uint64_t stableSince = 0;    ///< first message index this client was counted for
        int64_t attemptStartNs = 0;
        int64_t stageStartNs = 0;    ///< when the current setup stage began (SetupStage)
        int64_t droppedAtNs = 0;     ///< failover: when the server's side went away
        std::string in;              ///< bytes of an incomplete frame / handshake
        std::string fragment;        ///< a fragmented message being assembled
        std::string out;             ///< bytes the socket did not take yet
    };

    struct Message
    {
        int64_t scheduledNs = 0;
        uint32_t room = 0;
        uint32_t expected = 0;
        uint32_t delivered = 0;
        uint16_t step = 0;
        bool measured = false;
    };

    struct Step
    {
        int index = 0;
        double offeredDeliveries = 0;
        double offeredMessages = 0;
        double seconds = 0;
        uint64_t published = 0;
        uint64_t expected = 0;
        uint64_t delivered = 0;
        uint64_t skipped = 0;        ///< publisher not connected when due
        Histogram latency;
        Histogram sendLag;
        int64_t measureStartNs = 0, publishEndNs = 0, drainEndNs = 0;
        int64_t genCpuStart = 0, genCpuEnd = 0;
        uint64_t deliveriesAtStart = 0, deliveriesAtEnd = 0;
        uint64_t acksAtStart = 0;
        Proc::CpuTimes serverCpuStart, serverCpuEnd;
        int64_t peerSchedStart = 0, peerSchedEnd = 0;
        std::vector<int64_t> coreBusyStart, coreTotalStart, coreBusyEnd, coreTotalEnd;
        std::vector<std::string> invalidReasons;
    };

    /// The publish timetable of the current step (open loop: message k is due at start + k * interval).
    struct Plan
    {
        bool active = false;
        bool creatorsOnly = false;   ///< storm: only the stable creators talk
        int64_t startNs = 0;
        double intervalNs = 0;
        uint64_t next = 0;
        uint64_t total = 0;
        uint64_t warmupCount = 0;
        int step = -1;
        bool measureStarted = false;
    };

    struct Timer
    {
        int64_t dueNs;
        uint32_t conn;
        uint32_t generation;
        bool operator>(const Timer &other) const { return dueNs > other.dueNs; }
    };

    // setup and the event loop
    bool init(std::string &error);
    void poll(int64_t deadlineNs);
    void handleEvent(uint64_t tag, uint32_t events);
    void fireTimers(int64_t now);
    void publishDue(int64_t now);
    void publishMessage(Step &step, uint32_t publisher, uint32_t room, int64_t due, int64_t now, bool measured);
    void fillConnectQueue();

    // connections
    void startConnect(uint32_t index);
    void onConnected(Conn &c, uint32_t index);
    void continueTlsHandshake(Conn &c, uint32_t index);
    void sendUpgrade(Conn &c, uint32_t index);
    /// recv()/send() or, with --tls, SSL_read()/SSL_write(): bytes moved, 0 when the socket would block,
    /// -1 when the peer closed (read) and -2 on an error (`error` says which).
    ssize_t readSome(Conn &c, char *data, size_t size, std::string &error);
    ssize_t writeSome(Conn &c, const char *data, size_t size, std::string &error);
    void onReadable(Conn &c, uint32_t index);
    bool processBytes(Conn &c, uint32_t index, std::string_view data, size_t &consumed);
    bool handleHandshake(Conn &c, uint32_t index, std::string_view data, size_t &consumed);
    bool handleFrame(Conn &c, uint32_t index, int opcode, bool fin, std::string_view payload);
    bool handleText(Conn &c, uint32_t index, std::string_view text);
    void onDelivery(Conn &c, const Inbound &in);
    void sendRequest(Conn &c, uint32_t index, bool join);
    void sendFrame(Conn &c, uint32_t index, int opcode, std::string_view payload);
    void writeRaw(Conn &c, uint32_t index, std::string_view bytes);
    void flush(Conn &c, uint32_t index);
    void updateEpoll(Conn &c, uint32_t index);
    void becomeReady(Conn &c, uint32_t index);
    void fail(Conn &c, uint32_t index, const std::string &reason);
    void closeSocket(Conn &c, bool reset);
    void dropForStorm(Conn &c, uint32_t index, int64_t reconnectAtNs);
    void forgetPending(Conn &c);
    bool isAlive(const Conn &c, uint32_t generation) const { return c.generation == generation && c.fd >= 0; }

    // phases
    /// The stages of one client's setup, timed each on its own: where the time of a connect goes.
    enum SetupStage : int {
        StageTcp,       ///< connect() until the socket is writable (the server's kernel completed the handshake)
        StageTls,       ///< --tls: the TLS handshake, until it completes
        StageUpgrade,   ///< upgrade request sent until its 101 (waiting to be accepted and read counts here)
        StageAuth,      ///< 101 until hello (native) or the Socket.IO connect answer
        StageJoin,      ///< join / create_room sent until its ok
        StageCount
    };
    struct ConnectResult
    {
        int requested = 0, ready = 0;
        int64_t startNs = 0, endNs = 0;
        int64_t listenOverflowsBefore = 0, listenOverflowsAfter = 0, listenDropsBefore = 0, listenDropsAfter = 0;
        Histogram latency;
        std::array<Histogram, StageCount> stages;
    };
    /// Ends the client's current setup stage (recorded while a connect phase runs) and starts the next.
    void endStage(Conn &c, SetupStage stage);
    ConnectResult connectClients(const std::vector<uint32_t> &indexes, int inflight);
    bool connectAll(JsonWriter &out, std::vector<std::string> &invalid);
    void startPlan(int step, double messagesPerSecond, double seconds, double warmupSeconds, bool creatorsOnly);
    void runStep(Step &step, double warmupSeconds, bool creatorsOnly);
    /// Lets the timetable run out (until the deadline at most), drains, and takes the end samples.
    void finishStep(Step &step, int64_t publishDeadlineNs);
    void markStart(Step &step);
    void markEnd(Step &step);
    static double generatorShare(const Step &step);
    bool drained(const Step &step) const;
    void writeStep(JsonWriter &out, const Step &step);
    /// The "steps" array of a mode with a single step; its invalid reasons become the run's.
    void writeOnlyStep(JsonWriter &out, const Step &step, const char *what, std::vector<std::string> &invalid);
    void writeConnect(JsonWriter &out, const char *key, const ConnectResult &result);
    void writeCounters(JsonWriter &out);
    Proc::CpuTimes sampleServerCpu() const;
    int64_t samplePeerCpu() const;
    void sampleCores(Step &step, bool start);
    int membersPerRoom() const;

    void runFanout(JsonWriter &out, std::vector<std::string> &invalid);
    void runIdle(JsonWriter &out, std::vector<std::string> &invalid);
    void runStorm(JsonWriter &out, std::vector<std::string> &invalid);
    void runLockstep(JsonWriter &out, std::vector<std::string> &invalid);
    void runProbe(JsonWriter &out, std::vector<std::string> &invalid);
    void runFailover(JsonWriter &out, std::vector<std::string> &invalid);
    /// The port client `index` connects to now (moves on to the next node after a failover).
    uint16_t portFor(const Conn &c, uint32_t index) const
    {
        return m_opt.ports[(index + c.portShift) % m_opt.ports.size()];
    }

    uint32_t nextMask();

    Options m_opt;
    std::string m_key;
    std::vector<std::string> m_requestHeads;  ///< per port: the upgrade request up to the Authorization value
    std::vector<std::string> m_roomNames;
    std::vector<std::vector<uint32_t>> m_roomMembers;
    std::vector<uint32_t> m_roomStableReady;
    std::vector<Conn> m_conns;
    std::vector<Message> m_messages;
    uint64_t m_firstPending = 0;    ///< messages before this one are fully delivered
    std::vector<std::unique_ptr<Step>> m_steps;
    Plan m_plan;
    std::priority_queue<Timer, std::vector<Timer>, std::greater<>> m_timers;
    std::vector<uint32_t> m_connectQueue;
    size_t m_connectQueueHead = 0;
    int m_inflight = 0;
    int m_inflightLimit = 1000;
    int m_epoll = -1;
    ssl_ctx_st *m_tls = nullptr;     ///< --tls: the client context every connection's SSL comes from
    uint64_t m_rng = 0;
    std::vector<char> m_readBuffer;
    std::string m_frameBuffer, m_payloadBuffer, m_textBuffer;
    Histogram *m_connectLatency = nullptr;
    std::array<Histogram, StageCount> *m_stageLatency = nullptr;
    int64_t m_now = 0;

    // counters for the whole run
    uint64_t m_readyEvents = 0;
    uint64_t m_deliveries = 0;       ///< every benchmark message received (any client)
    uint64_t m_extraDeliveries = 0;  ///< delivered to a client not counted when the message was sent
    uint64_t m_duplicates = 0;       ///< seq not above the client's last one
    uint64_t m_foreign = 0;          ///< messages without the generator's text
    uint64_t m_wrongRoom = 0;
    uint64_t m_published = 0;
    uint64_t m_acks = 0;
    uint64_t m_sendErrors = 0;
    uint64_t m_malformed = 0;
    uint64_t m_unexpectedCloses = 0;
    uint64_t m_connectFailures = 0;
    uint64_t m_pings = 0;
    uint64_t m_rejoined = 0;
    int64_t m_lastRejoinNs = 0;
    // failover
    bool m_failoverArmed = false;    ///< after the kill: a Ready client's close is the failover, not a fault
    uint64_t m_failoverDrops = 0;
    int64_t m_firstDropNs = 0;
    Histogram m_failoverLatency;     ///< from a client's close to its being joined again elsewhere
    std::map<std::string, uint64_t> m_failureReasons;
    std::map<std::string, uint64_t> m_errorCodes;
};

} // namespace Tertulia::Bench
