// Static files (web/static, compiled in) served under /static/ with an ETag, a long cache life
// when the URL carries the content's version (?v=...), and brotli/gzip variants made at start-up.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "http/router.hpp"

namespace hoithi::http {

class StaticFiles {
 public:
  /// Loads every embedded file under `asset_prefix` ("web/static/"), served as /static/<rest>.
  explicit StaticFiles(std::string_view asset_prefix);

  /// Adds one GET route per file.
  void Register(Router& router) const;

  /// The versioned URL of a file ("app.css" -> "/static/app.css?v=1a2b3c4d"); the plain path when
  /// the file is unknown.
  std::string Url(std::string_view name) const;

  struct File {
    std::string content_type;
    std::string etag;
    std::string version;
    std::string_view identity;
    std::string gzip;
    std::string brotli;
  };

 private:
  std::map<std::string, File, std::less<>> files_;  // by URL path
};

/// The content type for a file name, from its extension.
std::string ContentTypeFor(std::string_view name);

}  // namespace hoithi::http
