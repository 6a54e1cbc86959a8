#pragma once

// Helpers shared by the libFuzzer targets. A target aborts (and libFuzzer keeps the input) when an
// invariant fails, not only when the sanitizers see a crash: a parser that accepts something it cannot
// write back, or that gives different answers for the same bytes, is a bug too.

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace Tertulia::Fuzz {

[[noreturn]] inline void fail(const char *what, const char *file, int line)
{
    std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", what, file, line);
    std::abort();
}

inline QByteArrayView bytesOf(const uint8_t *data, size_t size)
{
    return QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size));
}

} // namespace Tertulia::Fuzz

#define FUZZ_CHECK(condition)                                                                                 \
    do {                                                                                                      \
        if (!(condition))                                                                                     \
            ::Tertulia::Fuzz::fail(#condition, __FILE__, __LINE__);                                           \
    } while (false)
