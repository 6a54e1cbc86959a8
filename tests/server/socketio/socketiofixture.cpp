// tertulia-socketio-fixture: the server side of the official Engine.IO and Socket.IO protocol test
// suites, built from the same Socket.IO layer as tertulia-server (docs/socketio.md, "Conformance"). The
// endpoints are described in support/conformanceendpoints.h.
#include "support/conformanceendpoints.h"
#include "support/testhttpserver.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>

#include <cstdio>

using namespace Qt::StringLiterals;

using namespace Tertulia;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Socket.IO conformance fixture (the official test suites expect port 3000)."_s);
    parser.addHelpOption();
    const QCommandLineOption portOption(u"port"_s, u"Port to listen on (default 3000; 0: any free port)."_s, u"PORT"_s,
                                        u"3000"_s);
    const QCommandLineOption hostOption(u"host"_s, u"Address to listen on (default 127.0.0.1)."_s, u"HOST"_s,
                                        u"127.0.0.1"_s);
    parser.addOptions({portOption, hostOption});
    parser.process(app);

    Testing::TestHttpServer http;
    Testing::ConformanceEndpoints endpoints(http.router());

    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    const QHostAddress host(parser.value(hostOption));
    if (!portOk || port > 65535 || host.isNull() || !http.listen(host, quint16(port))) {
        std::fprintf(stderr, "tertulia-socketio-fixture: cannot listen on %s:%s\n", qPrintable(parser.value(hostOption)),
                     qPrintable(parser.value(portOption)));
        return 1;
    }
    // The first stdout line is the URL (scripts start it on port 0 and read where it listens).
    std::printf("%s\n", qPrintable(http.url().toString()));
    std::fflush(stdout);
    return QCoreApplication::exec();
}
