#include "server/handlers/displayedhandler.h"

#include "server/handlers/servercontext.h"
#include "server/session/session.h"
#include "server/trace/tracer.h"
#include "shared/names.h"

namespace Tertulia {

using namespace Protocol;

void DisplayedHandler::handle(Session &session, const Request &request)
{
    const auto shown = params<ReadMarker>(session, request);
    if (!shown)
        return;
    if (shown->seq < 1) { // a marker may be 0 (nothing read); a message shown is one of the room's, from 1
        fail(session, request, ErrorCode::BadRequest, QStringLiteral("'seq' must be a message's, from 1"));
        return;
    }
    const bool recorded =
        m_context.tracer.displayed(Names::canonical(shown->room), shown->seq, session.id(), session.user());
    session.reply(Reply::ok(request.id, QJsonObject{{QStringLiteral("recorded"), recorded}}));
}

} // namespace Tertulia
