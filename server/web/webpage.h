#pragma once

namespace Tertulia::Http {
class Router;
}

namespace Tertulia::Web {

/// Adds the guest page to a router: GET "/" (the page) and GET "/web/<file>" (its script, styles,
/// icon, the bundled socket.io-client and that client's licences). The files are embedded in the binary.
void addPageRoutes(Http::Router &router);

/// Whether this build embeds socket.io-client (npm was available at build time). Without it the page
/// answers 503 with an explanation instead of a page that cannot connect.
bool clientBundled();

} // namespace Tertulia::Web
