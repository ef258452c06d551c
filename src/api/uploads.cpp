// The tus endpoints: the protocol's headers checked (video/tus.hpp), the upload looked up and
// its access checked (video::EntryService), the body streamed to video::FileStore by a sink.
// Every answer carries Tus-Resumable; an error is the API's JSON error with it.
#include "api/uploads.hpp"

#include <charconv>

#include "api/common.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/body_sink.hpp"
#include "http/error_status.hpp"

namespace hoithi::api {
namespace {

using accounts::Role;
using http::Access;
using http::Method;
using http::Who;
namespace tus = video::tus;

/// The header's value, nullopt when the request does not carry it (tus tells absent from empty).
tus::Header HeaderOf(const http::Request& req, std::string_view lower_name) {
  for (const auto& h : req.headers) {
    if (h.name == lower_name) return std::string_view(h.value);
  }
  return std::nullopt;
}

http::Response Tus(http::Response r) {
  r.With("Tus-Resumable", std::string(tus::kVersion));
  return r;
}

http::Response TusError(const core::Error& error) {
  auto r = Tus(http::ErrorResponseJson(error));
  if (error.kind == core::ErrorKind::kPreconditionFailed) {
    r.With("Tus-Version", std::string(tus::kSupportedVersions));
  }
  return r;
}

/// Answers `error` and refuses the body.
std::shared_ptr<http::BodySink> Refuse(const http::Responder& res, const core::Error& error) {
  res.Send(TusError(error));
  return nullptr;
}

std::string UploadPath(const std::string& id) {
  return "/api/v1/uploads/" + id;
}

/// The Content-Length of a body, nullopt when chunked or absent.
std::optional<std::uint64_t> ContentLength(const http::Request& req) {
  const auto text = HeaderOf(req, "content-length");
  if (!text) return std::nullopt;
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return n;
}

bool HasBody(const http::Request& req) {
  const auto length = ContentLength(req);
  return (length && *length > 0) || HeaderOf(req, "transfer-encoding").has_value();
}

/// Bytes of one body appended to an upload, then the upload's bookkeeping. Its calls run on the
/// server's body pool, one at a time (http/body_sink.hpp), so it may wait for the disk and for
/// its write.
class AppendSink : public http::BodySink {
 public:
  AppendSink(video::EntryService& videos, video::Upload upload)
      : videos_(videos), upload_(std::move(upload)) {}

  core::Status OnData(std::string_view bytes) override {
    HOITHI_TRY(Open());
    return appender_->Write(bytes);
  }

  void OnEnd(http::Responder responder) override {
    if (auto st = Open(); !st) return responder.Send(TusError(st.error()));
    auto offset = appender_->Finish();
    appender_.reset();  // the upload's lock, released before the answer
    if (!offset) return responder.Send(TusError(offset.error()));
    auto expires = videos_.AfterAppend(upload_, *offset);
    if (!expires) return responder.Send(TusError(expires.error()));
    auto r = Answer();
    r.With("Upload-Offset", std::to_string(*offset));
    if (*offset < upload_.length) r.With("Upload-Expires", tus::FormatHttpDate(*expires));
    responder.Send(Tus(std::move(r)));
  }

  void OnAbort(const core::Error&) override {
    if (!appender_) return;
    // What reached the disk stays; the client asks HEAD for the offset and goes on from there.
    auto offset = appender_->Abandon();
    appender_.reset();
    if (offset) (void)videos_.AfterAppend(upload_, *offset);
  }

 protected:
  /// The answer once the body is stored, before its tus headers.
  virtual http::Response Answer() = 0;
  /// Gets the appender ready (the first call does the work).
  virtual core::Status Open() = 0;

  video::EntryService& videos_;
  video::Upload upload_;
  std::unique_ptr<video::UploadAppender> appender_;
};

/// A PATCH: the appender was begun by the handler, which checked the offset.
class PatchSink final : public AppendSink {
 public:
  PatchSink(video::EntryService& videos, video::Upload upload,
            std::unique_ptr<video::UploadAppender> appender)
      : AppendSink(videos, std::move(upload)) {
    appender_ = std::move(appender);
  }

 private:
  http::Response Answer() override { return http::Response::NoContent(); }
  core::Status Open() override {
    if (appender_) return core::Ok();
    return core::MakeError(core::ErrorKind::kInternal, "internal", "Lỗi máy chủ.");
  }
};

/// A POST (creation, with or without the first bytes): the upload is made on the body pool,
/// off the network thread, by the first call.
class CreateSink final : public AppendSink {
 public:
  CreateSink(video::EntryService& videos, video::Upload upload, accounts::SignedIn actor,
             accounts::ClientInfo client)
      : AppendSink(videos, std::move(upload)),
        actor_(std::move(actor)),
        client_(std::move(client)) {}

 private:
  http::Response Answer() override {
    auto r = http::Response{201, {}, {}, {}, {}};
    r.With("Location", UploadPath(upload_.id));
    return r;
  }

  core::Status Open() override {
    if (opened_) return appender_ ? core::Ok() : opened_error_;
    opened_ = true;
    auto st = Create();
    if (!st) opened_error_ = st;
    return st;
  }

  core::Status Create() {
    const auto id = video::FileId::Parse(upload_.id);
    if (!id) return core::MakeError(core::ErrorKind::kInternal, "internal", "Lỗi máy chủ.");
    auto& files = videos_.files();
    HOITHI_TRY(files.CreateUpload(*id));
    if (auto st = videos_.RecordUpload(actor_, client_, upload_); !st) {
      (void)files.RemoveAll(*id);
      return st;
    }
    auto appender = files.BeginAppend(*id, 0, {upload_.length, std::nullopt});
    if (!appender) return std::move(appender).error();
    appender_ = std::move(*appender);
    return core::Ok();
  }

  accounts::SignedIn actor_;
  accounts::ClientInfo client_;
  bool opened_ = false;
  core::Status opened_error_;
};

struct FoundUpload {
  contest::Contest contest;
  video::Upload upload;
};

/// The upload of the {id} parameter, after what every request on one checks: the protocol's
/// version, the caller's contest, the caller's access to its entry (video::EntryService).
core::Result<FoundUpload> UploadOf(const UploadApiDeps& deps, const http::Request& req,
                                   bool writing) {
  HOITHI_TRY(tus::CheckTusResumable(HeaderOf(req, "tus-resumable")));
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return std::move(contest).error();
  auto found = deps.videos.UploadFor(Who(req), *contest, req.Param("id"), writing);
  if (!found) return std::move(found).error();
  return FoundUpload{std::move(*contest), std::move(found->first)};
}

void Options(const UploadApiDeps& deps, http::Request&, http::Responder res) {
  auto r = http::Response::NoContent();
  for (auto& [name, value] : tus::OptionsHeaders(deps.videos.options().tus)) {
    r.With(std::move(name), std::move(value));
  }
  res.Send(std::move(r));
}

std::shared_ptr<http::BodySink> Create(const UploadApiDeps& deps, http::Request& req,
                                       http::Responder res) {
  const auto& limits = deps.videos.options().tus;
  if (auto st = tus::CheckTusResumable(HeaderOf(req, "tus-resumable")); !st) {
    return Refuse(res, st.error());
  }
  auto length = tus::ParseUploadLength(HeaderOf(req, "upload-length"),
                                       HeaderOf(req, "upload-defer-length"), limits);
  if (!length) return Refuse(res, length.error());
  const auto metadata_header = HeaderOf(req, "upload-metadata");
  auto metadata = tus::ParseUploadMetadata(metadata_header, limits);
  if (!metadata) return Refuse(res, metadata.error());
  std::int64_t entry_id = 0;
  const auto entry_text = metadata->Get("entry_id").value_or("");
  const auto [end, ec] =
      std::from_chars(entry_text.data(), entry_text.data() + entry_text.size(), entry_id);
  if (ec != std::errc() || end != entry_text.data() + entry_text.size() || entry_id <= 0) {
    return Refuse(res, core::MakeError(core::ErrorKind::kBadRequest, "upload_entry_missing",
                                       "Lượt tải lên cần cho biết video dự thi nào (entry_id).",
                                       "Upload-Metadata"));
  }
  if (HasBody(req)) {
    if (auto st = tus::CheckOffsetContentType(HeaderOf(req, "content-type")); !st) {
      return Refuse(res, st.error());
    }
    if (auto st = tus::CheckChunkFits(0, ContentLength(req), *length); !st) {
      return Refuse(res, st.error());
    }
  }
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return Refuse(res, contest.error());
  const auto& who = Who(req);
  auto entry = deps.videos.CheckNewUpload(who, *contest, entry_id);
  if (!entry) return Refuse(res, entry.error());
  auto upload =
      deps.videos.NewUpload(who, *entry, *length, std::string(metadata_header.value_or("")));
  return std::make_shared<CreateSink>(deps.videos, std::move(upload), who, ClientOf(req));
}

void Head(const UploadApiDeps& deps, http::Request& req, http::Responder res) {
  auto found = UploadOf(deps, req, false);
  if (!found) return res.Send(TusError(found.error()));
  const auto& upload = found->upload;
  auto offset = deps.videos.files().UploadOffset(*video::FileId::Parse(upload.id));
  if (!offset) return res.Send(TusError(offset.error()));
  auto r = http::Response{200, {}, {}, {}, {}};
  r.With("Upload-Offset", std::to_string(*offset));
  r.With("Upload-Length", std::to_string(upload.length));
  if (!upload.metadata.empty()) r.With("Upload-Metadata", upload.metadata);
  if (!upload.finished_at) r.With("Upload-Expires", tus::FormatHttpDate(upload.expires_at));
  r.With("Cache-Control", "no-store");
  res.Send(Tus(std::move(r)));
}

std::shared_ptr<http::BodySink> Patch(const UploadApiDeps& deps, http::Request& req,
                                      http::Responder res) {
  auto found = UploadOf(deps, req, true);
  if (!found) return Refuse(res, found.error());
  if (auto st = tus::CheckOffsetContentType(HeaderOf(req, "content-type")); !st) {
    return Refuse(res, st.error());
  }
  auto offset = tus::ParseUploadOffset(HeaderOf(req, "upload-offset"));
  if (!offset) return Refuse(res, offset.error());
  auto checksum = tus::ParseUploadChecksum(HeaderOf(req, "upload-checksum"));
  if (!checksum) return Refuse(res, checksum.error());
  auto& upload = found->upload;
  if (auto st = tus::CheckChunkFits(*offset, ContentLength(req), upload.length); !st) {
    return Refuse(res, st.error());
  }
  auto appender = deps.videos.files().BeginAppend(*video::FileId::Parse(upload.id), *offset,
                                                  {upload.length, *checksum});
  if (!appender) return Refuse(res, appender.error());
  return std::make_shared<PatchSink>(deps.videos, std::move(upload), std::move(*appender));
}

void Terminate(const UploadApiDeps& deps, http::Request& req, http::Responder res) {
  auto found = UploadOf(deps, req, false);
  if (!found) return res.Send(TusError(found.error()));
  deps.videos.Terminate(Who(req), ClientOf(req), found->contest, found->upload,
                        [res](core::Status st) {
                          if (!st) return res.Send(TusError(st.error()));
                          res.Send(Tus(http::Response::NoContent()));
                        });
}

}  // namespace

void RegisterUploadApi(http::Router& router, const UploadApiDeps& deps) {
  const auto max_body = static_cast<std::size_t>(deps.videos.options().tus.max_size);
  const auto uploaders = Access::Roles({Role::kAdmin, Role::kFocalPoint});
  // Discovery is open: it tells the limits, nothing about any upload.
  router.Add(Method::kOptions, "/api/v1/uploads", Access::Anyone(), Bind(deps, Options));
  router.AddStreaming(Method::kPost, "/api/v1/uploads", Access(uploaders).MaxBody(max_body),
                      [deps](http::Request& req, http::Responder res) {
                        return Create(deps, req, std::move(res));
                      });
  // HEAD, which the router matches to GET routes; a GET gets the same headers.
  router.Add(Method::kGet, "/api/v1/uploads/{id}", uploaders, Bind(deps, Head));
  router.AddStreaming(
      Method::kPatch, "/api/v1/uploads/{id}", Access(uploaders).MaxBody(max_body),
      [deps](http::Request& req, http::Responder res) { return Patch(deps, req, std::move(res)); });
  router.Add(Method::kDelete, "/api/v1/uploads/{id}", uploaders, Bind(deps, Terminate));
}

}  // namespace hoithi::api
