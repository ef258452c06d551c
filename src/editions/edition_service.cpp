// EditionService: a contest file applied (or checked), an edition copied, an edition exported.
#include "editions/edition_service.hpp"

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "contest/contest_service.hpp"
#include "editions/audit_actions.hpp"

namespace hoithi::editions {
namespace {

using nlohmann::json;

core::Error SlugTaken() {
  auto e = core::MakeError(core::ErrorKind::kValidation, "slug_taken",
                           "Mã hội thi này đã được dùng; hãy chọn mã khác.", "slug");
  e.fields = {{e.field, e.message}};
  return e;
}

/// The units of the contest by code.
core::Result<std::map<std::string, units::Unit>> UnitsByCode(store::Connection& c,
                                                             std::int64_t contest_id) {
  std::map<std::string, units::Unit> out;
  auto list = units::ListUnits(c, contest_id);
  if (!list) return std::move(list).error();
  for (auto& u : *list)
    out.emplace(u.code, std::move(u));
  return out;
}

/// Fills the unit counts of `report` for `d` against what the install holds.
core::Status Compare(store::Connection& c, const Definition& d, ImportReport& report) {
  auto existing = contest::FindContestBySlug(c, d.contest.slug);
  if (!existing) return std::move(existing).error();
  report.creates_contest = !*existing;
  report.prizes = static_cast<int>(d.prizes.size());
  report.rounds = static_cast<int>(d.rounds.size());
  std::map<std::string, units::Unit> stored;
  if (*existing) {
    report.contest_id = (*existing)->id;
    auto by_code = UnitsByCode(c, (*existing)->id);
    if (!by_code) return std::move(by_code).error();
    stored = std::move(*by_code);
  }
  std::set<std::string> in_file;
  for (const auto& u : d.units) {
    in_file.insert(u.code);
    (stored.count(u.code) ? report.units_updated : report.units_added)++;
  }
  for (const auto& [code, u] : stored) {
    if (!in_file.count(code)) report.units_not_in_file.push_back(code);
  }
  return core::Ok();
}

std::string ReportJson(const ImportReport& r, const std::string& slug) {
  return json{
      {"slug", slug},       {"created", r.creates_contest}, {"prizes", r.prizes},
      {"rounds", r.rounds}, {"units_added", r.units_added}, {"units_updated", r.units_updated}}
      .dump();
}

}  // namespace

EditionService::EditionService(store::Database& db, contest::CurrentContestCache& current,
                               const core::Clock& clock)
    : db_(db), current_(current), clock_(clock) {}

void EditionService::Import(const audit::Actor& actor, Definition d, bool apply,
                            core::Callback<ImportReport> done) {
  if (!apply) {
    ImportReport report;
    auto lease = db_.Read();
    if (auto st = Compare(*lease, d, report); !st) return done(st.error());
    return done(report);
  }
  const auto now = clock_.Now();
  auto report = std::make_shared<ImportReport>();
  report->dry_run = false;
  db_.Write(
      [report, d = std::move(d), actor, now](store::Connection& c) mutable -> core::Status {
        HOITHI_TRY(store::LockKey(c, "contest-slug:" + d.contest.slug));
        HOITHI_TRY(Compare(c, d, *report));
        auto id = contest::SaveContest(c, d.contest, now);
        if (!id) return std::move(id).error();
        report->contest_id = *id;
        d.contest.id = *id;
        HOITHI_TRY(contest::ReplacePrizes(c, *id, d.prizes));
        HOITHI_TRY(contest::SaveRounds(c, d.contest, d.rounds, actor, now));
        for (auto u : d.units) {
          u.contest_id = *id;
          auto saved = units::SaveUnit(c, u, now);
          if (!saved) return std::move(saved).error();
        }
        return audit::Record(c, actor,
                             audit::Entry{*id, actions::kImport, "contest", std::to_string(*id),
                                          std::nullopt, ReportJson(*report, d.contest.slug)},
                             now);
      },
      [this, report, done](const core::Status& st) {
        if (!st) return done(st.error());
        current_.Invalidate();
        done(*report);
      });
}

void EditionService::Copy(const audit::Actor& actor, std::int64_t from_id, CopyRequest request,
                          core::Callback<contest::Contest> done) {
  const auto now = clock_.Now();
  auto saved = std::make_shared<contest::Contest>();
  db_.Write(
      [saved, actor, from_id, request, now](store::Connection& c) -> core::Status {
        auto from = LoadDefinition(c, from_id);
        if (!from) return std::move(from).error();
        Definition d = std::move(*from);
        const auto shift = request.opens_at - d.contest.schedule.opens_at;
        auto& ct = d.contest;
        ct.id = 0;
        ct.slug = request.slug;
        ct.name = request.name;
        ct.archived_at.reset();
        ct.schedule.opens_at = request.opens_at;
        ct.schedule.closes_at = request.closes_at;
        if (ct.schedule.video_closes_at) *ct.schedule.video_closes_at += shift;
        if (ct.schedule.results_due_at) *ct.schedule.results_due_at += shift;
        // The rules carry over; what belonged to last year's running contest does not.
        auto settings = *ct.settings;
        settings.quiz.results_published = false;
        settings.quiz.paused = false;
        settings.quiz.prediction.answer.reset();
        if (settings.quiz.frozen_at) *settings.quiz.frozen_at += shift;
        ct.settings = std::make_shared<const contest::Settings>(std::move(settings));
        HOITHI_TRY(contest::Validate(ct));
        auto id = contest::InsertContest(c, ct, now);
        if (!id) {
          if (store::IsDuplicate(id.error())) return SlugTaken();
          return std::move(id).error();
        }
        ct.id = *id;
        HOITHI_TRY(contest::ReplacePrizes(c, *id, d.prizes));
        for (auto& round : d.rounds) {
          round.opens_at += shift;
          round.closes_at += shift;
        }
        HOITHI_TRY(contest::SaveRounds(c, ct, d.rounds, actor, now));
        for (auto u : d.units) {
          u.contest_id = *id;
          auto unit = units::SaveUnit(c, u, now);
          if (!unit) return std::move(unit).error();
        }
        *saved = ct;
        return audit::Record(
            c, actor,
            audit::Entry{*id, actions::kCopy, "contest", std::to_string(*id), std::nullopt,
                         json{{"from", from_id},
                              {"slug", ct.slug},
                              {"units", d.units.size()},
                              {"prizes", d.prizes.size()},
                              {"rounds", d.rounds.size()}}
                             .dump()},
            now);
      },
      [this, saved, done](const core::Status& st) {
        if (!st) return done(st.error());
        current_.Invalidate();
        done(*saved);
      });
}

core::Result<std::string> EditionService::Export(std::int64_t contest_id) {
  auto lease = db_.Read();
  auto d = LoadDefinition(*lease, contest_id);
  if (!d) return std::move(d).error();
  return WriteDefinition(*d);
}

}  // namespace hoithi::editions
