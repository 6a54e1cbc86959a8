#pragma once

#include <QtCore/QLoggingCategory>

// The fast path's one category (tertulia.server.fastpath), Info by default. Debug output with
// QT_LOGGING_RULES="tertulia.server.fastpath.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcFastPath)
