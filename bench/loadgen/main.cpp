// tertulia-loadgen: the benchmark suite's load generator (see bench/README.md). Prints one JSON line.
#include "loadgenerator.h"
#include "selftest.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Tertulia::Bench::Mode;
using Tertulia::Bench::Options;
using Tertulia::Bench::Proto;

const char *const Usage = R"(usage: tertulia-loadgen --port P --secret-file F [options]
       tertulia-loadgen --selftest

  --mode fanout|idle|storm|lockstep|probe|failover   (fanout)
  --proto native|sio          native tertulia.v1 on /ws, or Socket.IO v5 (native)
  --host H  --port P  --path PATH
  --tls                       wss://: TLS under every WebSocket (OpenSSL; the certificate is not checked)
  --ports P1,P2,..            several servers (a cluster's nodes): client i connects to ports[i % n]
  --secret-file F             the server's secret: 64 hex characters
  --server-pid PID            read the server's CPU time and RSS from /proc
  --peer-pids P1,P2,..        also measure these processes' CPU time over each step ("peers" in the result)
  --clients N  --rooms R      client i joins room i % R; clients 0..R-1 create the rooms
  --inflight N                connections being set up at once (1000)
  --source-addresses N        bind to 127.0.0.2 .. 127.0.0.(N+1) round-robin (8; 0 = any)
  --text-bytes N              message text length (64)
  --max-generator-cpu F       above this share of its core a step is invalid (0.70)
  --busy-poll                 poll epoll with a zero timeout, never sleeping (takes the whole core: give
                              --max-generator-cpu 1.01; for low rates only, to leave out its own wake-ups)
  --label TEXT                copied into the result
  --connect-timeout-seconds S give up on a connect phase after S seconds (120)
 fanout:   --rates D1,D2,..   offered deliveries per second, one step each
           --step-seconds S (5)  --warmup-seconds S (1)  --drain-seconds S (3)
           --stop-p99-ms X    stop the sweep at the first step over X ms p99, losing or invalid
           --stop-p50-ms X    the same on the median (a throughput sweep: stalls move only the tail)
 idle:     --idle-steps N1,N2,..  --idle-seconds S (10)  --settle-seconds S (1)
           --mark-command CMD (run as "CMD begin" before the first connect, "CMD end" after the last settle)
 storm:    --storm-drop N (all members)  --storm-window-ms W (1000)  --storm-rate D (10000)
           --storm-before-seconds S (2)  --storm-after-seconds S (1)  --storm-timeout-seconds S (30)
 lockstep: --lockstep-warmup N (20)  --lockstep-messages N (200)  --mark-command CMD
 failover: --ports P1,P2,..  --mark-command CMD (run as "CMD kill": kills one server)  --storm-rate D
           --storm-before-seconds S  --storm-timeout-seconds S  --storm-after-seconds S
)";

bool parseList(const char *text, std::vector<double> &out)
{
    std::stringstream stream(text);
    std::string item;
    while (std::getline(stream, item, ',')) {
        char *end = nullptr;
        const double value = std::strtod(item.c_str(), &end);
        if (end == item.c_str() || *end != '\0' || value <= 0)
            return false;
        out.push_back(value);
    }
    return !out.empty();
}

bool parseArguments(int argc, char **argv, Options &o, bool &selftest)
{
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--selftest") {
            selftest = true;
            continue;
        }
        if (arg == "--help" || arg == "-h")
            return false;
        if (arg == "--tls") {
            o.tls = true;
            continue;
        }
        if (arg == "--busy-poll") {
            o.busyPoll = true;
            continue;
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "missing value for %s\n", arg.c_str());
            return false;
        }
        const char *v = argv[++i];
        const double number = std::atof(v);
        std::vector<double> list;
        if (arg == "--mode") {
            const std::string m = v;
            if (m == "fanout") o.mode = Mode::Fanout;
            else if (m == "idle") o.mode = Mode::Idle;
            else if (m == "storm") o.mode = Mode::Storm;
            else if (m == "lockstep") o.mode = Mode::Lockstep;
            else if (m == "probe") o.mode = Mode::Probe;
            else if (m == "failover") o.mode = Mode::Failover;
            else return false;
        } else if (arg == "--proto") {
            const std::string p = v;
            if (p == "native") o.proto = Proto::Native;
            else if (p == "sio" || p == "socket.io") o.proto = Proto::SocketIo;
            else return false;
        } else if (arg == "--host") o.host = v;
        else if (arg == "--port") o.port = uint16_t(std::atoi(v));
        else if (arg == "--ports" || arg == "--peer-pids") {
            if (!parseList(v, list))
                return false;
            for (const double n : list) {
                if (arg == "--ports") {
                    if (n > 65535)
                        return false;
                    o.ports.push_back(uint16_t(n));
                } else {
                    o.peerPids.push_back(pid_t(n));
                }
            }
        } else if (arg == "--path") o.path = v;
        else if (arg == "--secret-file") o.secretFile = v;
        else if (arg == "--server-pid") o.serverPid = pid_t(std::atoi(v));
        else if (arg == "--label") o.label = v;
        else if (arg == "--clients") o.clients = std::atoi(v);
        else if (arg == "--rooms") o.rooms = std::atoi(v);
        else if (arg == "--inflight") o.inflight = std::max(1, std::atoi(v));
        else if (arg == "--source-addresses") o.sourceAddresses = std::clamp(std::atoi(v), 0, 200);
        else if (arg == "--text-bytes") o.textBytes = size_t(std::max(0, std::atoi(v)));
        else if (arg == "--max-generator-cpu") o.maxGeneratorCpu = number;
        else if (arg == "--connect-timeout-seconds") o.connectTimeoutSeconds = number;
        else if (arg == "--rates") {
            if (!parseList(v, o.rates))
                return false;
        } else if (arg == "--step-seconds") o.stepSeconds = number;
        else if (arg == "--warmup-seconds") o.warmupSeconds = number;
        else if (arg == "--drain-seconds") o.drainSeconds = number;
        else if (arg == "--stop-p99-ms") o.stopP99Ms = number;
        else if (arg == "--stop-p50-ms") o.stopP50Ms = number;
        else if (arg == "--idle-steps") {
            if (!parseList(v, list))
                return false;
            for (const double n : list)
                o.idleSteps.push_back(int(n));
        } else if (arg == "--idle-seconds") o.idleSeconds = number;
        else if (arg == "--settle-seconds") o.settleSeconds = number;
        else if (arg == "--storm-drop") o.stormDrop = std::atoi(v);
        else if (arg == "--storm-window-ms") o.stormWindowSeconds = number / 1000.0;
        else if (arg == "--storm-rate") o.stormRate = number;
        else if (arg == "--storm-before-seconds") o.stormBeforeSeconds = number;
        else if (arg == "--storm-after-seconds") o.stormAfterSeconds = number;
        else if (arg == "--storm-timeout-seconds") o.stormTimeoutSeconds = number;
        else if (arg == "--lockstep-warmup") o.lockstepWarmup = std::max(0, std::atoi(v));
        else if (arg == "--lockstep-messages") o.lockstepMessages = std::max(1, std::atoi(v));
        else if (arg == "--mark-command") o.markCommand = v;
        else {
            std::fprintf(stderr, "unknown option %s\n", arg.c_str());
            return false;
        }
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    Options options;
    bool selftest = false;
    if (!parseArguments(argc, argv, options, selftest)) {
        std::fputs(Usage, stderr);
        return 2;
    }
    if (selftest)
        return Tertulia::Bench::runSelfTest();
    if (options.mode == Mode::Fanout && options.rates.empty()) {
        std::fputs("fanout needs --rates\n", stderr);
        return 2;
    }
    if (options.mode == Mode::Idle && options.idleSteps.empty())
        options.idleSteps.push_back(options.clients);
    if (options.mode == Mode::Storm && options.stormWindowSeconds <= 0) {
        std::fputs("--storm-window-ms must be positive\n", stderr);
        return 2;
    }
    bool valid = false;
    Tertulia::Bench::LoadGenerator generator(std::move(options));
    const std::string result = generator.run(valid);
    std::printf("%s\n", result.c_str());
    return valid ? 0 : 1;
}
