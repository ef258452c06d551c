// Shared plumbing of the subcommands.
#include "cli/database.hpp"

#include <fmt/format.h>

#include <iostream>
#include <thread>

#include "accounts/audit_actions.hpp"
#include "audit/audit_log.hpp"
#include "contest/audit_actions.hpp"
#include "editions/audit_actions.hpp"
#include "judging/audit_actions.hpp"
#include "quiz/audit_actions.hpp"
#include "results/audit_actions.hpp"
#include "units/audit_actions.hpp"
#include "video/audit_actions.hpp"

namespace hoithi::cli {

void AddGlobalOptions(CLI::App& app, Globals& globals) {
  globals.config_option =
      app.add_option("-c,--config", globals.config_path,
                     "Tệp cấu hình TOML (mặc định: hoithi.toml; mọi khóa đều có thể thay bằng "
                     "biến môi trường HOITHI_<MỤC>_<KHÓA>)");
}

core::Status ChainAuditLog(store::Database& db) {
  return db.WriteAndWait(audit::ChainEntriesFromBeforeTheChain);
}

void ReportError(const core::Error& error) {
  std::cerr << "hoithi: " << error.message;
  if (!error.detail.empty()) std::cerr << " (" << error.detail << ")";
  std::cerr << "\n";
}

std::optional<core::Config> LoadConfigOrReport(Globals& globals) {
  const bool explicit_path = globals.config_option && globals.config_option->count() > 0;
  auto config = core::LoadConfig(globals.config_path, explicit_path, core::ProcessEnvironment());
  if (!config) {
    std::cerr << "hoithi: cấu hình không hợp lệ: " << config.error().message << "\n";
    globals.exit_code = kExitUsage;
    return std::nullopt;
  }
  return *config;
}

store::DatabaseOptions DatabaseOptionsFrom(const core::Config& config) {
  store::DatabaseOptions o;
  o.url = config.EffectiveDatabaseUrl();
  const int threads = config.server.threads > 0 ? config.server.threads : core::UsableCores();
  o.read_connections =
      config.database.read_connections > 0 ? config.database.read_connections : threads + 1;
  if (config.database.write_connections > 0) {
    o.write_connections = config.database.write_connections;
  }
  o.busy_timeout_ms = config.database.busy_timeout_ms;
  o.max_batch = static_cast<std::size_t>(config.database.max_batch);
  o.max_queue = static_cast<std::size_t>(config.database.max_queue);
  return o;
}

accounts::PasswordCost PasswordCostFrom(const core::Config& config) {
  accounts::PasswordCost cost;
  cost.ops = static_cast<unsigned long long>(config.auth.password_ops);
  cost.memory_bytes = static_cast<std::size_t>(config.auth.password_memory_kib) * 1024;
  return cost;
}

std::unique_ptr<store::Database> OpenDatabaseOrReport(const core::Config& config, Globals& globals,
                                                      core::MetricsRegistry* metrics,
                                                      bool migrate) {
  const auto options = DatabaseOptionsFrom(config);
  if (auto url = store::ParseDatabaseUrl(options.url); !url) {
    std::cerr << "hoithi: cấu hình không hợp lệ: " << url.error().message << "\n";
    globals.exit_code = kExitUsage;
    return nullptr;
  }
  auto db = store::Database::Open(options, metrics);
  if (!db) {
    std::cerr << "hoithi: không mở được cơ sở dữ liệu: " << db.error().message << "\n  "
              << db.error().detail << "\n";
    globals.exit_code = kExitFailure;
    return nullptr;
  }
  if (migrate) {
    auto applied = (*db)->Migrate();
    auto chained =
        applied ? (*applied > 0 ? ChainAuditLog(**db) : core::Ok()) : core::Status(applied.error());
    if (!chained) {
      std::cerr << "hoithi: không cập nhật được cấu trúc cơ sở dữ liệu: " << chained.error().message
                << "\n  " << chained.error().detail << "\n";
      globals.exit_code = kExitFailure;
      return nullptr;
    }
  }
  return std::move(*db);
}

const audit::ActionCatalogue& InstallActions() {
  static const audit::ActionCatalogue catalogue{accounts::actions::kAll, units::actions::kAll,
                                                contest::actions::kAll,  quiz::actions::kAll,
                                                editions::actions::kAll, video::actions::kAll,
                                                judging::actions::kAll,  results::actions::kAll};
  return catalogue;
}

}  // namespace hoithi::cli
