// HTML rendering: mustache templates (web/templates, compiled in; HTML-escaped by default) and
// the site layout around every page. Templates are compiled once per thread, since a compiled
// kainjow template is not safe to render from two threads at once.
#pragma once

#include <kainjow/mustache.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/static_files.hpp"

namespace hoithi::web {

using Data = kainjow::mustache::data;

struct Contact {
  std::string office;
  std::string phone;
  std::string email;
};

struct NavUser {
  std::string full_name;
  std::string role_label;
  bool staff = false;        // admin or secretary: the administration link
  bool focal_point = false;  // the unit link
  bool participant = false;  // the quiz link
  bool judge = false;        // the scoring link
  std::string unit_code;
};

/// `text` escaped for HTML or XML text and attribute values (the templates' own escaping), for
/// markup built outside a template: the Atom feed, SVG images, copy-paste snippets.
inline std::string EscapeMarkup(std::string_view text) {
  return kainjow::mustache::html_escape(std::string(text));
}

/// What the layout shows around a page.
struct Layout {
  std::string title;
  std::string site_name = "Hội thi trực tuyến";
  std::optional<Contact> contact;
  std::optional<NavUser> user;
  std::string csrf;                  // for the logout form
  std::vector<std::string> scripts;  // files of web/static, loaded deferred at the end
};

class Views {
 public:
  /// Checks that every template compiles; throws std::runtime_error naming the broken one.
  explicit Views(const http::StaticFiles& statics);

  /// Renders web/templates/<name>.mustache with `data`, inside the layout.
  std::string Page(std::string_view name, const Data& data, const Layout& layout) const;

  /// Renders one template alone (no layout).
  std::string Fragment(std::string_view name, const Data& data) const;

  std::string AssetUrl(std::string_view file) const { return statics_.Url(file); }

 private:
  const http::StaticFiles& statics_;
};

}  // namespace hoithi::web
