// What every data-touching subcommand shares: the global --config option, loading the
// configuration (file + environment), opening the database it names, and the exit codes:
// 0 success, 1 failure (database unreachable, ...), 2 bad usage or configuration.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "accounts/password.hpp"
#include "audit/audit_log.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "core/metrics.hpp"
#include "store/database.hpp"

namespace hoithi::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct Globals {
  std::string config_path = "hoithi.toml";
  CLI::Option* config_option = nullptr;  // set when --config was given explicitly
  int exit_code = kExitOk;
};

/// Adds --config to the top-level app.
void AddGlobalOptions(CLI::App& app, Globals& globals);

/// The configuration, or prints the error and sets exit code 2.
std::optional<core::Config> LoadConfigOrReport(Globals& globals);

store::DatabaseOptions DatabaseOptionsFrom(const core::Config& config);
accounts::PasswordCost PasswordCostFrom(const core::Config& config);

/// Opens and migrates the configured database, or prints why not and sets exit code 1 (2 for a
/// malformed database.url).
std::unique_ptr<store::Database> OpenDatabaseOrReport(const core::Config& config, Globals& globals,
                                                      core::MetricsRegistry* metrics,
                                                      bool migrate = true);

/// After migrations were applied: the audit entries written before the hash chain existed join
/// it (audit::ChainEntriesFromBeforeTheChain). Later entries are chained as they are written.
core::Status ChainAuditLog(store::Database& db);

/// Every audit action the modules of the install declare (their audit_actions.hpp), with its
/// Vietnamese label: what the audit page and `audit verify` name entries by.
const audit::ActionCatalogue& InstallActions();

/// Prints an error for the person at the terminal (Vietnamese message, detail when present).
void ReportError(const core::Error& error);

// The subcommands.
void AddMigrateCommand(CLI::App& app, Globals& globals);
void AddSeedDemoCommand(CLI::App& app, Globals& globals);
void AddUserCommand(CLI::App& app, Globals& globals);
void AddAuditCommand(CLI::App& app, Globals& globals);
void AddBackupCommands(CLI::App& app, Globals& globals);
void AddContestCommand(CLI::App& app, Globals& globals);
void AddResultsCommand(CLI::App& app, Globals& globals);

}  // namespace hoithi::cli
