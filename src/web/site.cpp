// Layout for the viewer of a request.
#include "web/site.hpp"

#include "accounts/roles.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/forms.hpp"

namespace hoithi::web {

Layout LayoutFor(const SiteDeps& deps, const http::Request& request, std::string title) {
  Layout layout;
  layout.title = std::move(title);
  if (auto c = deps.current.Get()) {
    layout.site_name = c->name;
    if (!c->contact_office.empty() || !c->contact_phone.empty() || !c->contact_email.empty()) {
      layout.contact = Contact{c->contact_office, c->contact_phone, c->contact_email};
    }
  }
  const auto& viewer = http::ViewerOf(request);
  layout.csrf = viewer.CsrfToken();
  if (viewer.user) {
    NavUser nav;
    nav.full_name = viewer.user->full_name;
    nav.role_label = std::string(accounts::RoleLabel(viewer.user->role));
    nav.staff = viewer.user->role == accounts::Role::kAdmin ||
                viewer.user->role == accounts::Role::kSecretary;
    nav.focal_point = viewer.user->role == accounts::Role::kFocalPoint;
    nav.participant = viewer.user->role == accounts::Role::kParticipant;
    nav.judge = viewer.user->role == accounts::Role::kJudge;
    nav.unit_code = viewer.user->unit_code;
    layout.user = nav;
  }
  return layout;
}

http::Response PageResponse(const SiteDeps& deps, const http::Request& request, int status,
                            std::string_view page, const Data& data, std::string title,
                            std::vector<std::string> scripts) {
  auto layout = LayoutFor(deps, request, std::move(title));
  layout.scripts = std::move(scripts);
  return http::Response::Html(status, deps.views.Page(page, data, layout));
}

std::string WithQuery(std::string path,
                      const std::vector<std::pair<std::string, std::string>>& params) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  char sep = '?';
  for (const auto& [k, v] : params) {
    if (v.empty()) continue;
    path += sep;
    sep = '&';
    path += k;
    path += '=';
    for (unsigned char c : v) {
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_' || c == '.' || c == '~') {
        path += static_cast<char>(c);
      } else {
        path += '%';
        path += kHex[c >> 4];
        path += kHex[c & 15];
      }
    }
  }
  return path;
}

std::string PagerHtml(const Views& views, const std::string& path,
                      std::vector<std::pair<std::string, std::string>> params, int page,
                      int per_page, std::int64_t total) {
  const auto pages = std::max<std::int64_t>(1, (total + per_page - 1) / per_page);
  Data d;
  d.set("page", std::to_string(page));
  d.set("pages", std::to_string(pages));
  d.set("total", core::FormatThousands(total));
  params.emplace_back("page", "");
  if (page > 1) {
    params.back().second = std::to_string(page - 1);
    d.set("prev_url", WithQuery(path, params));
  }
  if (page < pages) {
    params.back().second = std::to_string(page + 1);
    d.set("next_url", WithQuery(path, params));
  }
  return views.Fragment("pager", d);
}

core::Result<contest::Contest> WorkingContest(const SiteDeps& deps, const http::Request& request) {
  const auto& who = http::ViewerOf(request).user;
  return deps.current.Working(who ? who->contest_id : std::nullopt,
                              request.QueryParam("contest").value_or(""));
}

kainjow::mustache::list Choices(
    std::initializer_list<std::pair<std::string_view, std::string_view>> all,
    std::string_view selected) {
  kainjow::mustache::list out;
  for (const auto& [value, label] : all) {
    Data o;
    o.set("value", std::string(value));
    o.set("label", std::string(label));
    o.set("selected", value == selected);
    out.push_back(o);
  }
  return out;
}

void SetIfPresent(Data& data, const std::string& key, const std::string& value) {
  if (!value.empty()) data.set(key, value);
}

void SetFormErrors(Data& data, const core::Error& error) {
  kainjow::mustache::list all;
  auto fields = error.fields;
  if (fields.empty()) fields.emplace_back(error.field, error.message);
  for (const auto& [field, message] : fields) {
    if (!field.empty()) data.set("err_" + field, message);
    Data item;
    item.set("field", field);
    item.set("message", message);
    all.push_back(item);
  }
  data.set("errors", all);
}

core::Result<ImportForm> ReadImportForm(const http::Request& request) {
  auto parts = http::MultipartParts(request);
  if (!parts) return std::move(parts).error();
  ImportForm form;
  for (const auto& p : *parts) {
    if (p.name == "file") form.file = p.body;
    if (p.name == "dry_run") form.dry_run = true;
    if (p.name == "skip_invalid") form.skip_invalid = true;
  }
  return form;
}

void SetImportReport(Data& data, const core::Status& status,
                     const spreadsheet::ImportReport& report, bool dry_run) {
  data.set("rows", std::to_string(report.rows));
  data.set("valid", std::to_string(report.valid));
  data.set("saved", std::to_string(report.saved));
  data.set("dry_run", dry_run);
  kainjow::mustache::list rejected;
  for (const auto& [row, reason] : report.rejected) {
    Data r;
    r.set("row", std::to_string(row));
    r.set("reason", reason);
    rejected.push_back(r);
  }
  data.set("has_rejected", !rejected.empty());
  data.set("rejected", rejected);
  if (!status) {
    SetFormErrors(data, status.error());
    data.set("has_errors", true);
  }
}

std::string PublicAddress(const std::string& configured, const http::Request& request) {
  if (!configured.empty()) return configured;
  std::string host(request.Header("host"));
  const bool plain = !host.empty() && host.size() < 256 &&
                     host.find_first_not_of(
                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                         "0123456789.-:[]") == std::string::npos;
  if (!plain) host = "localhost";
  return (request.secure ? "https://" : "http://") + host;
}

}  // namespace hoithi::web
