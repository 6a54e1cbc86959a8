#pragma once

// main() for server tests: like QTEST_GUILESS_MAIN, but with TERTULIA_EVENT_DISPATCHER=epoll the whole test
// runs on the epoll dispatcher the standalone server uses, so ctest runs the same suite on both loops.
#include "server/eventloop/fasteventdispatcher.h"

#include <QtCore/QCoreApplication>
#include <QtTest/QTest>

#define TERTULIA_SERVER_TEST_MAIN(TestObject)                                                                  \
    int main(int argc, char *argv[])                                                                         \
    {                                                                                                        \
        if (qEnvironmentVariable("TERTULIA_EVENT_DISPATCHER") == QLatin1StringView("epoll")                  \
            && !Tertulia::installFastEventDispatcherForApplication())                                        \
            qFatal("the epoll dispatcher is not available here");                                            \
        QCoreApplication app(argc, argv);                                                                    \
        app.setAttribute(Qt::AA_Use96Dpi, true);                                                             \
        TestObject tc;                                                                                       \
        QTEST_SET_MAIN_SOURCE_PATH                                                                           \
        return QTest::qExec(&tc, argc, argv);                                                                \
    }
