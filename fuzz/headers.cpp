// Fuzz target: a request's target and headers through the request pipeline (http::Service), as
// the server hands them over: the target split into path and query (http::SplitTarget), the
// client address from X-Forwarded-For of a trusted proxy, routing with {params}, a static file
// with If-None-Match and Accept-Encoding, and compression chosen from Accept-Encoding. The first
// line of the input is the target, each further line one "Name: value" header.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "check.hpp"
#include "http/service.hpp"
#include "http/static_files.hpp"

namespace {

using namespace hoithi::http;

constexpr std::string_view kPeer = "10.0.0.1";  // a trusted proxy

/// Keeps the answer of the handler, or the error page the server would send instead.
class Sink final : public ResponseSink {
 public:
  void Deliver(Response response) override { answer = std::move(response); }
  void DeliverError(const hoithi::core::Error& error) override { failure = error; }
  std::optional<Response> answer;
  std::optional<hoithi::core::Error> failure;
};

Service& TheService() {
  static Service* service = [] {
    Router router;
    // Some compiled-in static file (web/static), with its precompressed variants.
    static const StaticFiles files("web/static/");
    files.Register(router);
    router.Add(Method::kGet, "/", Access::Anyone(),
               [](Request&, Responder r) { r.Send(Response::Html(200, std::string(4096, 'x'))); });
    router.Add(Method::kGet, "/api/v1/units/{unit}/members", Access::Anyone(),
               [](Request& req, Responder r) {
                 r.Send(Response::Json(200, "{\"unit\":\"" + std::string(req.Param("unit")) +
                                                std::string(2048, ' ') + "\"}"));
               });
    ServiceOptions options;
    options.trusted_proxies = {std::string(kPeer), "10.0.0.2"};
    options.access_log = false;
    return new Service(std::move(router), std::move(options), nullptr);
  }();
  return *service;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Request request;
  request.peer_ip = request.client_ip = std::string(kPeer);
  auto newline = text.find('\n');
  request.target = std::string(text.substr(0, newline));
  text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
  while (!text.empty()) {
    newline = text.find('\n');
    const auto line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    // As the server stores them: the name in lower case, the value without leading blanks.
    HeaderField h;
    for (char c : line.substr(0, colon))
      h.name += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    auto value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    h.value = std::string(value);
    request.headers.push_back(std::move(h));
  }

  auto& service = TheService();
  Response response;
  if (!SplitTarget(request.target, request)) {
    response = service.Failure(
        request,
        hoithi::core::MakeError(hoithi::core::ErrorKind::kBadRequest, "malformed_request", "x"));
  } else {
    FUZZ_CHECK(request.path.starts_with("/"));
    auto sink = std::make_shared<Sink>();
    service.Dispatch(request, Responder(sink));
    FUZZ_CHECK(sink->answer || sink->failure);
    response = sink->answer ? std::move(*sink->answer) : service.Failure(request, *sink->failure);
    // The client is one address: never a list, never empty.
    FUZZ_CHECK(!request.client_ip.empty());
    FUZZ_CHECK(request.client_ip.find(',') == std::string::npos);
  }
  service.Finalize(request, response, 0.001);
  return 0;
}
