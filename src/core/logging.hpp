// Process-wide logging on spdlog: the application log on stderr and the access log on stdout.
// The access log is asynchronous (a full queue drops the oldest line rather than slowing requests).
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace hoithi::core {

/// Sets up the default logger at `level` ("info", "debug", ...) and the access logger.
void InitLogging(const std::string& level, bool access_log);

/// The access logger, or nullptr when the access log is off.
spdlog::logger* AccessLog();

/// Flushes and stops the loggers' background thread. Call once before exit.
void ShutdownLogging();

}  // namespace hoithi::core
