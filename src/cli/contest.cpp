// `hoithi contest export SLUG` and `hoithi contest import FILE [--apply]`: an edition of a contest
// as a file (editions/definition.hpp), to review, version and reproduce. Import is a dry run
// unless --apply is given: it says what would change and writes nothing.
#include <fmt/format.h>

#include <fstream>
#include <future>
#include <iostream>
#include <sstream>

#include "cli/database.hpp"
#include "contest/current_contest_cache.hpp"
#include "editions/edition_service.hpp"
#include "store/data_versions.hpp"

namespace hoithi::cli {
namespace {

void Export(Globals& globals, const std::string& slug) {
  auto config = LoadConfigOrReport(globals);
  if (!config) return;
  auto db = OpenDatabaseOrReport(*config, globals, nullptr);
  if (!db) return;
  std::optional<contest::Contest> found;
  {
    auto lease = db->Read();
    auto c = contest::FindContestBySlug(*lease, slug);
    if (!c) {
      ReportError(c.error());
      globals.exit_code = kExitFailure;
      return;
    }
    found = *c;
  }
  if (!found) {
    ReportError(core::MakeError(core::ErrorKind::kNotFound, "no_contest",
                                "Không có hội thi với mã " + slug + "."));
    globals.exit_code = kExitUsage;
    return;
  }
  core::SystemClock clock;
  store::DataVersions versions(*db);
  contest::CurrentContestCache current(*db, versions, clock);
  editions::EditionService editions(*db, current, clock);
  auto text = editions.Export(found->id);
  if (!text) {
    ReportError(text.error());
    globals.exit_code = kExitFailure;
    return;
  }
  std::cout << *text;
}

void Import(Globals& globals, const std::string& path, bool apply) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ReportError(core::MakeError(core::ErrorKind::kValidation, "no_file",
                                "Không đọc được tệp " + path + "."));
    globals.exit_code = kExitUsage;
    return;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto definition = editions::ReadDefinition(text.str());
  if (!definition) {
    ReportError(definition.error());
    globals.exit_code = kExitUsage;
    return;
  }
  auto config = LoadConfigOrReport(globals);
  if (!config) return;
  auto db = OpenDatabaseOrReport(*config, globals, nullptr);
  if (!db) return;
  core::SystemClock clock;
  store::DataVersions versions(*db);
  contest::CurrentContestCache current(*db, versions, clock);
  editions::EditionService editions(*db, current, clock);
  std::promise<core::Result<editions::ImportReport>> outcome;
  const auto slug = definition->contest.slug;
  editions.Import(
      audit::Actor::Cli(), std::move(*definition), apply,
      [&outcome](core::Result<editions::ImportReport> r) { outcome.set_value(std::move(r)); });
  auto report = outcome.get_future().get();
  if (!report) {
    ReportError(report.error());
    globals.exit_code =
        report.error().kind == core::ErrorKind::kValidation ? kExitUsage : kExitFailure;
    return;
  }
  const auto& r = *report;
  std::cout << (apply ? "Đã nạp" : "Chạy thử (chưa ghi gì; thêm --apply để ghi)") << ": hội thi "
            << slug << (r.creates_contest ? " (tạo mới)" : " (cập nhật)") << "\n"
            << "  Giải thưởng: " << r.prizes << " loại; đợt thi: " << r.rounds << "\n"
            << "  Đơn vị: " << r.units_added << " thêm mới, " << r.units_updated << " cập nhật\n";
  if (!r.units_not_in_file.empty()) {
    std::cout << "  Đơn vị có trong hội thi nhưng không có trong tệp (giữ nguyên): "
              << fmt::format("{}", fmt::join(r.units_not_in_file, ", ")) << "\n";
  }
}

}  // namespace

void AddContestCommand(CLI::App& app, Globals& globals) {
  auto* contest = app.add_subcommand("contest", "Tệp định nghĩa hội thi (xuất, nạp)");
  contest->require_subcommand(1);
  auto* exp = contest->add_subcommand(
      "export",
      "In tệp định nghĩa (.toml) của hội thi: thời gian, giải thưởng, thể lệ, đợt thi, "
      "đơn vị");
  auto slug = std::make_shared<std::string>();
  exp->add_option("slug", *slug, "Mã hội thi")->required();
  exp->callback([&globals, slug] { Export(globals, *slug); });
  auto* imp = contest->add_subcommand(
      "import", "Nạp tệp định nghĩa hội thi (mặc định chỉ chạy thử; --apply để ghi)");
  auto path = std::make_shared<std::string>();
  auto apply = std::make_shared<bool>(false);
  imp->add_option("file", *path, "Tệp .toml")->required();
  imp->add_flag("--apply", *apply, "Ghi vào cơ sở dữ liệu (không có: chỉ cho biết sẽ thay đổi gì)");
  imp->callback([&globals, path, apply] { Import(globals, *path, *apply); });
}

}  // namespace hoithi::cli
