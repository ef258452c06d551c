// The judge's queue and scoring page, and the organisers' judging board.
#include "web/judging_pages.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "core/text.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/error_status.hpp"
#include "http/forms.hpp"
#include "units/units.hpp"
#include "video/media.hpp"
#include "web/video_pages.hpp"

namespace hoithi::web {
namespace {

using accounts::Role;
using http::Access;
using http::Method;
using http::Who;
using kainjow::mustache::list;

constexpr char kQueueUrl[] = "/cham-diem";
constexpr char kBoardUrl[] = "/quan-tri/cham-diem";

std::string SheetUrl(std::int64_t id) {
  return std::string(kQueueUrl) + "/" + std::to_string(id);
}

/// A badge's look for a judge's state with a video.
std::string_view StateTone(judging::CellState s) {
  switch (s) {
    case judging::CellState::kSubmitted:
      return "ok";
    case judging::CellState::kDraft:
      return "busy";
    case judging::CellState::kAbstained:
      return "idle";
    case judging::CellState::kNotStarted:
      return "bad";
  }
  return "idle";
}

/// "86,18": a score as a Vietnamese reader writes it, to two decimals at most.
std::string ScoreText(double points) {
  return contest::FormatPoints(static_cast<contest::Points>(std::llround(points * 100.0)));
}

core::Result<std::map<std::int64_t, units::Unit>> Units(const JudgingPageDeps& deps,
                                                        std::int64_t contest_id) {
  auto lease = deps.db.Read();
  return units::UnitsById(*lease, contest_id);
}

/// A number a judge typed: "7,5" or "7.5"; "" is no value (absent from the map).
std::optional<double> ParseNumber(const std::string& text) {
  std::string s = text;
  for (auto& c : s) {
    if (c == ',') c = '.';
  }
  if (s.empty() || s.size() > 12) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// --- the judge ---------------------------------------------------------------------------------

void QueuePage(const JudgingPageDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto items = deps.judging.Queue(Who(req), *contest);
  if (!items) return res.SendError(items.error());
  const auto& rules = contest->settings->judging;
  list rows;
  int done = 0;
  for (const auto& item : *items) {
    Data x;
    x.set("url", SheetUrl(item.entry.id));
    x.set("title", item.entry.fields.title);
    x.set("form_label", std::string(video::FormLabel(item.entry.fields.form)));
    if (item.entry.duration_ms) {
      x.set("duration",
            video::media::FormatDuration(static_cast<double>(*item.entry.duration_ms) / 1000));
    }
    x.set("state", std::string(judging::CellStateLabel(item.state)));
    x.set("tone", std::string(StateTone(item.state)));
    x.set("poster_url", "/api/v1/judging/videos/" + std::to_string(item.entry.id) + "/poster");
    if (item.sheet && item.state != judging::CellState::kAbstained) {
      x.set("total", contest::FormatPoints(judging::SheetTotal(*item.sheet, rules)));
    }
    done += item.state == judging::CellState::kSubmitted ||
            item.state == judging::CellState::kAbstained;
    rows.push_back(x);
  }
  Data d;
  d.set("items", rows);
  d.set("has_items", !rows.empty());
  d.set("done", std::to_string(done));
  d.set("count", std::to_string(items->size()));
  d.set("all_done", done == static_cast<int>(items->size()) && !items->empty());
  d.set("total", contest::FormatPoints(rules.Total()));
  d.set("has_rubric", !rules.criteria.empty());
  d.set("blind", rules.blind);
  const auto done_param = req.QueryParam("xong");
  if (done_param == "nop")
    d.set("notice",
          "Đã nộp phiếu chấm. Bạn vẫn sửa được cho đến khi Ban Tổ chức khóa việc chấm điểm.");
  if (done_param == "nhap") d.set("notice", "Đã lưu bản nháp phiếu chấm.");
  if (done_param == "khong-cham")
    d.set("notice", "Đã ghi nhận bạn xin không chấm video này; Ban Tổ chức sẽ xem lý do.");
  res.Send(PageResponse(deps, req, 200, "judging_queue", d, "Chấm điểm video"));
}

/// The scoring page, with what the judge typed and the errors when a save was refused.
void RenderSheet(const JudgingPageDeps& deps, const http::Request& req, const http::Responder& res,
                 const contest::Contest& contest, const judging::QueueItem& item, int status,
                 const std::map<std::string, std::string>* typed, const std::string* comment,
                 const core::Error* error) {
  const auto& rules = contest.settings->judging;
  const auto& e = item.entry;
  const auto id = std::to_string(e.id);
  const bool locked = item.locked;
  Data d;
  d.set("csrf", http::ViewerOf(req).CsrfToken());
  d.set("action", SheetUrl(e.id));
  d.set("title", e.fields.title);
  SetIfPresent(d, "description", e.fields.description);
  d.set("form_label", std::string(video::FormLabel(e.fields.form)));
  d.set("themes", ThemesText(e.fields.themes));
  d.set("video_url", "/api/v1/judging/videos/" + id + "/video");
  d.set("poster_url", "/api/v1/judging/videos/" + id + "/poster");
  d.set("original_url", "/api/v1/judging/videos/" + id + "/original");
  if (e.duration_ms) {
    d.set("duration", video::media::FormatDuration(static_cast<double>(*e.duration_ms) / 1000));
  }
  if (!rules.blind) {
    auto units = Units(deps, contest.id);
    if (!units) return res.SendError(units.error());
    const auto unit = units->find(e.unit_id);
    d.set("unit_name", unit != units->end() ? unit->second.name : std::string());
    SetCredits(d, e.fields.credits);
  }
  d.set("blind", rules.blind);
  d.set("state", std::string(judging::CellStateLabel(item.state)));
  d.set("tone", std::string(StateTone(item.state)));
  d.set("abstained", item.state == judging::CellState::kAbstained);
  if (item.sheet) SetIfPresent(d, "abstain_reason", item.sheet->abstain_reason);
  d.set("locked", locked);
  d.set("editable", !locked && !rules.criteria.empty());
  d.set("step", contest::FormatPoints(rules.step));
  d.set("max_total", contest::FormatPoints(rules.Total()));
  list criteria;
  for (const auto& c : rules.criteria) {
    Data x;
    x.set("key", c.key);
    x.set("name", c.name);
    SetIfPresent(x, "description", c.description);
    x.set("max", contest::FormatPoints(c.max));
    std::string value;
    if (typed) {
      if (const auto it = typed->find(c.key); it != typed->end()) value = it->second;
    } else if (item.sheet) {
      if (const auto it = item.sheet->points.find(c.key); it != item.sheet->points.end()) {
        value = contest::FormatPoints(it->second);
      }
    }
    x.set("value", value);
    if (error) {
      for (const auto& [field, message] : error->fields) {
        if (field == "points." + c.key) x.set("error", message);
      }
    }
    criteria.push_back(x);
  }
  d.set("criteria", criteria);
  if (item.sheet && item.state != judging::CellState::kAbstained) {
    d.set("sheet_total", contest::FormatPoints(judging::SheetTotal(*item.sheet, rules)));
  }
  d.set("comment", comment ? *comment : (item.sheet ? item.sheet->comment : std::string()));
  if (error) {
    SetFormErrors(d, *error);
    d.set("has_errors", true);
  }
  res.Send(PageResponse(deps, req, status, "judging_sheet", d, "Chấm điểm — " + e.fields.title));
}

void SheetPage(const JudgingPageDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto item = deps.judging.ForJudge(Who(req), *contest, req.IdParam("id").value_or(0));
  if (!item) return res.SendError(item.error());
  RenderSheet(deps, req, res, *contest, *item, 200, nullptr, nullptr, nullptr);
}

void SaveSheet(const JudgingPageDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  const auto id = req.IdParam("id").value_or(0);
  auto item = deps.judging.ForJudge(Who(req), *contest, id);
  if (!item) return res.SendError(item.error());
  const auto fields = http::UrlEncodedFields(req);
  judging::SheetInput input;
  std::map<std::string, std::string> typed;
  for (const auto& c : contest->settings->judging.criteria) {
    const auto text = http::FieldValue(fields, "c_" + c.key);
    typed[c.key] = text;
    if (!text.empty()) input.points[c.key] = ParseNumber(text);
  }
  input.comment = http::FieldValue(fields, "comment");
  const bool submit = http::FieldValue(fields, "action") == "submit";
  deps.judging.Save(Who(req), http::ClientOf(req), *contest, id, input, submit,
                    [deps, req = &req, res, contest = *contest, item = *item, typed,
                     comment = input.comment, submit](core::Result<judging::Sheet> r) {
                      if (r) {
                        return res.Send(http::Response::Redirect(
                            std::string(kQueueUrl) + (submit ? "?xong=nop" : "?xong=nhap")));
                      }
                      const auto& e = r.error();
                      if (e.kind != core::ErrorKind::kValidation) return res.SendError(e);
                      RenderSheet(deps, *req, res, contest, item, 422, &typed, &comment, &e);
                    });
}

void Abstain(const JudgingPageDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  const auto id = req.IdParam("id").value_or(0);
  auto item = deps.judging.ForJudge(Who(req), *contest, id);
  if (!item) return res.SendError(item.error());
  const auto reason = http::FieldValue(http::UrlEncodedFields(req), "reason");
  deps.judging.Abstain(
      Who(req), http::ClientOf(req), *contest, id, reason,
      [deps, req = &req, res, contest = *contest, item = *item](core::Result<judging::Sheet> r) {
        if (r) {
          return res.Send(http::Response::Redirect(std::string(kQueueUrl) + "?xong=khong-cham"));
        }
        const auto& e = r.error();
        if (e.kind != core::ErrorKind::kValidation) return res.SendError(e);
        RenderSheet(deps, *req, res, contest, item, 422, nullptr, nullptr, &e);
      });
}

// --- the organisers ----------------------------------------------------------------------------

void BoardPage(const JudgingPageDeps& deps, http::Request& req, http::Responder res,
               int status = 200, const core::Error* error = nullptr) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  const auto& who = Who(req);
  auto board = deps.judging.Progress(who, *contest);
  if (!board) return res.SendError(board.error());
  auto standing = deps.judging.Scores(who, *contest);
  if (!standing) return res.SendError(standing.error());
  auto units = Units(deps, contest->id);
  if (!units) return res.SendError(units.error());
  const auto unit_name = [&](std::int64_t id) {
    const auto it = units->find(id);
    return it != units->end() ? it->second.name : std::string();
  };
  Data d;
  d.set("csrf", http::ViewerOf(req).CsrfToken());
  const auto& rules = board->rules;
  d.set("has_rubric", !rules.criteria.empty());
  d.set("total", contest::FormatPoints(rules.Total()));
  d.set("step", contest::FormatPoints(rules.step));
  d.set("method", std::string(contest::AggregationLabel(rules.aggregation)));
  d.set("unit_rule", rules.unit_score == contest::UnitVideoScore::kBest
                         ? "Điểm video của đơn vị là điểm video cao nhất của đơn vị."
                         : "Điểm video của đơn vị là trung bình điểm các video của đơn vị.");
  d.set("blind", rules.blind);
  d.set("explicit", rules.assignment == contest::Assignment::kExplicit);
  list criteria;
  for (const auto& c : rules.criteria) {
    Data x;
    x.set("name", c.name);
    x.set("max", contest::FormatPoints(c.max));
    SetIfPresent(x, "description", c.description);
    criteria.push_back(x);
  }
  d.set("criteria", criteria);
  list judges;
  for (const auto& j : board->judges) {
    Data x;
    x.set("name", j.full_name);
    x.set("sheet_url", "/api/v1/judging/export/judges/" + std::to_string(j.id));
    if (j.unit_id) x.set("unit_name", unit_name(*j.unit_id));
    judges.push_back(x);
  }
  d.set("judges", judges);
  d.set("judge_count", std::to_string(board->judges.size()));
  d.set("video_count", std::to_string(board->entries.size()));
  list rows;
  for (const auto& e : board->entries) {
    Data x;
    x.set("title", e.fields.title);
    x.set("unit_name", unit_name(e.unit_id));
    list cells;
    for (const auto& j : board->judges) {
      const judging::Pair pair{j.id, e.id};
      Data c;
      c.set("judge", j.full_name);
      if (board->conflicts.contains(pair)) {
        c.set("label", "Cùng đơn vị");
        c.set("tone", "idle");
      } else if (!board->assigned.contains(pair)) {
        c.set("label", "Không phân công");
        c.set("tone", "idle");
      } else {
        const auto state = board->StateOf(pair);
        c.set("label", std::string(judging::CellStateLabel(state)));
        c.set("tone", std::string(StateTone(state)));
        if (const auto it = board->sheets.find(pair); it != board->sheets.end()) {
          if (state == judging::CellState::kAbstained) {
            SetIfPresent(c, "reason", it->second.abstain_reason);
          } else {
            c.set("total", contest::FormatPoints(judging::SheetTotal(it->second, rules)));
          }
        }
      }
      cells.push_back(c);
    }
    x.set("cells", cells);
    rows.push_back(x);
  }
  d.set("rows", rows);
  d.set("has_rows", !rows.empty());
  // The assignment grid (explicit assignment): a checkbox per judge and video, none for a
  // judge's own unit's.
  list grid;
  for (const auto& e : board->entries) {
    Data x;
    x.set("title", e.fields.title);
    list cells;
    for (const auto& j : board->judges) {
      const judging::Pair pair{j.id, e.id};
      Data c;
      c.set("name", fmt::format("a_{}_{}", j.id, e.id));
      c.set("label", j.full_name + " chấm “" + e.fields.title + "”");
      c.set("checked", board->assigned.contains(pair));
      c.set("conflict", board->conflicts.contains(pair));
      cells.push_back(c);
    }
    x.set("cells", cells);
    grid.push_back(x);
  }
  d.set("grid", grid);
  list missing;
  for (const auto& [judge_id, entry_id] : board->Missing()) {
    Data x;
    const auto* j = board->FindJudge(judge_id);
    const auto* e = board->FindEntry(entry_id);
    x.set("judge", j ? j->full_name : std::string());
    x.set("title", e ? e->fields.title : std::string());
    missing.push_back(x);
  }
  d.set("missing_count", std::to_string(missing.size()));
  d.set("has_missing", !missing.empty());
  d.set("missing", missing);
  d.set("locked", board->lock.has_value());
  if (board->lock) {
    d.set("locked_at", core::FormatDateTime(board->lock->at, contest->time_zone, true));
  }
  const bool admin = who.role == Role::kAdmin;
  d.set("can_lock",
        admin && !board->lock && missing.empty() && !rows.empty() && !rules.criteria.empty());
  d.set("can_unlock", admin && board->lock.has_value());
  d.set("can_edit", admin && !board->lock);
  d.set("can_assign", admin && !board->lock && rules.assignment == contest::Assignment::kExplicit);
  list scores;
  int rank = 0;
  for (const auto& v : standing->videos) {
    Data x;
    x.set("rank", std::to_string(++rank));
    const auto* e = board->FindEntry(v.entry_id);
    x.set("title", e ? e->fields.title : std::string());
    x.set("unit_name", unit_name(v.unit_id));
    x.set("judges", std::to_string(v.judges));
    x.set("score", ScoreText(v.score));
    scores.push_back(x);
  }
  d.set("scores", scores);
  d.set("has_scores", !scores.empty());
  list unit_scores;
  rank = 0;
  for (const auto& u : standing->units) {
    Data x;
    x.set("rank", std::to_string(++rank));
    x.set("unit_name", unit_name(u.unit_id));
    x.set("videos", std::to_string(u.videos));
    x.set("score", ScoreText(u.score));
    unit_scores.push_back(x);
  }
  d.set("unit_scores", unit_scores);
  const auto done = req.QueryParam("xong");
  if (done == "khoa")
    d.set("notice",
          "Đã khóa việc chấm điểm. Không ai sửa được điểm nữa; kết quả dưới đây là chính thức.");
  if (done == "mo") d.set("notice", "Đã mở khóa việc chấm điểm; lý do đã được ghi vào nhật ký.");
  if (done == "thang-diem") d.set("notice", "Đã lưu thang điểm và cách chấm.");
  if (done == "phan-cong") d.set("notice", "Đã phân công giám khảo cho từng video.");
  if (error) {
    SetFormErrors(d, *error);
    d.set("has_errors", true);
  }
  res.Send(PageResponse(deps, req, status, "judging_board", d, "Tiến độ chấm điểm video"));
}

void Board(const JudgingPageDeps& deps, http::Request& req, http::Responder res) {
  BoardPage(deps, req, std::move(res));
}

void Lock(const JudgingPageDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  if (http::FieldValue(http::UrlEncodedFields(req), "confirm") != "1") {
    Data d;
    d.set("csrf", http::ViewerOf(req).CsrfToken());
    d.set("heading", "Khóa việc chấm điểm video?");
    d.set("question",
          "Sau khi khóa, giám khảo không sửa hay nộp thêm điểm được nữa và điểm tổng hợp trở "
          "thành kết quả chính thức của phần thi video. Chỉ quản trị viên mở khóa được, kèm lý do "
          "ghi vào nhật ký.");
    d.set("action", std::string(kBoardUrl) + "/khoa");
    d.set("button", "Khóa việc chấm điểm");
    d.set("back", kBoardUrl);
    return res.Send(PageResponse(deps, req, 200, "confirm", d, "Khóa việc chấm điểm"));
  }
  deps.judging.Lock(
      Who(req), http::ClientOf(req), *contest,
      [deps, req = &req, res](core::Result<judging::Board> r) {
        if (r) {
          return res.Send(http::Response::Redirect(std::string(kBoardUrl) + "?xong=khoa"));
        }
        if (r.error().kind != core::ErrorKind::kConflict) {
          return res.SendError(r.error());
        }
        BoardPage(deps, *req, res, 409, &r.error());
      });
}

void Unlock(const JudgingPageDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  const auto reason = http::FieldValue(http::UrlEncodedFields(req), "reason");
  deps.judging.Unlock(
      Who(req), http::ClientOf(req), *contest, reason,
      [deps, req = &req, res](core::Result<judging::Board> r) {
        if (r) {
          return res.Send(http::Response::Redirect(std::string(kBoardUrl) + "?xong=mo"));
        }
        if (r.error().kind != core::ErrorKind::kValidation) {
          return res.SendError(r.error());
        }
        BoardPage(deps, *req, res, 422, &r.error());
      });
}

// --- the rubric and the judging choices --------------------------------------------------------

/// Rows the rubric form offers beyond the criteria already set.
constexpr int kSpareCriteria = 3;

/// A criterion's key from its name: "Thông điệp cải cách" -> "thong_diep_cai_cach", unique
/// among `taken`.
std::string KeyFor(const std::string& name, std::set<std::string>& taken) {
  std::string key;
  for (char c : core::FoldForSearch(name)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (ok) {
      key += c;
    } else if (!key.empty() && key.back() != '_') {
      key += '_';
    }
  }
  while (!key.empty() && key.back() == '_')
    key.pop_back();
  if (key.size() > 32) key.resize(32);
  if (key.empty()) key = "tieu_chi";
  std::string unique = key;
  for (int n = 2; taken.contains(unique); ++n)
    unique = key + "_" + std::to_string(n);
  taken.insert(unique);
  return unique;
}

/// The form's rows as typed: each criterion's key (kept for those already set), name, maximum
/// and description.
struct RubricRow {
  std::string key, name, max, description;
};

struct RubricForm {
  std::vector<RubricRow> rows;
  std::string step = "0,5";
  std::string aggregation = "mean";
  std::string unit_score = "best";
  std::string assignment = "all";
  bool blind = false;
};

RubricForm FormOf(const contest::JudgingRules& r) {
  RubricForm f;
  for (const auto& c : r.criteria)
    f.rows.push_back({c.key, c.name, contest::FormatPoints(c.max), c.description});
  f.step = contest::FormatPoints(r.step);
  f.aggregation = std::string(contest::AggregationCode(r.aggregation));
  f.unit_score = std::string(contest::UnitVideoScoreCode(r.unit_score));
  f.assignment = std::string(contest::AssignmentCode(r.assignment));
  f.blind = r.blind;
  return f;
}

RubricForm FormOf(const http::FormFields& fields) {
  RubricForm f;
  for (int i = 1; i <= 20; ++i) {
    const auto n = std::to_string(i);
    RubricRow row{http::FieldValue(fields, "key_" + n), http::FieldValue(fields, "name_" + n),
                  http::FieldValue(fields, "max_" + n), http::FieldValue(fields, "desc_" + n)};
    if (row.name.empty() && row.max.empty() && row.description.empty()) continue;
    f.rows.push_back(std::move(row));
  }
  f.step = http::FieldValue(fields, "step");
  f.aggregation = http::FieldValue(fields, "aggregation");
  f.unit_score = http::FieldValue(fields, "unit_score");
  f.assignment = http::FieldValue(fields, "assignment");
  f.blind = http::FieldValue(fields, "blind") == "1";
  return f;
}

/// The rules the form describes, or the first thing wrong with it (as the rules' own checks name
/// it: criteria[i].max, step, ...).
core::Result<contest::JudgingRules> RulesOf(const RubricForm& f) {
  const auto invalid = [](std::string field, std::string message) {
    auto e = core::MakeError(core::ErrorKind::kValidation, "invalid_rubric", message, field);
    e.fields = {{e.field, e.message}};
    return e;
  };
  contest::JudgingRules r;
  std::set<std::string> taken;
  for (const auto& row : f.rows) {
    if (!row.key.empty()) taken.insert(row.key);
  }
  for (std::size_t i = 0; i < f.rows.size(); ++i) {
    const auto& row = f.rows[i];
    const auto field = "criteria[" + std::to_string(i) + "]";
    const auto max = ParseNumber(row.max);
    const auto points = max ? contest::PointsFromNumber(*max) : std::nullopt;
    if (!points) {
      return invalid(field + ".max",
                     "Điểm tối đa của tiêu chí “" + row.name + "” phải là một số, ví dụ 20.");
    }
    r.criteria.push_back(
        {row.key.empty() ? KeyFor(row.name, taken) : row.key,
         core::IsValidUtf8(row.name) ? core::CleanText(row.name) : row.name,
         core::IsValidUtf8(row.description) ? core::ToNfc(row.description) : row.description,
         *points});
  }
  const auto step = ParseNumber(f.step);
  const auto step_points = step ? contest::PointsFromNumber(*step) : std::nullopt;
  if (!step_points) return invalid("step", "Bước điểm phải là một số, ví dụ 0,5.");
  r.step = *step_points;
  // The selects offer only known codes; anything else is someone's hand-made request.
  auto parsed = contest::ParseJudgingRules(nlohmann::json{
      {"aggregation", f.aggregation},
      {"unit_score", f.unit_score},
      {"assignment", f.assignment}}.dump());
  if (!parsed) return std::move(parsed).error();
  r.aggregation = parsed->aggregation;
  r.unit_score = parsed->unit_score;
  r.assignment = parsed->assignment;
  r.blind = f.blind;
  return r;
}

void RenderRubric(const JudgingPageDeps& deps, const http::Request& req, const http::Responder& res,
                  int status, const RubricForm& f, const core::Error* error) {
  Data d;
  d.set("csrf", http::ViewerOf(req).CsrfToken());
  list rows;
  const int count = static_cast<int>(f.rows.size()) + kSpareCriteria;
  for (int i = 0; i < std::min(count, 20); ++i) {
    Data x;
    const auto* row = i < static_cast<int>(f.rows.size()) ? &f.rows[i] : nullptr;
    x.set("n", std::to_string(i + 1));
    x.set("key", row ? row->key : std::string());
    x.set("name", row ? row->name : std::string());
    x.set("max", row ? row->max : std::string());
    x.set("description", row ? row->description : std::string());
    if (error) {
      const auto prefix = "criteria[" + std::to_string(i) + "]";
      for (const auto& [field, message] : error->fields) {
        if (field.rfind(prefix, 0) == 0) x.set("error", message);
      }
    }
    rows.push_back(x);
  }
  d.set("rows", rows);
  d.set("step", f.step);
  d.set("aggregations",
        Choices({{"mean", "Trung bình cộng tổng điểm của các giám khảo"},
                 {"trimmed_mean", "Bỏ điểm cao nhất và thấp nhất (khi có từ 5 giám khảo)"},
                 {"standardised", "Chuẩn hóa điểm từng giám khảo (khi giám khảo chấm khác nhau)"}},
                f.aggregation));
  d.set("unit_scores", Choices({{"best", "Điểm video cao nhất của đơn vị"},
                                {"mean", "Trung bình điểm các video của đơn vị"}},
                               f.unit_score));
  d.set("assignments", Choices({{"all", "Mọi giám khảo chấm mọi video"},
                                {"explicit", "Ban Tổ chức phân công giám khảo cho từng video"}},
                               f.assignment));
  d.set("blind", f.blind);
  if (error) {
    SetFormErrors(d, *error);
    d.set("has_errors", true);
    // A change that would reopen submitted sheets is asked first.
    d.set("ask_reopen", error->code == "rubric_in_use");
  }
  res.Send(PageResponse(deps, req, status, "judging_rubric", d, "Thang điểm chấm video"));
}

void RubricPage(const JudgingPageDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  RenderRubric(deps, req, res, 200, FormOf(contest->settings->judging), nullptr);
}

void SaveRubric(const JudgingPageDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  const auto fields = http::UrlEncodedFields(req);
  auto form = FormOf(fields);
  auto rules = RulesOf(form);
  if (!rules) return RenderRubric(deps, req, res, 422, form, &rules.error());
  deps.judging.SaveRules(
      Who(req), http::ClientOf(req), *contest, std::move(*rules),
      http::FieldValue(fields, "reopen") == "1",
      [deps, req = &req, res, form](core::Result<contest::JudgingRules> r) {
        if (r) {
          return res.Send(http::Response::Redirect(std::string(kBoardUrl) + "?xong=thang-diem"));
        }
        const auto& e = r.error();
        if (e.kind != core::ErrorKind::kValidation && e.code != "rubric_in_use") {
          return res.SendError(e);
        }
        RenderRubric(deps, *req, res, http::HttpStatus(e.kind), form, &e);
      });
}

void Assign(const JudgingPageDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  const auto fields = http::UrlEncodedFields(req);
  core::Result<std::set<judging::Pair>> pairs = std::set<judging::Pair>();
  if (http::FieldValue(fields, "grid") == "1") {
    // The grid: a checkbox a_<judge>_<video> for each pair the organisers tick.
    for (const auto& [name, value] : fields) {
      long long judge = 0, entry = 0;
      char tail = 0;
      if (value == "1" && std::sscanf(name.c_str(), "a_%lld_%lld%c", &judge, &entry, &tail) == 2) {
        pairs->insert({judge, entry});
      }
    }
  } else {
    const auto n = ParseNumber(http::FieldValue(fields, "per_video"));
    auto board = deps.judging.Progress(Who(req), *contest);
    if (!board) return res.SendError(board.error());
    pairs = judging::JudgingService::Balanced(
        *board, n && *n == std::floor(*n) && *n < 1000 ? static_cast<int>(*n) : 0);
  }
  if (!pairs) return BoardPage(deps, req, res, 422, &pairs.error());
  deps.judging.Assign(
      Who(req), http::ClientOf(req), *contest, std::move(*pairs),
      [deps, req = &req, res](core::Result<judging::Board> r) {
        if (r) {
          return res.Send(http::Response::Redirect(std::string(kBoardUrl) + "?xong=phan-cong"));
        }
        if (r.error().kind != core::ErrorKind::kValidation) {
          return res.SendError(r.error());
        }
        BoardPage(deps, *req, res, 422, &r.error());
      });
}

}  // namespace

void RegisterJudgingPages(http::Router& router, const JudgingPageDeps& deps) {
  const auto judges = Access::Roles({Role::kJudge});
  router.Add(Method::kGet, kQueueUrl, judges, Bind(deps, QueuePage));
  router.Add(Method::kGet, "/cham-diem/{id}", judges, Bind(deps, SheetPage));
  router.Add(Method::kPost, "/cham-diem/{id}", judges, Bind(deps, SaveSheet));
  router.Add(Method::kPost, "/cham-diem/{id}/khong-cham", judges, Bind(deps, Abstain));
  router.Add(Method::kGet, kBoardUrl, Access::Roles({Role::kAdmin, Role::kSecretary}),
             Bind(deps, Board));
  router.Add(Method::kPost, "/quan-tri/cham-diem/khoa", Access::Roles({Role::kAdmin}),
             Bind(deps, Lock));
  router.Add(Method::kPost, "/quan-tri/cham-diem/mo-khoa", Access::Roles({Role::kAdmin}),
             Bind(deps, Unlock));
  router.Add(Method::kGet, "/quan-tri/cham-diem/thang-diem", Access::Roles({Role::kAdmin}),
             Bind(deps, RubricPage));
  router.Add(Method::kPost, "/quan-tri/cham-diem/thang-diem", Access::Roles({Role::kAdmin}),
             Bind(deps, SaveRubric));
  router.Add(Method::kPost, "/quan-tri/cham-diem/phan-cong", Access::Roles({Role::kAdmin}),
             Bind(deps, Assign));
}

}  // namespace hoithi::web
