#include "app/ui/uilogging.h"

Q_LOGGING_CATEGORY(lcUi, "tertulia.app.ui", QtInfoMsg)
