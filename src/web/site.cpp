// Layout for the viewer of a request.
#include "web/site.hpp"

#include "accounts/roles.hpp"
#include "http/auth_gate.hpp"

namespace hoithi::web {

Layout LayoutFor(const WebDeps& deps, const http::Request& request, std::string title) {
  Layout layout;
  layout.title = std::move(title);
  if (auto c = deps.current.Get()) {
    layout.site_name = c->name;
    if (!c->contact_office.empty() || !c->contact_phone.empty() || !c->contact_email.empty()) {
      layout.contact = Contact{c->contact_office, c->contact_phone, c->contact_email};
    }
  }
  const auto& viewer = http::ViewerOf(request);
  layout.csrf = viewer.csrf_token;
  if (viewer.user) {
    NavUser nav;
    nav.full_name = viewer.user->full_name;
    nav.role_label = std::string(accounts::RoleLabel(viewer.user->role));
    nav.staff = viewer.user->role == accounts::Role::kAdmin ||
                viewer.user->role == accounts::Role::kSecretary;
    nav.focal_point = viewer.user->role == accounts::Role::kFocalPoint;
    nav.unit_code = viewer.user->unit_code;
    layout.user = nav;
  }
  return layout;
}

http::Response PageResponse(const WebDeps& deps, const http::Request& request, int status,
                            std::string_view page, const Data& data, std::string title) {
  return http::Response::Html(
      status, deps.views.Page(page, data, LayoutFor(deps, request, std::move(title))));
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

}  // namespace hoithi::web
