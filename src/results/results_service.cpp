// The results service: the draft computed from the other modules, the committee's tie decisions,
// the review and publication of frozen results, and their files (see results_service.hpp).
#include "results/results_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "accounts/auth_service.hpp"
#include "accounts/users.hpp"
#include "core/reason.hpp"
#include "core/sha256.hpp"
#include "core/time_format.hpp"
#include "documents/pdf_writer.hpp"
#include "jobs/queue.hpp"
#include "judging/judging_service.hpp"
#include "results/audit_actions.hpp"
#include "results/certificates_job.hpp"
#include "results/decisions.hpp"
#include "results/exports.hpp"
#include "units/units.hpp"

namespace hoithi::results {
namespace {

using contest::PrizeCategory;
using core::ErrorKind;

/// Taken by every write of the results: one review or publication at a time per contest.
std::string ResultsKey(std::int64_t contest_id) {
  return "results:" + std::to_string(contest_id);
}

bool Follows(const accounts::SignedIn& actor, std::int64_t contest_id) {
  return (actor.role == accounts::Role::kAdmin || actor.role == accounts::Role::kSecretary) &&
         actor.WorksIn(contest_id);
}

int Places(const std::vector<contest::Prize>& prizes, PrizeCategory category) {
  int n = 0;
  for (const auto& p : prizes) {
    if (p.category == category) n += p.quantity;
  }
  return n;
}

/// Candidates in ranking order from (id, unit, score in hundredths), best first: equal scores
/// share a rank.
template <class Row, class Fn>
std::vector<Candidate> Ranked(const std::vector<Row>& rows, Fn key) {
  std::vector<Candidate> out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto [id, unit, score] = key(rows[i]);
    const bool tied = i > 0 && std::get<2>(key(rows[i - 1])) == score;
    out.push_back({id, unit, tied ? out.back().rank : static_cast<std::int64_t>(i) + 1});
  }
  return out;
}

}  // namespace

ResultsService::ResultsService(store::Database& db, quiz::Standings& standings,
                               contest::SettingsService& settings, const core::Clock& clock,
                               std::filesystem::path documents_dir,
                               std::function<void()> wake_worker)
    : db_(db),
      standings_(standings),
      settings_(settings),
      clock_(clock),
      documents_dir_(std::move(documents_dir)),
      wake_worker_(std::move(wake_worker)) {}

core::Result<Draft> ResultsService::Compute(const accounts::SignedIn& actor,
                                            const contest::Contest& contest) {
  if (!Follows(actor, contest.id)) {
    return core::MakeError(ErrorKind::kForbidden, "forbidden",
                           "Chỉ Ban Tổ chức và Tổ Thư ký xem kết quả trước khi công bố.");
  }
  const auto& quiz_rules = contest.quiz_rules();
  Draft d;
  d.rules = contest.settings->results;
  auto lease = db_.Read();
  auto& conn = *lease;
  auto units = units::ListUnits(conn, contest.id);
  if (!units) return std::move(units).error();
  auto activity = standings_.ActivityByUnit(conn, contest.id, quiz_rules);
  if (!activity) return std::move(activity).error();
  auto board = judging::JudgingService::LoadBoard(conn, contest);
  if (!board) return std::move(board).error();
  const auto scores = judging::JudgingService::Aggregate(*board);
  auto prizes = contest::ListPrizes(conn, contest.id);
  if (!prizes) return std::move(prizes).error();
  d.judging_locked = scores.locked;
  d.scales = {quiz_rules.questions_per_attempt, contest::PointsToNumber(scores.rules.Total())};

  // The collective ranking.
  std::map<std::int64_t, const units::Unit*> unit_by_id;
  std::map<std::int64_t, const judging::UnitScore*> video_by_unit;
  for (const auto& s : scores.units)
    video_by_unit[s.unit_id] = &s;
  std::vector<UnitFacts> facts;
  for (const auto& u : *units) {
    unit_by_id[u.id] = &u;
    UnitFacts f{.unit_id = u.id, .headcount = u.headcount};
    if (const auto it = activity->find(u.id); it != activity->end()) {
      f.participants = it->second.participants;
      f.correct = it->second.correct;
    }
    if (const auto it = video_by_unit.find(u.id); it != video_by_unit.end()) {
      f.videos = it->second->videos;
      f.video_score = it->second->score;
    }
    facts.push_back(f);
  }
  for (auto& s : RankUnits(d.rules, d.scales, facts)) {
    const auto* u = unit_by_id.at(s.facts.unit_id);
    d.units.push_back({s, u->code, u->name});
  }
  const auto unit_name = [&](std::int64_t id) {
    const auto it = unit_by_id.find(id);
    return it == unit_by_id.end() ? std::string() : it->second->name;
  };

  // Candidates of each category, and how each is named.
  std::vector<Candidate> collective;
  std::map<std::int64_t, PrizeLine> collective_lines;
  for (const auto& line : d.units) {
    const auto& s = line.standing;
    if (s.total <= 0) continue;  // a unit that took part in nothing wins nothing
    collective.push_back({s.facts.unit_id, s.facts.unit_id, s.rank});
    collective_lines[s.facts.unit_id] = {
        .recipient = line.name,
        .unit_name = line.name,
        .detail = fmt::format("{} điểm", contest::FormatPoints(s.total))};
  }

  std::vector<judging::VideoScore> videos;
  for (const auto& v : scores.videos) {
    if (v.judges > 0 && v.score > 0) videos.push_back(v);
  }
  const auto video_key = [](const judging::VideoScore& v) {
    return std::tuple(v.entry_id, v.unit_id, std::llround(v.score * 100));
  };
  const auto video_candidates = Ranked(videos, video_key);
  std::map<std::int64_t, PrizeLine> video_lines;
  for (const auto& v : videos) {
    const auto* entry = board->FindEntry(v.entry_id);
    video_lines[v.entry_id] = {
        .recipient = entry ? entry->fields.title : std::string(),
        .unit_name = unit_name(v.unit_id),
        .detail = fmt::format("{} điểm", contest::FormatPoints(std::llround(v.score * 100)))};
  }

  const int individual_places = Places(*prizes, PrizeCategory::kIndividual);
  std::vector<Candidate> individual;
  std::map<std::int64_t, PrizeLine> individual_lines;
  if (individual_places > 0) {
    auto top = standings_.Top(conn, contest.id, 0, quiz_rules, individual_places, individual_places,
                              std::nullopt);
    if (!top) return std::move(top).error();
    std::vector<quiz::RankedEntry> entries = top->entries;
    entries.insert(entries.end(), top->tied_beyond_prizes.begin(), top->tied_beyond_prizes.end());
    std::vector<std::int64_t> ids;
    for (const auto& e : entries)
      ids.push_back(e.user_id);
    auto names = accounts::PublicNames(conn, ids);
    if (!names) return std::move(names).error();
    for (const auto& e : entries) {
      if (e.correct <= 0) continue;
      individual.push_back({e.user_id, e.unit_id.value_or(0), e.rank});
      individual_lines[e.user_id] = {.recipient = (*names)[e.user_id].full_name,
                                     .unit_name = unit_name(e.unit_id.value_or(0)),
                                     .detail = fmt::format("{}/{} câu đúng trong {}", e.correct,
                                                           quiz_rules.questions_per_attempt,
                                                           core::FormatDuration(e.duration_ms))};
    }
  }

  // The prizes down each ranking.
  auto stored = ListDecisions(conn, contest.id);
  if (!stored) return std::move(stored).error();
  std::vector<TieDecision> decisions;
  for (const auto& s : *stored)
    decisions.push_back(s.decision);
  struct Category {
    PrizeCategory category;
    const std::vector<Candidate>* candidates;
    std::map<std::int64_t, PrizeLine>* lines;
    int per_unit;
  };
  for (const auto& c : {Category{PrizeCategory::kCollective, &collective, &collective_lines, 0},
                        Category{PrizeCategory::kVideo, &video_candidates, &video_lines,
                                 d.rules.video_prizes_per_unit},
                        Category{PrizeCategory::kIndividual, &individual, &individual_lines, 0}}) {
    const auto allocation =
        AllocatePrizes(c.category, *prizes, *c.candidates, c.per_unit, decisions);
    for (const auto& a : allocation.awards) {
      auto line = c.lines->at(a.id);
      const auto& prize = (*prizes)[a.prize];
      line.category = c.category;
      line.prize = prize.title;
      line.amount_vnd = prize.amount_vnd;
      line.rank = a.rank;
      line.id = a.id;
      line.unit_id = a.unit_id;
      line.by_decision = a.by_decision;
      d.total_vnd += prize.amount_vnd;
      d.prizes.push_back(std::move(line));
    }
    for (const auto& t : allocation.ties) {
      TieLine line{.category = c.category, .rank = t.rank, .ids = t.ids, .decided = t.decided};
      if (t.decided) {
        const std::set<std::int64_t> ids(t.ids.begin(), t.ids.end());
        for (const auto& s : decisions) {
          if (s.category == c.category &&
              std::set<std::int64_t>(s.order.begin(), s.order.end()) == ids) {
            line.reason = s.reason;
          }
        }
      }
      for (auto id : t.ids)
        line.names.push_back(c.lines->at(id).recipient);
      for (int p : t.prizes)
        line.prizes.push_back((*prizes)[p].title);
      d.ties.push_back(std::move(line));
    }
  }

  // What stands in the way of publishing. Judging matters while videos count for something (a
  // weight or a prize): a contest without its video part publishes without a lock.
  const bool videos_count =
      d.rules.weight_video > 0 || std::any_of(prizes->begin(), prizes->end(), [](const auto& p) {
        return p.category == PrizeCategory::kVideo;
      });
  if (videos_count && !d.judging_locked) {
    d.blockers.push_back("Ban Tổ chức chưa khóa việc chấm điểm video.");
  }
  for (const auto& t : d.ties) {
    if (!t.decided) {
      d.blockers.push_back(
          fmt::format("Đồng hạng {} giữa {} ứng viên ở ranh giới giải: Ban Tổ chức cần quyết định.",
                      t.rank, t.ids.size()));
    }
  }
  if (d.rules.weight_participation > 0) {
    std::string names;
    int count = 0;
    for (const auto& line : d.units) {
      if (!line.standing.headcount_problem) continue;
      names += names.empty() ? line.name : ", " + line.name;
      ++count;
    }
    if (count > 0) {
      d.blockers.push_back(fmt::format(
          "Số cán bộ chưa nhập, bằng 0 hoặc ít hơn số người đã dự thi ở {} đơn vị (nhập tại "
          "trang Đơn vị): {}.",
          count, names));
    }
  }
  return d;
}

void ResultsService::SaveRules(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
                               const contest::Contest& contest, contest::ResultsRules rules,
                               core::Callback<contest::ResultsRules> done) {
  if (!actor.Organises(contest.id)) {
    return done(core::MakeError(ErrorKind::kForbidden, "forbidden",
                                "Chỉ Ban Tổ chức thay đổi cách xếp hạng và trao giải."));
  }
  settings_.SaveResultsRules(accounts::ActorOf(actor, client), contest.id, rules, std::move(done));
}

void ResultsService::DecideTie(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
                               const contest::Contest& contest, TieDecision decision,
                               core::Callback<Draft> done) {
  if (!actor.Organises(contest.id)) {
    return done(core::MakeError(ErrorKind::kForbidden, "forbidden",
                                "Chỉ Ban Tổ chức quyết định các trường hợp đồng hạng."));
  }
  const auto invalid = [](std::string field, std::string message) {
    auto e = core::MakeError(ErrorKind::kValidation, "invalid_decision", message, field);
    e.fields = {{e.field, e.message}};
    return e;
  };
  auto reason = core::CleanReason(std::move(decision.reason));
  if (!reason) return done(std::move(reason).error());
  decision.reason = std::move(*reason);
  // The group must be one of the draft's ties now: a decision is never about candidates who
  // are not tied (that would reorder a ranking by hand).
  auto draft = Compute(actor, contest);
  if (!draft) return done(std::move(draft).error());
  const std::set<std::int64_t> ids(decision.order.begin(), decision.order.end());
  const bool matches = ids.size() == decision.order.size() &&
                       std::any_of(draft->ties.begin(), draft->ties.end(), [&](const TieLine& t) {
                         return t.category == decision.category &&
                                std::set<std::int64_t>(t.ids.begin(), t.ids.end()) == ids;
                       });
  if (!matches) {
    return done(invalid("order",
                        "Thứ tự phải gồm đúng và đủ các ứng viên của một nhóm đồng hạng, mỗi "
                        "ứng viên một lần."));
  }
  const auto audit_actor = accounts::ActorOf(actor, client);
  const auto now = clock_.Now();
  const auto by = actor.user_id;
  db_.Write(
      [decision, contest_id = contest.id, audit_actor, now,
       by](store::Connection& c) -> core::Status {
        HOITHI_TRY(SaveDecision(c, contest_id, decision, by, now));
        const nlohmann::json after = {{"category", contest::PrizeCategoryName(decision.category)},
                                      {"order", decision.order},
                                      {"reason", decision.reason}};
        return audit::Record(c, audit_actor,
                             audit::Entry{contest_id, actions::kTieDecide, "contest",
                                          std::to_string(contest_id), std::nullopt, after.dump()},
                             now);
      },
      [this, actor, contest, done](const core::Status& st) {
        if (!st) return done(st.error());
        done(Compute(actor, contest));
      });
}

namespace {

core::Error Blocked(const Draft& d) {
  auto e = core::MakeError(ErrorKind::kConflict, "results_blocked",
                           "Chưa thể công bố kết quả: " + d.blockers.front());
  for (std::size_t i = 0; i < d.blockers.size(); ++i)
    e.fields.emplace_back("blockers[" + std::to_string(i) + "]", d.blockers[i]);
  return e;
}

/// The publication of `draft` as version `version` (its snapshot, export and digest).
Publication Freeze(const Draft& draft, const contest::Contest& contest, int version) {
  Publication p;
  p.contest_id = contest.id;
  p.version = version;
  p.snapshot = SnapshotJson(draft);
  p.export_csv = spreadsheet::WriteCsv(ExportSheet(draft, contest, version));
  p.digest = core::Sha256Hex(p.export_csv);
  return p;
}

}  // namespace

core::Result<Draft> ResultsService::Unblocked(const accounts::SignedIn& actor,
                                              const contest::Contest& contest) {
  auto draft = Compute(actor, contest);
  if (draft && !draft->blockers.empty()) return Blocked(*draft);
  return draft;
}

void ResultsService::Review(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
                            const contest::Contest& contest, core::Callback<Publication> done) {
  if (!Follows(actor, contest.id)) {
    return done(core::MakeError(ErrorKind::kForbidden, "forbidden",
                                "Chỉ Ban Tổ chức và Tổ Thư ký soát xét kết quả."));
  }
  auto draft = Unblocked(actor, contest);
  if (!draft) return done(std::move(draft).error());
  const auto audit_actor = accounts::ActorOf(actor, client);
  const auto now = clock_.Now();
  const auto by = actor.user_id;
  auto saved = std::make_shared<Publication>();
  db_.Write(
      [draft = std::move(*draft), contest, audit_actor, now, by,
       saved](store::Connection& c) -> core::Status {
        HOITHI_TRY(store::LockKey(c, ResultsKey(contest.id)));
        auto existing = ListPublications(c, contest.id);
        if (!existing) return std::move(existing).error();
        auto p = Freeze(draft, contest, NextVersion(*existing));
        p.reviewed_at = now;
        p.reviewed_by = by;
        auto stored = SaveReview(c, std::move(p));
        if (!stored) return std::move(stored).error();
        *saved = std::move(*stored);
        const nlohmann::json after = {{"version", saved->version}, {"digest", saved->digest}};
        return audit::Record(c, audit_actor,
                             audit::Entry{contest.id, actions::kReview, "contest",
                                          std::to_string(contest.id), std::nullopt, after.dump()},
                             now);
      },
      [saved, done](const core::Status& st) {
        if (!st) return done(st.error());
        done(std::move(*saved));
      });
}

void ResultsService::Publish(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
                             const contest::Contest& contest, std::string reason,
                             core::Callback<Publication> done) {
  if (!actor.Organises(contest.id)) {
    return done(
        core::MakeError(ErrorKind::kForbidden, "forbidden", "Chỉ Ban Tổ chức công bố kết quả."));
  }
  auto draft = Unblocked(actor, contest);
  if (!draft) return done(std::move(draft).error());
  const auto audit_actor = accounts::ActorOf(actor, client);
  const auto now = clock_.Now();
  const auto by = actor.user_id;
  auto saved = std::make_shared<Publication>();
  db_.Write(
      [draft = std::move(*draft), contest, audit_actor, now, by, reason,
       saved](store::Connection& c) -> core::Status {
        HOITHI_TRY(store::LockKey(c, ResultsKey(contest.id)));
        auto existing = ListPublications(c, contest.id);
        if (!existing) return std::move(existing).error();
        const Publication* reviewed = nullptr;
        const Publication* published = nullptr;
        for (const auto& p : *existing) {
          if (p.state == PublicationState::kReviewed) reviewed = &p;
          if (p.state == PublicationState::kPublished) published = &p;
        }
        if (!reviewed) {
          return core::MakeError(ErrorKind::kConflict, "not_reviewed",
                                 "Kết quả cần được soát xét trước khi công bố.");
        }
        // What is published is what was reviewed, byte for byte: a change since (a late
        // score, a headcount, a decision) asks for a new review.
        if (Freeze(draft, contest, reviewed->version).digest != reviewed->digest) {
          return core::MakeError(ErrorKind::kConflict, "draft_changed",
                                 "Kết quả đã thay đổi từ lúc soát xét; hãy soát xét lại trước "
                                 "khi công bố.");
        }
        std::string why;
        if (published) {
          auto cleaned = core::CleanReason(reason);
          if (!cleaned) return std::move(cleaned).error();
          why = std::move(*cleaned);
        }
        // The certificates are rendered in the background, one job per publication.
        std::optional<std::int64_t> job;
        if (!draft.prizes.empty()) {
          auto queued =
              jobs::InsertJob(c,
                              {.contest_id = contest.id,
                               .kind = std::string(kCertificatesJobKind),
                               .payload = CertificatesPayload(contest.id, reviewed->version),
                               .created_by = by,
                               .unit_id = std::nullopt,
                               .draft = false,
                               .progress_total = static_cast<int>(draft.prizes.size()),
                               .result = {}},
                              now);
          if (!queued) return std::move(queued).error();
          job = *queued;
        }
        HOITHI_TRY(MarkPublished(c, contest.id, reviewed->id, by, now, why, job));
        *saved = *reviewed;
        saved->state = PublicationState::kPublished;
        saved->published_at = now;
        saved->reason = why;
        saved->certificates_job = job;
        nlohmann::json after = {{"version", saved->version}, {"digest", saved->digest}};
        if (published) {
          after["replaces_version"] = published->version;
          after["reason"] = why;
        }
        return audit::Record(
            c, audit_actor,
            audit::Entry{contest.id, published ? actions::kRepublish : actions::kPublish, "contest",
                         std::to_string(contest.id), std::nullopt, after.dump()},
            now);
      },
      [this, saved, done](const core::Status& st) {
        if (!st) return done(st.error());
        if (saved->certificates_job && wake_worker_) wake_worker_();
        done(std::move(*saved));
      });
}

core::Result<ResultsService::CertificatesProgress> ResultsService::CertificatesOf(
    const Publication& p) {
  using State = CertificatesProgress::State;
  CertificatesProgress out;
  if (!p.certificates_job) return out;
  auto lease = db_.Read();
  auto job = jobs::FindJob(*lease, *p.certificates_job);
  if (!job) return std::move(job).error();
  if (!*job) return out;
  out.done = (*job)->progress_done;
  out.total = (*job)->progress_total;
  switch ((*job)->status) {
    case jobs::Status::kDone:
      out.state = State::kReady;
      out.done = out.total;
      break;
    case jobs::Status::kFailed:
    case jobs::Status::kCancelled:
      out.state = State::kFailed;
      out.error =
          (*job)->error.empty() ? std::string(jobs::StatusLabel((*job)->status)) : (*job)->error;
      break;
    default:
      out.state = State::kPending;
  }
  return out;
}

core::Result<std::vector<Publication>> ResultsService::Publications(
    const accounts::SignedIn* viewer, const contest::Contest& contest) {
  auto lease = db_.Read();
  auto all = ListPublications(*lease, contest.id);
  if (!all) return std::move(all).error();
  const bool staff = viewer && Follows(*viewer, contest.id);
  std::vector<Publication> out;
  for (auto& p : *all) {
    if (p.state != PublicationState::kReviewed || staff) out.push_back(std::move(p));
  }
  return out;
}

core::Result<ResultsService::File> ResultsService::ExportOf(const accounts::SignedIn* viewer,
                                                            const contest::Contest& contest,
                                                            int version, Export kind, int n) {
  auto all = Publications(viewer, contest);
  if (!all) return std::move(all).error();
  const auto found = std::find_if(all->begin(), all->end(),
                                  [&](const Publication& p) { return p.version == version; });
  const auto not_found = [] {
    return core::MakeError(ErrorKind::kNotFound, "not_found",
                           "Không có kết quả đã công bố với số lần này.");
  };
  if (found == all->end()) return not_found();
  const auto& p = *found;
  const auto base = fmt::format("{}-lan-{}", contest.slug, p.version);
  if (kind == Export::kCanonical) {
    return File{p.export_csv, spreadsheet::kCsvContentType, "ket-qua-" + base + ".csv"};
  }
  auto draft = ParseSnapshot(p.snapshot);
  if (!draft) return std::move(draft).error();
  if (kind == Export::kParXlsx || kind == Export::kParCsv) {
    auto file = spreadsheet::Encode(ParSheet(*draft), kind == Export::kParCsv ? "csv" : "xlsx");
    if (!file) return std::move(file).error();
    return File{std::move(file->body), file->content_type,
                "chi-so-cchc-" + base + std::string(file->extension)};
  }
  const auto certificates = Certificates(*draft, contest, p);
  if (kind == Export::kCertificates &&
      (n < 0 || n > static_cast<int>(certificates.size()) || certificates.empty())) {
    return not_found();
  }
  const auto filename = kind == Export::kAnnouncement ? "thong-bao-ket-qua-" + base + ".pdf"
                        : n > 0 ? fmt::format("giay-chung-nhan-{}-{}.pdf", base, n)
                                : "giay-chung-nhan-" + base + ".pdf";
  const auto key = std::tuple(contest.id, p.version, kind, n);
  {
    std::lock_guard lock(rendered_mu_);
    if (const auto it = rendered_.find(key); it != rendered_.end()) {
      return File{*it->second, documents::kPdfContentType, filename};
    }
  }
  core::Result<std::string> pdf =
      kind == Export::kAnnouncement ? documents::RenderPdf(Announcement(*draft, contest, p))
      : n > 0 ? documents::RenderPdf(certificates[static_cast<std::size_t>(n - 1)])
              : RenderedCertificates(p);
  if (!pdf) return std::move(pdf).error();
  {
    std::lock_guard lock(rendered_mu_);
    if (rendered_.size() >= 64) rendered_.clear();  // a bound, never reached in one contest
    rendered_[key] = std::make_shared<const std::string>(*pdf);
  }
  return File{std::move(*pdf), documents::kPdfContentType, filename};
}

core::Result<std::string> ResultsService::RenderedCertificates(const Publication& p) {
  std::ifstream in(CertificatesPath(documents_dir_, p.contest_id, p.version), std::ios::binary);
  if (in) {
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.bad()) return bytes;
  }
  auto progress = CertificatesOf(p);
  if (!progress) return std::move(progress).error();
  using State = CertificatesProgress::State;
  switch (progress->state) {
    case State::kPending:
      return core::MakeError(
          ErrorKind::kConflict, "certificates_pending",
          fmt::format("Giấy chứng nhận đang được tạo ({}/{} trang); vui lòng thử lại sau ít phút.",
                      progress->done, progress->total));
    case State::kFailed:
      return core::MakeError(ErrorKind::kInternal, "certificates_failed",
                             "Chưa tạo được giấy chứng nhận: " + progress->error);
    case State::kReady:  // done, but the file is not here: not on this instance's disk
      return core::MakeError(ErrorKind::kInternal, "certificates_missing",
                             "Không tìm thấy tệp giấy chứng nhận trên máy chủ.");
    case State::kNone:
      break;
  }
  return core::MakeError(ErrorKind::kNotFound, "not_found",
                         "Kết quả này không có giấy chứng nhận.");
}

}  // namespace hoithi::results
