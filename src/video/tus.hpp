// The pure parts of the tus 1.0.0 resumable upload protocol
// (https://tus.io/protocols/resumable-upload): reading and checking its request headers, and the
// headers of its answers. No I/O; the HTTP layer passes header values (nullopt when the header is
// absent) and turns errors into statuses. Extensions served: creation, creation-with-upload,
// termination, expiration, checksum (sha256).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace hoithi::video::tus {

inline constexpr std::string_view kVersion = "1.0.0";
/// Tus-Version: the versions served, preferred first.
inline constexpr std::string_view kSupportedVersions = "1.0.0";
inline constexpr std::string_view kExtensions =
    "creation,creation-with-upload,termination,expiration,checksum";
/// Tus-Checksum-Algorithm. The spec asks servers for sha1 as well; we take only sha256.
inline constexpr std::string_view kChecksumAlgorithms = "sha256";
inline constexpr std::string_view kOffsetContentType = "application/offset+octet-stream";

struct Limits {
  /// Tus-Max-Size: the largest upload accepted, in bytes.
  std::uint64_t max_size = 2ull * 1024 * 1024 * 1024;
  /// The longest Upload-Metadata header, and the most pairs in it.
  std::size_t max_metadata_bytes = 4096;
  std::size_t max_metadata_pairs = 32;
};

using Header = std::optional<std::string_view>;  // nullopt: the request does not carry it
using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// Every request but OPTIONS must carry `Tus-Resumable: 1.0.0`. Otherwise kPreconditionFailed
/// ("tus_version_unsupported"), whose answer must carry Tus-Version (kSupportedVersions) and must
/// not process the request.
core::Status CheckTusResumable(Header tus_resumable);

/// The method the request stands for: X-HTTP-Method-Override when a POST carries it (clients
/// that cannot send PATCH or DELETE), else `method`. Only a POST is overridden, so that a GET,
/// which browsers send across sites freely, never becomes a DELETE; the override must be a
/// method of the protocol (HEAD, PATCH, DELETE, OPTIONS, POST, GET), else kBadRequest
/// ("method_override_invalid"). The router and the access check must see the result.
core::Result<std::string> EffectiveMethod(std::string_view method, Header method_override);

/// The length of a new upload (POST), from Upload-Length: a non-negative decimal integer, digits
/// only, no sign or spaces, at most limits.max_size. Errors: "upload_length_missing",
/// "upload_length_invalid", "upload_length_ambiguous" (with Upload-Defer-Length),
/// "upload_defer_length_unsupported" (kBadRequest); over the limit: kPayloadTooLarge
/// ("upload_too_large"), the 413 of the creation extension.
core::Result<std::uint64_t> ParseUploadLength(Header upload_length, Header upload_defer_length,
                                              const Limits& limits);

/// Upload-Offset of a PATCH (or of a creation-with-upload POST, where absent means 0 and the
/// caller passes "0"): a non-negative decimal integer. Errors: "upload_offset_missing",
/// "upload_offset_invalid" (kBadRequest). Whether it equals the stored offset is the storage's
/// check (409).
core::Result<std::uint64_t> ParseUploadOffset(Header upload_offset);

/// A PATCH body (and a creation-with-upload body) must be application/offset+octet-stream
/// (case-insensitive, parameters ignored). Else kUnsupportedMediaType ("content_type_invalid").
core::Status CheckOffsetContentType(Header content_type);

/// A body of `content_length` bytes at `offset` must not run past the upload's length.
/// Else kPayloadTooLarge ("upload_chunk_too_large"). An unknown length (chunked) passes; the
/// storage stops at the upload's length as the bytes come.
core::Status CheckChunkFits(std::uint64_t offset, std::optional<std::uint64_t> content_length,
                            std::uint64_t upload_length);

/// Upload-Metadata, in the order given; values decoded from base64 (they may be any bytes:
/// check a file name with the text helpers before showing it).
class Metadata {
 public:
  /// The value of `key`, nullopt when absent (an empty value is "").
  std::optional<std::string> Get(std::string_view key) const;
  const std::vector<std::pair<std::string, std::string>>& pairs() const { return pairs_; }
  bool empty() const { return pairs_.empty(); }

 private:
  friend core::Result<Metadata> ParseUploadMetadata(Header, const Limits&);
  std::vector<std::pair<std::string, std::string>> pairs_;
};

/// Upload-Metadata: comma-separated `key base64value` pairs (the value and its space may be
/// left out), optional spaces around each pair. A key is printable ASCII without spaces or
/// commas, unique; a value is standard padded base64. Absent: no metadata. Errors (kBadRequest,
/// field "Upload-Metadata"): "upload_metadata_invalid", "upload_metadata_too_large".
core::Result<Metadata> ParseUploadMetadata(Header upload_metadata, const Limits& limits);

/// The header form of `metadata`, for the answer to HEAD (keys in order, values re-encoded).
std::string FormatUploadMetadata(const Metadata& metadata);

using Sha256 = std::array<unsigned char, 32>;

/// Upload-Checksum of a PATCH: `sha256 <base64 of the 32-byte digest>`; nullopt when absent.
/// Another algorithm: kBadRequest ("checksum_algorithm_unsupported"), the checksum extension's
/// 400; a malformed value: kBadRequest ("upload_checksum_invalid"). A mismatch is found after
/// the body (video::UploadAppender::Finish): kChecksumMismatch, 460.
core::Result<std::optional<Sha256>> ParseUploadChecksum(Header upload_checksum);

/// The headers of the answer to OPTIONS: Tus-Resumable, Tus-Version, Tus-Extension,
/// Tus-Max-Size, Tus-Checksum-Algorithm.
HeaderList OptionsHeaders(const Limits& limits);

/// Upload-Expires: the IMF-fixdate of RFC 9110 (section 5.6.7), "Wed, 25 Jun 2014 16:00:00 GMT".
std::string FormatHttpDate(core::TimePoint t);

}  // namespace hoithi::video::tus
