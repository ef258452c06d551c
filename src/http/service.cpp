// Service: the request pipeline around the route table.
#include "http/service.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/logging.hpp"
#include "http/compression.hpp"
#include "http/error_status.hpp"

namespace hoithi::http {
namespace {

constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

core::Error NotFound() {
  return core::MakeError(core::ErrorKind::kNotFound, "not_found",
                         "Không tìm thấy trang hoặc tài nguyên được yêu cầu.");
}

/// Passes the handler's answer on, keeping a copy in the public cache.
class KeepingSink final : public ResponseSink {
 public:
  KeepingSink(Responder inner, PublicCache& cache, std::string key,
              PublicCache::Clock::time_point at)
      : inner_(std::move(inner)), cache_(cache), key_(std::move(key)), at_(at) {}
  void Deliver(Response response) override {
    cache_.Put(key_, response, at_);
    inner_.Send(std::move(response));
  }
  void DeliverError(const core::Error& error) override {
    cache_.Abandon(key_);
    inner_.SendError(error);
  }

 private:
  Responder inner_;
  PublicCache& cache_;
  std::string key_;
  PublicCache::Clock::time_point at_;
};

}  // namespace

Service::Service(Router router, ServiceOptions options, core::MetricsRegistry* metrics)
    : router_(std::move(router)),
      options_(std::move(options)),
      public_cache_(options_.public_cache) {
  route_metrics_.resize(router_.routes().size() + 1);
  if (!metrics) return;
  for (std::size_t i = 0; i <= router_.routes().size(); ++i) {
    const std::string name = i < router_.routes().size() ? router_.routes()[i].name : "unmatched";
    const std::string label = "route=\"" + core::EscapeLabel(name) + "\"";
    auto& m = route_metrics_[i];
    m.latency = &metrics->AddHistogram("hoithi_http_request_duration_seconds",
                                       "Time from the first byte of a request to its response",
                                       core::LatencyBuckets(), label);
    for (int c = 1; c <= 5; ++c) {
      m.by_class[c - 1] = &metrics->AddCounter("hoithi_http_requests_total",
                                               "Requests answered, by route and status class",
                                               label + ",code=\"" + std::to_string(c) + "xx\"");
    }
  }
}

void Service::ResolveClient(Request& request) const {
  const auto& proxies = options_.trusted_proxies;
  if (proxies.empty() ||
      std::find(proxies.begin(), proxies.end(), request.peer_ip) == proxies.end()) {
    return;
  }
  // The right-most address that is not one of our proxies is the client.
  const auto forwarded = request.Header("x-forwarded-for");
  std::string_view rest = forwarded;
  std::string client;
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    const auto item = Trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    if (!item.empty() && std::find(proxies.begin(), proxies.end(), item) == proxies.end()) {
      client = std::string(item);
      break;
    }
    if (comma == std::string_view::npos) break;
    rest = rest.substr(0, comma);
  }
  if (!client.empty()) request.client_ip = client;
  request.secure = Trim(request.Header("x-forwarded-proto")) == "https";
}

Router::Match Service::RouteRequest(Request& request) const {
  ResolveClient(request);
  auto match = router_.Find(request.method, request.path, request.params);
  if (match.route) {
    request.route = match.route->name;
    request.route_index = static_cast<int>(match.route - router_.routes().data());
  }
  return match;
}

BodyPlan Service::OnHeaders(Request& request) {
  const auto match = RouteRequest(request);
  if (!match.route) return {};
  return {match.route->access.max_body_bytes, match.route->streams()};
}

void Service::Dispatch(Request& request, Responder responder) {
  // Routed when the headers were complete (OnHeaders); when it found nothing, or when the
  // caller did not go through the server (the fuzz target), route now.
  const http::Route* route = nullptr;
  if (request.route_index >= 0) {
    route = &router_.routes()[static_cast<std::size_t>(request.route_index)];
  } else {
    const auto match = RouteRequest(request);
    route = match.route;
    if (!route) {
      if (match.other_method) {
        auto e = core::MakeError(core::ErrorKind::kBadRequest, "method_not_allowed",
                                 "Phương thức yêu cầu không được hỗ trợ ở địa chỉ này.");
        auto r = Failure(request, e);
        r.status = 405;
        r.With("Allow", match.allow);
        responder.Send(std::move(r));
        return;
      }
      responder.SendError(NotFound());
      return;
    }
  }
  for (const auto& m : middleware_) {
    if (!m(request, *route, responder)) return;
  }
  if (route->streams()) {
    // A streaming route reached without the server's OnHeaders: its body is already here.
    auto sink = route->stream_handler(request, responder);
    if (!sink) return;
    if (!request.body.empty()) {
      if (auto status = sink->OnData(request.body); !status) {
        responder.SendError(status.error());
        sink->OnAbort(status.error());
        return;
      }
    }
    sink->OnEnd(std::move(responder));
    return;
  }
  if (route->access.shared && public_cache_.enabled() && request.method == Method::kGet &&
      Anonymous(request)) {
    const auto now = PublicCache::Clock::now();
    const auto encoding = PreferredEncoding(request.Header("accept-encoding"));
    if (auto hit = public_cache_.Get(request.target, encoding, now)) {
      responder.Send(std::move(*hit));
      return;
    }
    responder = Responder(
        std::make_shared<KeepingSink>(std::move(responder), public_cache_, request.target, now));
  }
  route->handler(request, std::move(responder));
}

std::shared_ptr<BodySink> Service::DispatchStream(Request& request, Responder responder) {
  if (request.route_index < 0) {
    // The server streams only what OnHeaders routed to a streaming route.
    responder.SendError(NotFound());
    return nullptr;
  }
  const auto& route = router_.routes()[static_cast<std::size_t>(request.route_index)];
  for (const auto& m : middleware_) {
    if (!m(request, route, responder)) return nullptr;
  }
  return route.stream_handler(request, std::move(responder));
}

Response Service::Failure(const Request& request, const core::Error& error) {
  const int status = HttpStatus(error.kind);
  if (request.IsApi() || !html_error_page_) {
    auto r = ErrorResponseJson(error);
    return r;
  }
  auto r = Response::Html(status, html_error_page_(request, error, status));
  r.RetryAfter(error.retry_after_s);
  return r;
}

Service::RouteMetrics& Service::MetricsFor(const Request& request) {
  const auto index = request.route_index >= 0 ? static_cast<std::size_t>(request.route_index)
                                              : route_metrics_.size() - 1;
  return route_metrics_[std::min(index, route_metrics_.size() - 1)];
}

void Service::Finalize(const Request& request, Response& response, double seconds) {
  for (const auto& d : decorators_)
    d(request, response);
  response.With("X-Content-Type-Options", "nosniff");
  response.With("Referrer-Policy", "strict-origin-when-cross-origin");
  if (response.content_type.starts_with("text/html") &&
      !response.HasHeader("content-security-policy")) {
    response.With("Content-Security-Policy", kContentSecurityPolicy);
  }
  if (!response.HasHeader("cache-control")) response.With("Cache-Control", "no-store");

  // A file body goes from the page cache to the socket as it is (and may be a byte range).
  if (!response.file && response.body.size() >= kMinCompressBytes &&
      IsCompressible(response.content_type) && !response.HasHeader("content-encoding")) {
    const auto encoding = PreferredEncoding(request.Header("accept-encoding"));
    std::optional<std::string> packed;
    if (encoding == Encoding::kBrotli)
      packed = BrotliCompress(response.body, kOnTheFlyBrotliQuality);
    if (encoding == Encoding::kGzip) packed = GzipCompress(response.body, kOnTheFlyGzipLevel);
    if (packed) {
      response.body = std::move(*packed);
      response.With("Content-Encoding", encoding == Encoding::kBrotli ? "br" : "gzip");
    }
    response.With("Vary", "Accept-Encoding");
  }

  auto& m = MetricsFor(request);
  if (m.latency) m.latency->Observe(seconds);
  const int cls = std::clamp(response.status / 100, 1, 5);
  if (m.by_class[cls - 1]) m.by_class[cls - 1]->Inc();

  if (options_.access_log) {
    if (auto* log = core::AccessLog()) {
      log->info("{} \"{} {}\" {} {} {:.1f}ms \"{}\"",
                request.client_ip.empty() ? "-" : request.client_ip, MethodName(request.method),
                request.target, response.status,
                response.file ? response.file->length : response.body.size(), seconds * 1000.0,
                request.Header("user-agent"));
    }
  }
}

}  // namespace hoithi::http
