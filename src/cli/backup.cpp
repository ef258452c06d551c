// `hoithi backup DEST` and `hoithi restore SRC`: a whole copy of the configured database, taken
// while the server runs, and putting one back while no server runs (store/backup.hpp).
// Exit codes: 0 done, 1 failed (database unreachable, in use, pg_dump failed), 2 bad usage
// (missing or wrong file, existing destination).
#include "store/backup.hpp"

#include <iostream>

#include "cli/database.hpp"

namespace hoithi::cli {
namespace {

/// The configured database URL, or prints why not and sets exit code 2.
std::optional<store::DatabaseUrl> ConfiguredUrl(Globals& globals) {
  auto config = LoadConfigOrReport(globals);
  if (!config) return std::nullopt;
  auto url = store::ParseDatabaseUrl(DatabaseOptionsFrom(*config).url);
  if (!url) {
    std::cerr << "hoithi: cấu hình không hợp lệ: " << url.error().message << "\n";
    globals.exit_code = kExitUsage;
    return std::nullopt;
  }
  return *url;
}

int ExitCodeOf(const core::Error& error) {
  return error.kind == core::ErrorKind::kValidation ? kExitUsage : kExitFailure;
}

}  // namespace

void AddBackupCommands(CLI::App& app, Globals& globals) {
  auto* backup = app.add_subcommand(
      "backup",
      "Sao lưu toàn bộ cơ sở dữ liệu vào một tệp, kể cả khi máy chủ đang chạy (SQLite: bản chụp "
      "nhất quán; PostgreSQL: pg_dump dạng custom)");
  auto dest = std::make_shared<std::string>();
  auto overwrite = std::make_shared<bool>(false);
  backup->add_option("DEST", *dest, "Tệp sao lưu sẽ tạo")->required();
  backup->add_flag("--overwrite", *overwrite, "Ghi đè nếu tệp sao lưu đã có");
  backup->callback([&globals, dest, overwrite] {
    auto url = ConfiguredUrl(globals);
    if (!url) return;
    auto size = store::BackupDatabase(*url, *dest, *overwrite);
    if (!size) {
      ReportError(size.error());
      globals.exit_code = ExitCodeOf(size.error());
      return;
    }
    std::cout << "Đã sao lưu cơ sở dữ liệu (" << store::DescribeDatabase(*url) << ") vào " << *dest
              << " (" << *size << " byte).\n";
  });

  auto* restore = app.add_subcommand(
      "restore",
      "Khôi phục cơ sở dữ liệu từ một tệp sao lưu (thay toàn bộ dữ liệu hiện có; phải dừng mọi "
      "máy chủ hoithi dùng cơ sở dữ liệu này trước)");
  auto src = std::make_shared<std::string>();
  restore->add_option("SRC", *src, "Tệp sao lưu (do hoithi backup tạo)")->required();
  restore->callback([&globals, src] {
    auto url = ConfiguredUrl(globals);
    if (!url) return;
    auto restored = store::RestoreDatabase(*url, *src);
    if (!restored) {
      ReportError(restored.error());
      globals.exit_code = ExitCodeOf(restored.error());
      return;
    }
    std::cout << "Đã khôi phục cơ sở dữ liệu (" << store::DescribeDatabase(*url) << ") từ " << *src
              << ". Lần chạy hoithi tiếp theo sẽ cập nhật cấu trúc nếu bản sao lưu cũ hơn.\n";
  });
}

}  // namespace hoithi::cli
