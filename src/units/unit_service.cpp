// UnitService: the writes behind unit administration.
#include "units/unit_service.hpp"

#include <nlohmann/json.hpp>

#include "audit/audit_log.hpp"
#include "units/audit_actions.hpp"

namespace hoithi::units {
namespace {

using core::ErrorKind;
using nlohmann::json;

core::Error UnitNotFound() {
  return core::MakeError(ErrorKind::kNotFound, "not_found", "Không tìm thấy đơn vị.");
}

}  // namespace

std::string UnitAuditJson(const Unit& u) {
  return json{{"code", u.code},
              {"name", u.name},
              {"group", u.group},
              {"headcount", u.headcount ? json(*u.headcount) : json(nullptr)},
              {"contact_name", u.contact_name},
              {"contact_phone", u.contact_phone},
              {"contact_email", u.contact_email}}
      .dump();
}

UnitService::UnitService(store::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

void UnitService::Create(const audit::Actor& actor, std::int64_t contest_id, Unit unit,
                         core::Callback<Unit> done) {
  unit.contest_id = contest_id;
  if (auto st = ValidateUnit(unit); !st) return done(st.error());
  const auto now = clock_.Now();
  db_.Write(
      [=](store::Connection& c) mutable -> core::Status {
        auto existing = FindUnitByCode(c, contest_id, unit.code);
        if (!existing) return std::move(existing).error();
        if (*existing) {
          return core::MakeError(ErrorKind::kConflict, "duplicate_unit",
                                 "Đã có đơn vị với mã " + unit.code + ".", "code");
        }
        auto count =
            store::QueryInt(c, "SELECT COUNT(*) FROM units WHERE contest_id = $1", {contest_id});
        if (!count) return std::move(count).error();
        unit.position = static_cast<int>(count->value_or(0)) + 1;
        auto id = SaveUnit(c, unit, now);
        if (!id) return std::move(id).error();
        return audit::Record(c, actor,
                             audit::Entry{contest_id, actions::kCreate, "unit", unit.code,
                                          std::nullopt, UnitAuditJson(unit)},
                             now);
      },
      [unit, done](const core::Status& st) {
        if (!st) return done(st.error());
        done(unit);
      });
}

void UnitService::Update(const audit::Actor& actor, std::int64_t contest_id, Unit unit,
                         core::Callback<Unit> done) {
  unit.contest_id = contest_id;
  if (auto st = ValidateUnit(unit); !st) return done(st.error());
  const auto now = clock_.Now();
  db_.Write(
      [=](store::Connection& c) mutable -> core::Status {
        auto existing = FindUnitByCode(c, contest_id, unit.code);
        if (!existing) return std::move(existing).error();
        if (!*existing) return UnitNotFound();
        unit.position = (*existing)->position;
        auto id = SaveUnit(c, unit, now);
        if (!id) return std::move(id).error();
        return audit::Record(c, actor,
                             audit::Entry{contest_id, actions::kUpdate, "unit", unit.code,
                                          UnitAuditJson(**existing), UnitAuditJson(unit)},
                             now);
      },
      [unit, done](const core::Status& st) {
        if (!st) return done(st.error());
        done(unit);
      });
}

void UnitService::Delete(const audit::Actor& actor, std::int64_t contest_id,
                         const std::string& code, std::function<void(core::Status)> done) {
  const auto now = clock_.Now();
  db_.Write(
      [=, this](store::Connection& c) -> core::Status {
        auto existing = FindUnitByCode(c, contest_id, code);
        if (!existing) return std::move(existing).error();
        if (!*existing) return UnitNotFound();
        for (const auto& check : usage_checks_) {
          auto used = check(c, (*existing)->id);
          if (!used) return std::move(used).error();
          if (*used) return core::MakeError(ErrorKind::kConflict, "unit_in_use", **used);
        }
        HOITHI_TRY(DeleteUnit(c, (*existing)->id));
        return audit::Record(c, actor,
                             audit::Entry{contest_id, actions::kDelete, "unit", code,
                                          UnitAuditJson(**existing), std::nullopt},
                             now);
      },
      [done](const core::Status& st) { done(st); });
}

void UnitService::Import(const audit::Actor& actor, std::int64_t contest_id, std::string_view file,
                         bool dry_run, bool skip_invalid,
                         std::function<void(core::Status, spreadsheet::ImportReport)> done) {
  spreadsheet::ImportReport outcome;
  auto table = spreadsheet::ReadTable(file);
  if (!table) return done(table.error(), outcome);
  auto rows = ReadUnitTable(*table);
  if (!rows) return done(rows.error(), outcome);
  std::vector<Unit> good;
  for (const auto& r : *rows) {
    if (r.errors.empty()) {
      good.push_back(r.unit);
    } else {
      for (const auto& e : r.errors)
        outcome.rejected.emplace_back(r.row, e);
    }
  }
  outcome.rows = static_cast<int>(rows->size());
  outcome.valid = static_cast<int>(good.size());
  if (dry_run) return done(core::Ok(), outcome);
  if (!outcome.rejected.empty() && !skip_invalid) {
    const auto bad = static_cast<int>(rows->size() - good.size());
    return done(core::MakeError(ErrorKind::kValidation, "invalid_rows",
                                "Tệp có " + std::to_string(bad) +
                                    " dòng lỗi; chưa nhập dòng nào. Hãy sửa tệp, hoặc chọn bỏ qua "
                                    "các dòng lỗi.",
                                "file"),
                outcome);
  }
  const auto now = clock_.Now();
  db_.Write(
      [=](store::Connection& c) -> core::Status {
        for (auto u : good) {
          u.contest_id = contest_id;
          auto existing = FindUnitByCode(c, contest_id, u.code);
          if (!existing) return std::move(existing).error();
          // A list without headcounts keeps the ones already set (by rosters, say).
          if (*existing && !u.headcount) u.headcount = (*existing)->headcount;
          auto id = SaveUnit(c, u, now);
          if (!id) return std::move(id).error();
        }
        return audit::Record(
            c, actor,
            audit::Entry{contest_id, actions::kImport, "contest", std::to_string(contest_id),
                         std::nullopt, json{{"saved", good.size()}}.dump()},
            now);
      },
      [outcome, done](const core::Status& st) mutable {
        if (st) outcome.saved = outcome.valid;
        done(st, outcome);
      });
}

}  // namespace hoithi::units
