// Entry point: the `hoithi` command line and its subcommands.
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/serve.hpp"
#include "cli/database.hpp"

int main(int argc, char** argv) {
  using namespace hoithi;
  // Whatever hoithi creates (the SQLite file, the secrets file, backups, uploads, exports) is
  // its own user's alone, whatever umask it was started with.
  ::umask(0077);
  CLI::App app{
      "hoithi — phần mềm tổ chức hội thi trực tuyến (thi trắc nghiệm, video dự thi, chấm "
      "điểm, xếp hạng, giải thưởng, báo cáo)",
      "hoithi"};
  app.set_version_flag("--version", std::string("hoithi ") + HOITHI_VERSION,
                       "Hiện phiên bản của chương trình");
  app.set_help_flag("-h,--help", "Hiện hướng dẫn này");
  app.require_subcommand(1);
  cli::Globals globals;
  cli::AddGlobalOptions(app, globals);
  app::AddServeCommand(app, globals);
  cli::AddMigrateCommand(app, globals);
  cli::AddSeedDemoCommand(app, globals);
  cli::AddUserCommand(app, globals);
  cli::AddAuditCommand(app, globals);
  cli::AddBackupCommands(app, globals);
  cli::AddContestCommand(app, globals);
  cli::AddResultsCommand(app, globals);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? cli::kExitOk : cli::kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "hoithi: lỗi không mong đợi: " << e.what() << "\n";
    return cli::kExitFailure;
  }
  return globals.exit_code;
}
