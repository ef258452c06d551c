// `hoithi seed-demo`: the 2021 Sóc Trăng contest as its plan describes it (schedule, prizes of
// section V, the 46 units), the demo question bank and one demo account per role. Idempotent:
// running it again updates the contest and adds only what is missing. With --participants N, also
// N demo participants (phones 0960000000 upwards) for rehearsals and `make bench`.
#include <fmt/format.h>

#include <iostream>

#include "accounts/password.hpp"
#include "accounts/users.hpp"
#include "audit/audit_log.hpp"
#include "cli/database.hpp"
#include "contest/audit_actions.hpp"
#include "contest/contest.hpp"
#include "core/assets.hpp"
#include "core/csv.hpp"
#include "core/time_format.hpp"
#include "editions/definition.hpp"
#include "quiz/questions.hpp"
#include "units/units.hpp"

namespace hoithi::cli {
namespace {

constexpr std::string_view kDemoPassword = "hoithi-demo-2021";

struct DemoAccount {
  std::string_view login;
  accounts::Role role;
  std::string_view unit_code;  // empty: none
  std::string_view full_name;
  std::string_view position;
  bool global;  // install-wide administrator
};

// Documented in README.md ("Demo accounts"); keep the two in step.
constexpr DemoAccount kDemoAccounts[] = {
    {"admin", accounts::Role::kAdmin, "", "Quản trị hệ thống (demo)", "", true},
    {"btc", accounts::Role::kAdmin, "so-noi-vu", "Lê Thị Tổ Chức (Ban Tổ chức, demo)",
     "Trưởng phòng Cải cách hành chính", false},
    {"thuky", accounts::Role::kSecretary, "so-noi-vu", "Trần Thư Ký (demo)", "Chuyên viên", false},
    {"giamkhao", accounts::Role::kJudge, "", "Phạm Giám Khảo (demo)", "Giám khảo", false},
    {"daumoi.kesach", accounts::Role::kFocalPoint, "ubnd-huyen-ke-sach",
     "Võ Đầu Mối (UBND huyện Kế Sách, demo)", "Chuyên viên Văn phòng HĐND và UBND", false},
    {"0912345678", accounts::Role::kParticipant, "so-noi-vu", "Nguyễn Văn An", "Chuyên viên",
     false},
};

/// The plan's contest as the demo's contest file (demo/contest.toml) describes it; with
/// `open_now`, its schedule moved to open from the start of the current minute for 30 days (the
/// video deadline with the close, the results 30 days later), so a newcomer can take part now.
core::Result<editions::Definition> DemoDefinition(const core::Clock& clock, bool open_now) {
  const auto text = core::FindAsset("demo/contest.toml");
  if (!text) return store::InternalError("demo/contest.toml is not embedded");
  auto d = editions::ReadDefinition(*text);
  if (!d) return store::InternalError("demo/contest.toml: " + d.error().message);
  if (open_now) {
    auto& s = d->contest.schedule;
    const auto now = std::chrono::floor<std::chrono::minutes>(clock.Now());
    s.opens_at = core::TimePoint(now);
    s.closes_at = s.opens_at + std::chrono::days(30);
    s.video_closes_at = s.closes_at;
    s.results_due_at = s.closes_at + std::chrono::days(30);
  }
  return d;
}

struct SeedReport {
  std::int64_t contest_id = 0;
  int units = 0;
  int questions_added = 0;
  int accounts_added = 0;
};

core::Result<SeedReport> SeedDemo(store::Database& db, const accounts::PasswordCost& cost,
                                  const core::Clock& clock, bool open_now) {
  auto definition = DemoDefinition(clock, open_now);
  if (!definition) return std::move(definition).error();
  const auto& units = definition->units;
  const auto bank_csv = core::FindAsset("demo/questions.csv");
  if (!bank_csv) return store::InternalError("demo/questions.csv is not embedded");
  auto bank = quiz::ReadQuestionCsv(*bank_csv);
  if (!bank) return std::move(bank).error();

  // Hash before the write: hashing is slow and must not hold the committer.
  auto hash = accounts::HashPassword(kDemoPassword, cost);
  if (!hash) return std::move(hash).error();

  const auto& contest = definition->contest;
  SeedReport report;
  const auto now = clock.Now();
  auto st = db.WriteAndWait([&](store::Connection& conn) -> core::Status {
    report = SeedReport{};
    auto contest_id = contest::SaveContest(conn, contest, now);
    if (!contest_id) return std::move(contest_id).error();
    report.contest_id = *contest_id;
    HOITHI_TRY(contest::ReplacePrizes(conn, *contest_id, definition->prizes));

    for (auto u : units) {
      u.contest_id = *contest_id;
      auto existing = units::FindUnitByCode(conn, *contest_id, u.code);
      if (!existing) return std::move(existing).error();
      if (*existing) {  // keep what organisers have set since (headcount, contacts)
        u.headcount = (*existing)->headcount;
        u.contact_name = (*existing)->contact_name;
        u.contact_phone = (*existing)->contact_phone;
        u.contact_email = (*existing)->contact_email;
      }
      auto id = units::SaveUnit(conn, u, now);
      if (!id) return std::move(id).error();
      ++report.units;
    }

    for (const auto& row : *bank) {
      if (!row.errors.empty()) {
        return store::InternalError(
            fmt::format("demo/questions.csv row {}: {}", row.row, row.errors.front()));
      }
      auto exists = quiz::QuestionExists(conn, *contest_id, row.draft.text);
      if (!exists) return std::move(exists).error();
      if (*exists) continue;
      auto id = quiz::InsertQuestion(conn, *contest_id, row.draft, now, std::nullopt);
      if (!id) return std::move(id).error();
      ++report.questions_added;
    }

    for (const auto& a : kDemoAccounts) {
      const std::optional<std::int64_t> scope =
          a.global ? std::nullopt : std::optional<std::int64_t>(*contest_id);
      auto existing = accounts::FindUserByLogin(conn, scope, a.login);
      if (!existing) return std::move(existing).error();
      if (*existing) continue;
      accounts::NewUser u;
      u.contest_id = scope;
      u.login = std::string(a.login);
      u.password_hash = *hash;
      u.role = a.role;
      u.full_name = std::string(a.full_name);
      u.position = std::string(a.position);
      if (a.role == accounts::Role::kParticipant) u.phone = std::string(a.login);
      if (!a.unit_code.empty()) {
        auto unit = units::FindUnitByCode(conn, *contest_id, a.unit_code);
        if (!unit) return std::move(unit).error();
        if (*unit) u.unit_id = (*unit)->id;
      }
      auto id = accounts::InsertUser(conn, u, now);
      if (!id) return std::move(id).error();
      if (!*id) return accounts::LoginTaken();
      ++report.accounts_added;
    }
    return audit::Record(
        conn, audit::Actor::Cli(),
        audit::Entry{*contest_id, contest::actions::kSeedDemo, "contest",
                     std::to_string(*contest_id), std::nullopt,
                     std::string("{\"open_now\":") + (open_now ? "true" : "false") + "}"},
        now);
  });
  if (!st) return std::move(st).error();
  return report;
}

/// Demo participant i: phone and login 096xxxxxxx (the load generator's numbering, bench/load.cpp).
std::string DemoParticipantPhone(int i) {
  return fmt::format("096{:07d}", i);
}

/// Adds the demo participants 0..count-1 that are missing, spread over the units in turn. One
/// hash for all (the demo password): hashing 100,000 passwords would take half an hour.
core::Result<int> SeedParticipants(store::Database& db, const accounts::PasswordCost& cost,
                                   const core::Clock& clock, std::int64_t contest_id, int count) {
  auto hash = accounts::HashPassword(kDemoPassword, cost);
  if (!hash) return std::move(hash).error();
  std::vector<std::int64_t> unit_ids;
  {
    auto lease = db.Read();
    auto units = units::ListUnits(*lease, contest_id);
    if (!units) return std::move(units).error();
    for (const auto& u : *units)
      unit_ids.push_back(u.id);
  }
  if (unit_ids.empty()) return store::InternalError("the demo contest has no units");
  int added = 0;
  constexpr int kBatch = 5000;  // one transaction each: bounded memory, progress survives a stop
  for (int from = 0; from < count; from += kBatch) {
    auto st = db.WriteAndWait([&](store::Connection& conn) -> core::Status {
      const auto now = clock.Now();
      for (int i = from; i < std::min(count, from + kBatch); ++i) {
        accounts::NewUser u;
        u.contest_id = contest_id;
        u.phone = u.login = DemoParticipantPhone(i);
        auto existing = accounts::FindUserByLogin(conn, contest_id, u.login);
        if (!existing) return std::move(existing).error();
        if (*existing) continue;
        u.password_hash = *hash;
        u.full_name = fmt::format("Thí Sinh Thử {}", i + 1);
        u.position = "Chuyên viên";
        u.unit_id = unit_ids[static_cast<std::size_t>(i) % unit_ids.size()];
        auto id = accounts::InsertUser(conn, u, now);
        if (!id) return std::move(id).error();
        if (!*id) return accounts::LoginTaken();
        ++added;
      }
      return core::Ok();
    });
    if (!st) return std::move(st).error();
  }
  return added;
}

}  // namespace

void AddSeedDemoCommand(CLI::App& app, Globals& globals) {
  auto* cmd = app.add_subcommand(
      "seed-demo",
      "Tạo hội thi mẫu \"Hội thi trực tuyến Cải cách hành chính tỉnh Sóc Trăng năm 2021\" "
      "(lịch, giải thưởng, 46 đơn vị, ngân hàng câu hỏi mẫu, tài khoản mẫu). Chạy lại không "
      "tạo trùng");
  auto open_now = std::make_shared<bool>(false);
  cmd->add_flag("--open-now", *open_now,
                "Dời lịch để hội thi mở từ bây giờ trong 30 ngày (để dùng thử ngay)");
  auto participants = std::make_shared<int>(0);
  cmd->add_option("--participants", *participants,
                  "Thêm N thí sinh mẫu (số điện thoại 0960000000 trở đi, mật khẩu mẫu) để diễn "
                  "tập và đo hiệu năng")
      ->check(CLI::Range(0, 10'000'000));
  cmd->callback([&globals, open_now, participants] {
    auto config = LoadConfigOrReport(globals);
    if (!config) return;
    auto db = OpenDatabaseOrReport(*config, globals, nullptr);
    if (!db) return;
    accounts::InitCrypto();
    core::SystemClock clock;
    auto report = SeedDemo(*db, PasswordCostFrom(*config), clock, *open_now);
    if (!report) {
      ReportError(report.error());
      globals.exit_code = kExitFailure;
      return;
    }
    std::cout << fmt::format(
        "Đã tạo hội thi mẫu (mã cchc-soc-trang-2021{}): {} đơn vị, thêm {} câu hỏi, thêm {} tài "
        "khoản mẫu. Mật khẩu các tài khoản mẫu: {}\n",
        *open_now ? ", mở từ bây giờ trong 30 ngày" : "", report->units, report->questions_added,
        report->accounts_added, kDemoPassword);
    if (*participants > 0) {
      auto added = SeedParticipants(*db, PasswordCostFrom(*config), clock, report->contest_id,
                                    *participants);
      if (!added) {
        ReportError(added.error());
        globals.exit_code = kExitFailure;
        return;
      }
      std::cout << fmt::format("Đã thêm {} thí sinh mẫu (có {} thí sinh mẫu).\n", *added,
                               *participants);
    }
  });
}

}  // namespace hoithi::cli
