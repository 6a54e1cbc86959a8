#include "procstat.h"

#include <algorithm>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <sched.h>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

namespace Tertulia::Bench::Proc {

namespace {
std::string readAll(const std::string &path)
{
    std::ifstream file(path);
    std::stringstream buffer;
    buffer << file.rdbuf();
    return buffer.str();
}
} // namespace

CpuTimes processCpu(pid_t pid)
{
    CpuTimes times;
    if (pid <= 0)
        return times;
    const std::string base = "/proc/" + std::to_string(pid);
    const std::string stat = readAll(base + "/stat");
    // The command name may contain spaces and parentheses: fields are counted after the last ')'.
    const size_t close = stat.rfind(')');
    if (close == std::string::npos)
        return times;
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int index = 3; fields >> field; ++index) {   // the field after ')' is number 3 (state)
        if (index == 14)
            utime = std::stoull(field);
        else if (index == 15) {
            stime = std::stoull(field);
            break;
        }
    }
    const long ticks = sysconf(_SC_CLK_TCK);
    times.statNs = int64_t((utime + stime) * (1000000000ULL / static_cast<unsigned long long>(ticks)));

    if (DIR *dir = opendir((base + "/task").c_str())) {
        while (const dirent *entry = readdir(dir)) {
            if (entry->d_name[0] == '.')
                continue;
            const std::string sched = readAll(base + "/task/" + entry->d_name + "/schedstat");
            times.schedNs += std::strtoll(sched.c_str(), nullptr, 10);
            times.threads.push_back(pid_t(std::strtol(entry->d_name, nullptr, 10)));
        }
        closedir(dir);
    }
    std::sort(times.threads.begin(), times.threads.end());
    times.valid = true;
    return times;
}

int64_t cpuNsBetween(const CpuTimes &start, const CpuTimes &end, bool *threadsExited)
{
    const bool exited = !std::includes(end.threads.begin(), end.threads.end(), start.threads.begin(),
                                       start.threads.end());
    if (threadsExited)
        *threadsExited = exited;
    return exited ? end.statNs - start.statNs : end.schedNs - start.schedNs;
}

int64_t residentBytes(pid_t pid)
{
    if (pid <= 0)
        return -1;
    std::ifstream file("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(file, line)) {
        if (line.rfind("VmRSS:", 0) == 0)
            return std::strtoll(line.c_str() + 6, nullptr, 10) * 1024;
    }
    return -1;
}

int64_t tcpExtCounter(const char *name)
{
    // Two lines per group: "TcpExt: Name1 Name2 ..." then "TcpExt: value1 value2 ...".
    std::ifstream file("/proc/net/netstat");
    std::string header, values;
    while (std::getline(file, header) && std::getline(file, values)) {
        if (header.rfind("TcpExt:", 0) != 0)
            continue;
        std::istringstream names(header), numbers(values);
        std::string n, v;
        while (names >> n && numbers >> v) {
            if (n == name)
                return std::stoll(v);
        }
    }
    return -1;
}

CoreTimes coreTimes()
{
    CoreTimes times;
    std::ifstream file("/proc/stat");
    std::string line;
    while (std::getline(file, line)) {
        if (line.rfind("cpu", 0) != 0 || line.size() < 4 || line[3] < '0' || line[3] > '9')
            continue;
        std::istringstream fields(line);
        std::string name;
        long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
        fields >> name >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
        const auto core = size_t(std::stoul(name.substr(3)));
        if (times.busy.size() <= core) {
            times.busy.resize(core + 1);
            times.total.resize(core + 1);
        }
        times.busy[core] = user + nice + system + irq + softirq + steal;
        times.total[core] = times.busy[core] + idle + iowait;
    }
    return times;
}

std::vector<int> affinity(pid_t pid)
{
    std::vector<int> cores;
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(pid, sizeof set, &set) != 0)
        return cores;
    for (int i = 0; i < CPU_SETSIZE; ++i) {
        if (CPU_ISSET(i, &set))
            cores.push_back(i);
    }
    return cores;
}

int64_t selfCpuNs()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return (int64_t(usage.ru_utime.tv_sec) + int64_t(usage.ru_stime.tv_sec)) * 1000000000LL
        + (int64_t(usage.ru_utime.tv_usec) + int64_t(usage.ru_stime.tv_usec)) * 1000LL;
}

int64_t monotonicNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

int64_t realtimeSeconds()
{
    return int64_t(std::time(nullptr));
}

} // namespace Tertulia::Bench::Proc
