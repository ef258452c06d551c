// Where a video's files live: its original (the tus upload as received, kept for the jury), its
// poster and its web-playable MP4. Names on disk come from ids we generate, never from a user.
// Promises: an offset reported by an append is on disk (fsynced); a derived file is replaced
// atomically and durably; a full disk damages nothing already stored.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "video/tus.hpp"

namespace hoithi::video {

/// The id of one video's files: 32 lowercase hex characters (128 random bits).
class FileId {
 public:
  static FileId Generate();
  /// An id read back (from the database): nullopt unless it has the generated form, so that no
  /// stored string can lead a path out of the data directory.
  static std::optional<FileId> Parse(std::string_view text);
  const std::string& str() const { return value_; }
  friend bool operator==(const FileId&, const FileId&) = default;

 private:
  explicit FileId(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

enum class FileKind {
  kOriginal,  // the upload, byte for byte
  kPoster,    // a JPEG frame
  kPlayable,  // H.264/AAC MP4, faststart
};

struct AppendOptions {
  /// The upload's declared length (Upload-Length): no byte goes past it.
  std::uint64_t length = 0;
  /// When set (Upload-Checksum), the body must hash to it, else nothing of it is kept.
  std::optional<tus::Sha256> sha256;
};

/// One PATCH body being appended to an upload, a chunk at a time as it arrives. Holds the
/// upload's lock (one appender per upload, across processes) until Finish or Abandon. Used by
/// one thread at a time, which may change between calls (the HTTP layer's worker threads).
/// States: writing --Write--> writing; writing --Finish/Abandon--> done (the lock released).
class UploadAppender {
 public:
  virtual ~UploadAppender() = default;  // an unfinished appender is abandoned

  /// Writes `bytes` after what came before. Errors: kPayloadTooLarge ("upload_chunk_too_large")
  /// past the declared length (nothing of the chunk is written); kInsufficientStorage
  /// ("storage_full") when the disk is full. After an error, only Abandon or Finish remain.
  virtual core::Status Write(std::string_view bytes) = 0;

  /// The body is complete: makes it durable, checks the checksum, and returns the new offset
  /// (the size of the original on disk). A mismatch removes the body and answers
  /// kChecksumMismatch ("checksum_mismatch"); the offset stays where it was.
  virtual core::Result<std::uint64_t> Finish() = 0;

  /// The body ended early (client gone, a Write failed): keeps and makes durable the bytes
  /// written, unless a checksum was expected (then none of them), and returns the offset
  /// now on disk; after a failed Write, its error.
  virtual core::Result<std::uint64_t> Abandon() = 0;

  /// The offset after the bytes written so far (durable only after Finish/Abandon).
  virtual std::uint64_t offset() const = 0;
};

/// The stored files of videos. Thread-safe.
class FileStore {
 public:
  virtual ~FileStore() = default;

  /// Creates the empty original of a new upload, durably. kConflict ("upload_exists") when
  /// there is one.
  virtual core::Status CreateUpload(const FileId& id) = 0;

  /// The upload's offset: the size of its original on disk (after a crash, what reached the
  /// disk). kNotFound ("upload_not_found").
  virtual core::Result<std::uint64_t> UploadOffset(const FileId& id) = 0;

  /// Starts appending a body at `offset`, which must be the upload's offset: kConflict
  /// ("upload_offset_mismatch", the tus 409) otherwise, and kConflict ("upload_busy") while
  /// another appender holds the upload. kNotFound when there is no such upload.
  virtual core::Result<std::unique_ptr<UploadAppender>> BeginAppend(
      const FileId& id, std::uint64_t offset, const AppendOptions& options) = 0;

  /// Replaces a derived file (poster, playable) with `bytes` atomically: a reader sees the
  /// old whole file or the new one, also after a crash. A full disk leaves the old one.
  virtual core::Status WriteDerived(const FileId& id, FileKind kind, std::string_view bytes) = 0;

  /// Where a file of `id` is (or would be) on the local disk: what ffprobe and ffmpeg read and
  /// write (through PublishFile) and what the download helper sends.
  virtual std::filesystem::path PathOf(const FileId& id, FileKind kind) const = 0;

  /// Removes a file; one that is not there is no error.
  virtual core::Status Remove(const FileId& id, FileKind kind) = 0;
  /// Removes every file of `id` (termination of an upload, withdrawal of a video).
  virtual core::Status RemoveAll(const FileId& id) = 0;
};

/// The files under `<data_dir>/videos/`: originals/<id>, posters/<id>.jpg, playable/<id>.mp4;
/// temporary files beside them start with ".tmp-".
class LocalFileStore final : public FileStore {
 public:
  /// Creates the directories as needed. kInternal when they cannot be created.
  static core::Result<std::unique_ptr<LocalFileStore>> Open(const std::filesystem::path& data_dir);

  core::Status CreateUpload(const FileId& id) override;
  core::Result<std::uint64_t> UploadOffset(const FileId& id) override;
  core::Result<std::unique_ptr<UploadAppender>> BeginAppend(const FileId& id, std::uint64_t offset,
                                                            const AppendOptions& options) override;
  core::Status WriteDerived(const FileId& id, FileKind kind, std::string_view bytes) override;
  std::filesystem::path PathOf(const FileId& id, FileKind kind) const override;
  core::Status Remove(const FileId& id, FileKind kind) override;
  core::Status RemoveAll(const FileId& id) override;

  /// Removes temporary files older than `age` (left by a crash mid-write); returns how many.
  std::size_t RemoveStaleTempFiles(std::chrono::seconds age);

 private:
  explicit LocalFileStore(std::filesystem::path root) : root_(std::move(root)) {}
  std::filesystem::path root_;
};

/// A new temporary path beside `final_path` (same directory, so that PublishFile can rename it
/// there), keeping its extension: ".tmp-<random>-<file name>".
std::filesystem::path TempPathBeside(const std::filesystem::path& final_path);

/// Puts the finished file `temp` in place of `final_path` (same directory) atomically and
/// durably: fsync the file, rename, fsync the directory. On failure `temp` is removed.
core::Status PublishFile(const std::filesystem::path& temp,
                         const std::filesystem::path& final_path);

/// The Error for an errno of a failed write: kInsufficientStorage for a full disk (ENOSPC,
/// EDQUOT, EFBIG), kInternal otherwise; `what` goes to the log detail.
core::Error WriteError(int err, std::string_view what);

}  // namespace hoithi::video
