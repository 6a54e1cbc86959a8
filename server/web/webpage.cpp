#include "server/web/webpage.h"

#include "server/http/httprouter.h"

#include <QtCore/QFile>

// qt_add_resources in a static library: the resources must be pulled in explicitly.
static void initWebResources()
{
    Q_INIT_RESOURCE(webpage);
#ifdef TERTULIA_WEB_CLIENT_BUNDLED
    Q_INIT_RESOURCE(webvendor);
#endif
}

namespace Tertulia::Web {

namespace {
struct StaticFile
{
    const char *path;          ///< URL path
    const char *resource;      ///< embedded file
    const char *contentType;
};

constexpr StaticFile kFiles[] = {
    {"/", ":/web/index.html", "text/html; charset=utf-8"},
    {"/web/app.js", ":/web/app.js", "text/javascript; charset=utf-8"},
    {"/web/i18n.js", ":/web/i18n.js", "text/javascript; charset=utf-8"},
    {"/web/markdown.js", ":/web/markdown.js", "text/javascript; charset=utf-8"},
    {"/web/style.css", ":/web/style.css", "text/css; charset=utf-8"},
    {"/web/icon.svg", ":/web/icon.svg", "image/svg+xml"},
    {"/web/socket.io.min.js", ":/web/socket.io.min.js", "text/javascript; charset=utf-8"},
    {"/web/licenses.txt", ":/web/socket.io-client-LICENSES.txt", "text/plain; charset=utf-8"},
};

Http::Response pageResponse(const QByteArray &body, const QByteArray &contentType)
{
    Http::Response response = Http::Response::text(200, body, contentType);
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    // Everything comes from this server: no CDN, no inline script, no framing by other sites.
    response.setHeader("Content-Security-Policy",
                       "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
                       "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    return response;
}
} // namespace

bool clientBundled()
{
#ifdef TERTULIA_WEB_CLIENT_BUNDLED
    return true;
#else
    return false;
#endif
}

void addPageRoutes(Http::Router &router)
{
    initWebResources();
    for (const StaticFile &file : kFiles) {
        QFile resource(QString::fromLatin1(file.resource));
        const bool present = resource.open(QIODevice::ReadOnly);
        const QByteArray body = present ? resource.readAll() : QByteArray();
        const QByteArray contentType(file.contentType);
        router.addRoute("GET", QString::fromLatin1(file.path),
                        [present, body, contentType](const Http::Request &, const Http::Responder &responder) {
                            if (!present || !clientBundled()) {
                                responder.send(Http::Response::text(
                                    503, "This server was built without socket.io-client (npm was missing at build time), "
                                         "so it cannot serve the browser page.\n",
                                    "text/plain; charset=utf-8"));
                                return;
                            }
                            responder.send(pageResponse(body, contentType));
                        });
    }
}

} // namespace Tertulia::Web
