// `hoithi migrate`: bring the configured database to the latest schema.
#include <iostream>

#include "cli/database.hpp"
#include "store/migrations.hpp"

namespace hoithi::cli {

void AddMigrateCommand(CLI::App& app, Globals& globals) {
  auto* cmd = app.add_subcommand("migrate",
                                 "Tạo hoặc cập nhật cấu trúc cơ sở dữ liệu lên phiên bản mới nhất");
  cmd->callback([&globals] {
    auto config = LoadConfigOrReport(globals);
    if (!config) return;
    auto db = OpenDatabaseOrReport(*config, globals, nullptr, /*migrate=*/false);
    if (!db) return;
    auto applied = db->Migrate();
    auto chained =
        applied ? (*applied > 0 ? ChainAuditLog(*db) : core::Ok()) : core::Status(applied.error());
    if (!chained) {
      ReportError(chained.error());
      globals.exit_code = kExitFailure;
      return;
    }
    const auto migrations = store::EmbeddedMigrations();
    std::cout << "Cơ sở dữ liệu (" << db->description() << ") ở phiên bản "
              << (migrations.empty() ? 0 : migrations.back().version) << "; đã áp dụng " << *applied
              << " bản cập nhật.\n";
  });
}

}  // namespace hoithi::cli
