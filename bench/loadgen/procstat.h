#pragma once

#include <cstdint>
#include <sys/types.h>
#include <vector>

/// What the generator reads from /proc about the server under test and the kernel.
namespace Tertulia::Bench::Proc {

struct CpuTimes
{
    bool valid = false;
    int64_t statNs = 0;       ///< utime + stime of /proc/<pid>/stat (all threads, dead ones too; 10 ms ticks)
    int64_t schedNs = 0;      ///< sum of /proc/<pid>/task/*/schedstat run time (live threads, ns resolution)
    std::vector<pid_t> threads; ///< the live threads' ids, ascending
};

CpuTimes processCpu(pid_t pid);
/// The CPU time a process used between two samples: the threads' schedstat (nanoseconds) when every thread
/// of the first sample is still alive at the second, else /proc/<pid>/stat's ticks, which keep the time of
/// threads that exited. The schedstat sum alone loses an exited thread's whole time: Bun's idle heartbeat
/// ends helper threads, and it read half of Bun's CPU (docs/benchmarks.md). `threadsExited` tells which.
int64_t cpuNsBetween(const CpuTimes &start, const CpuTimes &end, bool *threadsExited = nullptr);
/// VmRSS of /proc/<pid>/status in bytes, or -1.
int64_t residentBytes(pid_t pid);
/// TcpExt counters of /proc/net/netstat, or -1.
int64_t tcpExtCounter(const char *name);
/// Per-core jiffies from /proc/stat (busy = everything but idle and iowait), indexed by core number.
struct CoreTimes
{
    std::vector<int64_t> busy;
    std::vector<int64_t> total;
};
CoreTimes coreTimes();
/// The cores `pid` may run on (0 = this process).
std::vector<int> affinity(pid_t pid);
/// This process's own user + system CPU time (getrusage).
int64_t selfCpuNs();
int64_t monotonicNs();
int64_t realtimeSeconds();

} // namespace Tertulia::Bench::Proc
