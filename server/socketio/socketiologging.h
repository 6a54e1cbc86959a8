#pragma once

#include <QtCore/QLoggingCategory>

// Categories of the Socket.IO stack: the Engine.IO transport layer, the Socket.IO layer above it, and
// the chat bridge that turns Socket.IO connections into chat sessions.
Q_DECLARE_LOGGING_CATEGORY(lcEngineIo)
Q_DECLARE_LOGGING_CATEGORY(lcSocketIo)
Q_DECLARE_LOGGING_CATEGORY(lcSocketIoChat)
