#pragma once

#include <QtCore/QLoggingCategory>

// The desktop window's logging category (Info by default). Debug output:
// QT_LOGGING_RULES="tertulia.app.ui.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcUi)
