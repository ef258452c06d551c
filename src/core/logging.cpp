// spdlog setup: formats, sinks, the access logger's thread.
#include "core/logging.hpp"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace hoithi::core {
namespace {
std::shared_ptr<spdlog::logger> g_access;
}

void InitLogging(const std::string& level, bool access_log) {
  auto main =
      std::make_shared<spdlog::logger>("hoithi", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  main->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  main->set_level(spdlog::level::from_str(level));
  main->flush_on(spdlog::level::info);
  spdlog::set_default_logger(main);

  if (access_log && !g_access) {
    spdlog::init_thread_pool(16384, 1);
    g_access = std::make_shared<spdlog::async_logger>(
        "access", std::make_shared<spdlog::sinks::stdout_sink_mt>(), spdlog::thread_pool(),
        spdlog::async_overflow_policy::overrun_oldest);
    g_access->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %v", spdlog::pattern_time_type::utc);
    g_access->flush_on(spdlog::level::info);
  } else if (!access_log) {
    g_access.reset();
  }
}

spdlog::logger* AccessLog() {
  return g_access.get();
}

void ShutdownLogging() {
  if (g_access) g_access->flush();
  g_access.reset();
  spdlog::shutdown();
}

}  // namespace hoithi::core
