// Template lookup, per-thread compilation and the layout.
#include "web/views.hpp"

#include <map>
#include <memory>
#include <stdexcept>

#include "core/assets.hpp"

namespace hoithi::web {
namespace {

using kainjow::mustache::mustache;

std::string TemplatePath(std::string_view name) {
  return "web/templates/" + std::string(name) + ".mustache";
}

mustache& Compiled(std::string_view name) {
  thread_local std::map<std::string, std::unique_ptr<mustache>, std::less<>> cache;
  auto it = cache.find(name);
  if (it == cache.end()) {
    const auto text = core::FindAsset(TemplatePath(name));
    if (!text) throw std::runtime_error("unknown template " + std::string(name));
    auto compiled = std::make_unique<mustache>(std::string(*text));
    if (!compiled->is_valid()) {
      throw std::runtime_error("template " + std::string(name) + ": " + compiled->error_message());
    }
    it = cache.emplace(std::string(name), std::move(compiled)).first;
  }
  return *it->second;
}

/// Resolves `{{> name}}` to web/templates/<name>.mustache (a partial shared by several pages, e.g.
/// contest_fields), unless the data itself holds a value of that name.
class TemplateContext : public kainjow::mustache::context<std::string> {
 public:
  explicit TemplateContext(const Data* data) : context(data) {}

  const Data* get_partial(const std::string& name) const override {
    if (const auto* own = context::get_partial(name)) return own;
    thread_local std::map<std::string, Data, std::less<>> partials;
    auto it = partials.find(name);
    if (it == partials.end()) {
      const auto text = core::FindAsset(TemplatePath(name));
      if (!text) return nullptr;
      it = partials.emplace(name, Data(std::string(*text))).first;
    }
    return &it->second;
  }
};

std::string TelHref(std::string_view phone) {
  std::string out;
  for (char c : phone) {
    if ((c >= '0' && c <= '9') || c == '+') out += c;
  }
  return out;
}

}  // namespace

Views::Views(const http::StaticFiles& statics) : statics_(statics) {
  for (const auto& f : core::ListAssets("web/templates/")) {
    std::string_view name =
        std::string_view(f.path).substr(std::string_view("web/templates/").size());
    if (!name.ends_with(".mustache")) continue;
    name.remove_suffix(std::string_view(".mustache").size());
    Compiled(name);  // throws on a broken template: better at start-up than on a request
  }
}

std::string Views::Fragment(std::string_view name, const Data& data) const {
  TemplateContext context(&data);
  return Compiled(name).render(context);
}

std::string Views::Page(std::string_view name, const Data& data, const Layout& layout) const {
  Data page;
  page.set("title", layout.title);
  page.set("site_name", layout.site_name);
  page.set("css_url", statics_.Url("app.css"));
  page.set("icon_url", statics_.Url("favicon.svg"));
  page.set("content", Fragment(name, data));
  if (layout.contact) {
    Data contact;
    contact.set("office", layout.contact->office);
    if (!layout.contact->phone.empty()) {
      contact.set("phone", layout.contact->phone);
      contact.set("phone_href", TelHref(layout.contact->phone));
    }
    if (!layout.contact->email.empty()) contact.set("email", layout.contact->email);
    page.set("contact", contact);
  }
  if (layout.user) {
    Data user;
    user.set("full_name", layout.user->full_name);
    user.set("role_label", layout.user->role_label);
    user.set("staff", layout.user->staff);
    user.set("focal_point", layout.user->focal_point);
    user.set("participant", layout.user->participant);
    user.set("judge", layout.user->judge);
    user.set("unit_code", layout.user->unit_code);
    page.set("user", user);
  }
  page.set("csrf", layout.csrf);
  kainjow::mustache::list scripts;
  // Every page: destructive forms ask first (data-confirm; the server asks when scripts are off).
  {
    Data confirm;
    confirm.set("url", statics_.Url("confirm.js"));
    scripts.push_back(confirm);
  }
  for (const auto& file : layout.scripts) {
    Data script;
    script.set("url", statics_.Url(file));
    scripts.push_back(script);
  }
  page.set("scripts", scripts);
  return Fragment("layout", page);
}

}  // namespace hoithi::web
