#pragma once

#include <QtCore/QLoggingCategory>

// The event loop library's one category (tertulia.server.eventloop), Info by default. Turn on debug output
// with QT_LOGGING_RULES="tertulia.server.eventloop.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcEventLoop)
