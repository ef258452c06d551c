// Fuzz target: the tus headers of an upload request (video::tus), each line of the input one
// "Name: value" header. Every value goes through every parser (a wrong header in a field is what
// a client can send); invariants: a length within the limit, a checksum of 32 bytes, metadata
// that reads back the same after FormatUploadMetadata, stable non-empty error codes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "check.hpp"
#include "video/tus.hpp"

namespace {

using namespace hoithi::video::tus;

template <class R>
void CheckError(const R& r) {
  if (!r.ok()) {
    FUZZ_CHECK(!r.error().code.empty());
    FUZZ_CHECK(!r.error().message.empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> values;
  for (std::size_t start = 0; start <= text.size();) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(start, end - start);
    const auto colon = line.find(':');
    if (colon != std::string_view::npos) line.remove_prefix(colon + 1);
    if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    values.push_back(line);
    start = end + 1;
  }

  Limits limits;
  limits.max_size = 1ull << 31;
  limits.max_metadata_bytes = 1024;
  limits.max_metadata_pairs = 8;
  for (const auto value : values) {
    CheckError(CheckTusResumable(value));

    const auto length = ParseUploadLength(value, std::nullopt, limits);
    CheckError(length);
    if (length.ok()) FUZZ_CHECK(*length <= limits.max_size);

    const auto offset = ParseUploadOffset(value);
    CheckError(offset);
    if (offset.ok()) {  // digits only, and their number
      FUZZ_CHECK(value.find_first_not_of("0123456789") == std::string_view::npos);
      FUZZ_CHECK(std::stoull(std::string(value)) == *offset);
    }

    CheckError(CheckOffsetContentType(value));
    CheckError(EffectiveMethod("POST", value));

    const auto checksum = ParseUploadChecksum(value);
    CheckError(checksum);
    if (checksum.ok()) FUZZ_CHECK(checksum->has_value());  // a value was given

    const auto metadata = ParseUploadMetadata(value, limits);
    CheckError(metadata);
    if (metadata.ok()) {
      FUZZ_CHECK(metadata->pairs().size() <= limits.max_metadata_pairs);
      // What HEAD answers must read back as what the client sent.
      Limits roomy = limits;
      roomy.max_metadata_bytes = 1 << 20;
      const auto again = ParseUploadMetadata(FormatUploadMetadata(*metadata), roomy);
      FUZZ_CHECK(again.ok());
      FUZZ_CHECK(again->pairs() == metadata->pairs());
    }
  }
  if (size >= 8) {
    std::int64_t ms = 0;
    for (int i = 0; i < 8; ++i)
      ms = (ms << 8) | data[i];
    ms %= 253402300800000LL;  // years 1970..9999
    if (ms < 0) ms = -ms;
    FUZZ_CHECK(FormatHttpDate(hoithi::core::FromEpochMs(ms)).size() == 29);
  }
  return 0;
}
