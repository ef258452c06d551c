// The organisers' draft results page and its weights' form.
#include "web/results_pages.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "contest/judging_rules.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/error_status.hpp"
#include "http/forms.hpp"

namespace hoithi::web {
namespace {

using accounts::Role;
using contest::PrizeCategory;
using http::Access;
using http::Method;
using http::Who;
using kainjow::mustache::list;

constexpr char kUrl[] = "/quan-tri/ket-qua";

std::string_view CategoryLabel(PrizeCategory c) {
  switch (c) {
    case PrizeCategory::kCollective:
      return "Giải tập thể";
    case PrizeCategory::kVideo:
      return "Giải video";
    case PrizeCategory::kIndividual:
      return "Giải cá nhân";
  }
  return "";
}

/// The formula's form as typed (kept on a refused save): the weights, the video prizes per
/// unit, and who issues the documents.
struct WeightsForm {
  std::string participation, quiz, video, per_unit;
  std::string authority, place, signer_title, signer_name;
};

WeightsForm FormOf(const contest::ResultsRules& r) {
  return {std::to_string(r.weight_participation),
          std::to_string(r.weight_quiz),
          std::to_string(r.weight_video),
          std::to_string(r.video_prizes_per_unit),
          r.authority,
          r.place,
          r.signer_title,
          r.signer_name};
}

/// Which form a refused save came from: its errors are shown beside it.
enum class FormAt { kWeights, kTie, kPublication };

/// The prizes given, by category, for the results_awards partial, and their total.
void SetAwards(Data& page, const results::Draft& d) {
  list groups;
  for (auto category :
       {PrizeCategory::kCollective, PrizeCategory::kVideo, PrizeCategory::kIndividual}) {
    list awards;
    for (const auto& p : d.prizes) {
      if (p.category != category) continue;
      Data x;
      x.set("prize", p.prize);
      x.set("recipient", p.recipient);
      // The collective prizes name the unit already; a section, so set only when shown.
      if (category != PrizeCategory::kCollective && !p.unit_name.empty()) {
        x.set("unit_name", p.unit_name);
      }
      x.set("detail", p.detail);
      x.set("amount", core::FormatVnd(p.amount_vnd));
      x.set("by_decision", p.by_decision);
      awards.push_back(x);
    }
    if (awards.empty()) continue;
    Data group;
    group.set("title", std::string(CategoryLabel(category)));
    group.set("awards", awards);
    groups.push_back(group);
  }
  page.set("award_groups", groups);
  page.set("total_vnd", core::FormatVnd(d.total_vnd));
}

/// Where the file of every certificate of the published results stands: a link once the job
/// wrote it, its progress meanwhile, or why it failed.
void SetCertificates(Data& x, results::ResultsService& results, const results::Publication& p) {
  using State = results::ResultsService::CertificatesProgress::State;
  auto progress = results.CertificatesOf(p);
  if (!progress) return;  // the other files still show; the link is left out
  switch (progress->state) {
    case State::kReady:
      x.set("certificates_ready", true);
      break;
    case State::kPending:
      x.set("certificates_pending",
            fmt::format("đã xong {}/{} trang", progress->done, progress->total));
      break;
    case State::kFailed:
      x.set("certificates_failed", progress->error);
      break;
    case State::kNone:
      break;
  }
}

/// A publication's facts as a page shows them.
Data PublicationData(const results::Publication& p, const contest::Contest& contest) {
  Data x;
  x.set("version", std::to_string(p.version));
  x.set("digest", p.digest);
  const auto base = "/api/v1/results/export/" + std::to_string(p.version);
  x.set("export_url", base);
  x.set("par_url", base + "/units");
  x.set("announcement_url", base + "/announcement");
  x.set("certificates_url", base + "/certificates");
  x.set("reviewed_at", core::FormatDateTime(p.reviewed_at, contest.time_zone));
  if (p.published_at)
    x.set("published_at", core::FormatDateTime(*p.published_at, contest.time_zone));
  if (p.superseded_at) {
    x.set("superseded_at", core::FormatDateTime(*p.superseded_at, contest.time_zone));
  }
  if (!p.reason.empty()) x.set("reason", p.reason);  // a section: set only when there is one
  return x;
}

void Render(const ResultsPageDeps& deps, const http::Request& req, const http::Responder& res,
            const contest::Contest& contest, int status, const WeightsForm* typed,
            const core::Error* error, FormAt at = FormAt::kWeights) {
  auto draft = deps.results.Compute(Who(req), contest);
  if (!draft) return res.SendError(draft.error());
  const auto& d = *draft;
  Data page;
  page.set("csrf", http::ViewerOf(req).CsrfToken());
  page.set("can_edit", Who(req).Organises(contest.id));
  page.set("formula", contest::ResultsFormulaText(d.rules));
  page.set("questions", std::to_string(d.scales.questions_per_attempt));
  page.set("video_max", contest::FormatPoints(std::llround(d.scales.video_max * 100)));
  const auto form = typed ? *typed : FormOf(d.rules);
  page.set("w_participation", form.participation);
  page.set("w_quiz", form.quiz);
  page.set("w_video", form.video);
  page.set("per_unit", form.per_unit);
  page.set("authority", form.authority);
  page.set("place", form.place);
  page.set("signer_title", form.signer_title);
  page.set("signer_name", form.signer_name);
  if (error) {
    SetFormErrors(page, *error);
    page.set(at == FormAt::kWeights ? "has_errors"
             : at == FormAt::kTie   ? "tie_errors"
                                    : "publication_errors",
             true);
  }
  const auto done = req.QueryParam("xong");
  if (done == std::optional<std::string>("trong-so")) {
    page.set("notice",
             "Đã lưu công thức xếp hạng; kết quả dưới đây đã tính lại theo công thức mới.");
  } else if (done == std::optional<std::string>("soat-xet")) {
    page.set("notice", "Đã soát xét: bản nháp này được lưu lại, chờ Ban Tổ chức công bố.");
  } else if (done == std::optional<std::string>("cong-bo")) {
    page.set("notice",
             "Đã công bố kết quả. Mọi người xem được tại trang Kết quả; kết quả đã "
             "công bố không thay đổi theo các chỉnh sửa sau này.");
  } else if (done == std::optional<std::string>("dong-hang")) {
    page.set("notice",
             "Đã ghi quyết định của Ban Tổ chức về trường hợp đồng hạng; giải thưởng "
             "dưới đây đã tính lại theo quyết định đó.");
  }
  list blockers;
  for (const auto& b : d.blockers) {
    Data x;
    x.set("text", b);
    blockers.push_back(x);
  }
  page.set("blockers", blockers);
  page.set("has_blockers", !d.blockers.empty());
  list ties;
  for (const auto& t : d.ties) {
    Data x;
    x.set("category", std::string(CategoryLabel(t.category)));
    x.set("rank", std::to_string(t.rank));
    std::string names, prizes;
    for (const auto& n : t.names)
      names += (names.empty() ? "" : "; ") + n;
    for (const auto& p : t.prizes)
      prizes += (prizes.empty() ? "" : ", ") + p;
    x.set("names", names);
    x.set("prizes", prizes);
    x.set("decided", t.decided);
    x.set("reason", t.reason);
    x.set("category_code", std::string(contest::PrizeCategoryName(t.category)));
    std::string members;
    list candidates;
    for (std::size_t i = 0; i < t.ids.size(); ++i) {
      if (!members.empty()) members += ',';
      members += std::to_string(t.ids[i]);
      Data c;
      c.set("id", std::to_string(t.ids[i]));
      c.set("name", t.names[i]);
      c.set("place", std::to_string(i + 1));
      candidates.push_back(c);
    }
    x.set("members", members);
    x.set("candidates", candidates);
    ties.push_back(x);
  }
  page.set("ties", ties);
  page.set("has_ties", !d.ties.empty());
  SetAwards(page, d);
  page.set("has_prizes", !d.prizes.empty());
  list units;
  for (const auto& u : d.units) {
    const auto& s = u.standing;
    Data x;
    x.set("rank", std::to_string(s.rank));
    x.set("name", u.name);
    x.set("participants", core::FormatThousands(s.facts.participants));
    x.set("headcount",
          s.facts.headcount ? core::FormatThousands(*s.facts.headcount) : std::string("chưa nhập"));
    x.set("participation", contest::FormatPoints(s.participation));
    x.set("quiz", contest::FormatPoints(s.quiz));
    x.set("video", contest::FormatPoints(s.video));
    x.set("total", contest::FormatPoints(s.total));
    x.set("problem", s.headcount_problem);
    units.push_back(x);
  }
  page.set("units", units);
  page.set("judging_locked", d.judging_locked);
  auto publications = deps.results.Publications(&Who(req), contest);
  if (!publications) return res.SendError(publications.error());
  for (const auto& p : *publications) {
    if (p.state == results::PublicationState::kPublished) {
      auto x = PublicationData(p, contest);
      SetCertificates(x, deps.results, p);
      page.set("published", x);
    }
    if (p.state == results::PublicationState::kReviewed) {
      page.set("review", PublicationData(p, contest));
    }
  }
  res.Send(PageResponse(deps, req, status, "results_draft", page, "Kết quả và giải thưởng"));
}

void DraftPage(const ResultsPageDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  Render(deps, req, res, *contest, 200, nullptr, nullptr);
}

/// A whole number typed in a field; nullopt for anything else (the service then names it).
std::optional<int> WholeNumber(const std::string& text) {
  if (text.empty() || text.size() > 4 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoi(text);
}

void SaveWeights(const ResultsPageDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  const auto fields = http::UrlEncodedFields(req);
  const WeightsForm form{http::FieldValue(fields, "weight_participation"),
                         http::FieldValue(fields, "weight_quiz"),
                         http::FieldValue(fields, "weight_video"),
                         http::FieldValue(fields, "video_prizes_per_unit"),
                         http::FieldValue(fields, "authority"),
                         http::FieldValue(fields, "place"),
                         http::FieldValue(fields, "signer_title"),
                         http::FieldValue(fields, "signer_name")};
  contest::ResultsRules rules;
  rules.authority = form.authority;
  rules.place = form.place;
  // A textarea sends CRLF line breaks; the signer's lines are kept with '\n'.
  rules.signer_title.clear();
  for (char c : form.signer_title) {
    if (c != '\r') rules.signer_title += c;
  }
  rules.signer_title =
      rules.signer_title.empty() ? contest::ResultsRules{}.signer_title : rules.signer_title;
  rules.signer_name = form.signer_name;
  const std::pair<const std::string*, int*> typed[] = {
      {&form.participation, &rules.weight_participation},
      {&form.quiz, &rules.weight_quiz},
      {&form.video, &rules.weight_video},
      {&form.per_unit, &rules.video_prizes_per_unit}};
  const char* names[] = {"weight_participation", "weight_quiz", "weight_video",
                         "video_prizes_per_unit"};
  for (std::size_t i = 0; i < std::size(typed); ++i) {
    const auto n = WholeNumber(*typed[i].first);
    if (!n) {
      auto e = core::MakeError(core::ErrorKind::kValidation, "invalid_results_rules",
                               "Hãy nhập một số nguyên từ 0 đến 100.", names[i]);
      e.fields = {{e.field, e.message}};
      return Render(deps, req, res, *contest, 422, &form, &e);
    }
    *typed[i].second = *n;
  }
  deps.results.SaveRules(
      Who(req), http::ClientOf(req), *contest, rules,
      [deps, req = &req, res, form, contest = *contest](core::Result<contest::ResultsRules> r) {
        if (r) return res.Send(http::Response::Redirect(std::string(kUrl) + "?xong=trong-so"));
        const auto& e = r.error();
        if (e.kind != core::ErrorKind::kValidation) return res.SendError(e);
        Render(deps, *req, res, contest, http::HttpStatus(e.kind), &form, &e);
      });
}

void Review(const ResultsPageDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  deps.results.Review(
      Who(req), http::ClientOf(req), *contest,
      [deps, req = &req, res, contest = *contest](core::Result<results::Publication> r) {
        if (r) return res.Send(http::Response::Redirect(std::string(kUrl) + "?xong=soat-xet"));
        const auto& e = r.error();
        if (e.kind != core::ErrorKind::kConflict) return res.SendError(e);
        Render(deps, *req, res, contest, 409, nullptr, &e, FormAt::kPublication);
      });
}

void Publish(const ResultsPageDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  const auto fields = http::UrlEncodedFields(req);
  const auto reason = http::FieldValue(fields, "reason");
  if (http::FieldValue(fields, "confirm") != "1") {
    Data d;
    d.set("csrf", http::ViewerOf(req).CsrfToken());
    d.set("heading", "Công bố kết quả?");
    d.set("question",
          "Kết quả đã soát xét sẽ hiện công khai trên trang Kết quả cùng mã kiểm tra của tệp kết "
          "quả, và không thay đổi theo các chỉnh sửa sau này. Muốn sửa phải công bố lại, kèm lý "
          "do ghi vào nhật ký.");
    d.set("action", std::string(kUrl) + "/cong-bo");
    d.set("button", "Công bố kết quả");
    d.set("back", kUrl);
    list carried;
    Data field;
    field.set("name", "reason");
    field.set("value", reason);
    carried.push_back(field);
    d.set("fields", carried);
    return res.Send(PageResponse(deps, req, 200, "confirm", d, "Công bố kết quả"));
  }
  deps.results.Publish(
      Who(req), http::ClientOf(req), *contest, reason,
      [deps, req = &req, res, contest = *contest](core::Result<results::Publication> r) {
        if (r) return res.Send(http::Response::Redirect(std::string(kUrl) + "?xong=cong-bo"));
        const auto& e = r.error();
        if (e.kind != core::ErrorKind::kConflict && e.kind != core::ErrorKind::kValidation) {
          return res.SendError(e);
        }
        Render(deps, *req, res, contest, http::HttpStatus(e.kind), nullptr, &e,
               FormAt::kPublication);
      });
}

/// The public results page: what was published, never the draft.
void PublicPage(const ResultsPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = deps.current.Get();
  if (!contest) return res.SendError(contest::NoContestError());
  auto publications = deps.results.Publications(nullptr, *contest);
  if (!publications) return res.SendError(publications.error());
  Data page;
  page.set("contest_name", contest->name);
  if (contest->schedule.results_due_at) {
    page.set("due", core::FormatDate(*contest->schedule.results_due_at, contest->time_zone));
  }
  list superseded;
  for (const auto& p : *publications) {
    if (p.state == results::PublicationState::kSuperseded) {
      superseded.push_back(PublicationData(p, *contest));
      continue;
    }
    if (p.state != results::PublicationState::kPublished) continue;
    auto d = results::ParseSnapshot(p.snapshot);
    if (!d) return res.SendError(d.error());
    auto x = PublicationData(p, *contest);
    SetCertificates(x, deps.results, p);
    page.set("published", x);
    page.set("formula", contest::ResultsFormulaText(d->rules));
    SetAwards(page, *d);
    list units;
    for (const auto& u : d->units) {
      const auto& s = u.standing;
      Data x;
      x.set("rank", std::to_string(s.rank));
      x.set("name", u.name);
      x.set("participation", contest::FormatPoints(s.participation));
      x.set("quiz", contest::FormatPoints(s.quiz));
      x.set("video", contest::FormatPoints(s.video));
      x.set("total", contest::FormatPoints(s.total));
      units.push_back(x);
    }
    page.set("units", units);
  }
  page.set("superseded", superseded);
  page.set("has_superseded", !superseded.empty());
  res.Send(PageResponse(deps, req, 200, "results_public", page, "Kết quả hội thi"));
}

/// The tie form: each candidate's place ("place_<id>", 1 to n, each once) gives the order.
core::Result<results::TieDecision> DecisionOf(const http::FormFields& fields) {
  auto invalid = [](std::string field, std::string message) {
    auto e = core::MakeError(core::ErrorKind::kValidation, "invalid_decision", message, field);
    e.fields = {{e.field, e.message}};
    return e;
  };
  results::TieDecision d;
  const auto known = results::PrizeCategoryOf(http::FieldValue(fields, "category"));
  if (!known) return invalid("category", "Không rõ loại giải.");
  d.category = *known;
  std::vector<std::pair<int, std::int64_t>> places;
  const auto members = http::FieldValue(fields, "members");
  std::size_t start = 0;
  while (start < members.size()) {
    auto end = members.find(',', start);
    if (end == std::string::npos) end = members.size();
    const auto id_text = members.substr(start, end - start);
    start = end + 1;
    if (id_text.empty() || id_text.size() > 18 ||
        id_text.find_first_not_of("0123456789") != std::string::npos) {
      return invalid("order", "Không rõ các ứng viên đồng hạng.");
    }
    const auto place = http::FieldValue(fields, "place_" + id_text);
    if (place.empty() || place.size() > 3 ||
        place.find_first_not_of("0123456789") != std::string::npos) {
      return invalid("order", "Hãy ghi thứ tự của từng ứng viên bằng một số (1, 2, …).");
    }
    places.emplace_back(std::stoi(place), std::stoll(id_text));
  }
  std::sort(places.begin(), places.end());
  for (std::size_t i = 0; i < places.size(); ++i) {
    if (places[i].first != static_cast<int>(i) + 1) {
      return invalid("order", fmt::format("Thứ tự phải là các số từ 1 đến {}, mỗi số một lần.",
                                          places.size()));
    }
    d.order.push_back(places[i].second);
  }
  d.reason = http::FieldValue(fields, "reason");
  return d;
}

void DecideTie(const ResultsPageDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto decision = DecisionOf(http::UrlEncodedFields(req));
  if (!decision) {
    return Render(deps, req, res, *contest, 422, nullptr, &decision.error(), FormAt::kTie);
  }
  deps.results.DecideTie(
      Who(req), http::ClientOf(req), *contest, std::move(*decision),
      [deps, req = &req, res, contest = *contest](core::Result<results::Draft> r) {
        if (r) return res.Send(http::Response::Redirect(std::string(kUrl) + "?xong=dong-hang"));
        const auto& e = r.error();
        if (e.kind != core::ErrorKind::kValidation) return res.SendError(e);
        Render(deps, *req, res, contest, 422, nullptr, &e, FormAt::kTie);
      });
}

}  // namespace

void RegisterResultsPages(http::Router& router, const ResultsPageDeps& deps) {
  router.Add(Method::kGet, kUrl, Access::Roles({Role::kAdmin, Role::kSecretary}),
             Bind(deps, DraftPage));
  router.Add(Method::kPost, "/quan-tri/ket-qua/trong-so", Access::Roles({Role::kAdmin}),
             Bind(deps, SaveWeights));
  router.Add(Method::kPost, "/quan-tri/ket-qua/dong-hang", Access::Roles({Role::kAdmin}),
             Bind(deps, DecideTie));
  router.Add(Method::kPost, "/quan-tri/ket-qua/soat-xet",
             Access::Roles({Role::kAdmin, Role::kSecretary}), Bind(deps, Review));
  router.Add(Method::kPost, "/quan-tri/ket-qua/cong-bo", Access::Roles({Role::kAdmin}),
             Bind(deps, Publish));
  router.Add(Method::kGet, "/ket-qua", Access::Anyone().Shared(), Bind(deps, PublicPage));
}

}  // namespace hoithi::web
