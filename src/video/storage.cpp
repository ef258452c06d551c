// LocalFileStore: plain files, POSIX calls. An append holds flock on the original (so two
// requests, or two instances on one disk, never interleave), writes with write(2), and reports
// an offset only after fsync, read back from the file's size. Derived files are written to a
// temporary file and renamed over the old one.
#include "video/storage.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace hoithi::video {

namespace fs = std::filesystem;
using core::ErrorKind;
using core::MakeError;

namespace {

void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

core::Error Internal(std::string message, std::string detail) {
  auto e = MakeError(ErrorKind::kInternal, "storage_failed", std::move(message));
  e.detail = std::move(detail);
  return e;
}

core::Error Failed(std::string_view what, const fs::path& path, int err) {
  return Internal("Máy chủ không ghi được tệp video; vui lòng thử lại sau.",
                  fmt::format("{} {}: {}", what, path.string(), std::strerror(err)));
}

core::Error NotFound() {
  return MakeError(ErrorKind::kNotFound, "upload_not_found",
                   "Không tìm thấy tệp đang tải lên (có thể đã hết hạn hoặc đã bị hủy).");
}

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Close(); }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

/// fsync of a directory, so that a name created, renamed or removed in it survives a crash.
int SyncDir(const fs::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return errno;
  return ::fsync(fd.get()) == 0 ? 0 : errno;
}

/// Writes all of `bytes`; 0 or the errno of the write that failed, with `*written` the bytes
/// that did go (a short write before ENOSPC).
int WriteAll(int fd, std::string_view bytes, std::size_t* written) {
  *written = 0;
  while (*written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + *written, bytes.size() - *written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    *written += static_cast<std::size_t>(n);
  }
  return 0;
}

class LocalAppender final : public UploadAppender {
 public:
  LocalAppender(int fd, fs::path path, std::uint64_t start, const AppendOptions& options)
      : fd_(fd), path_(std::move(path)), start_(start), pos_(start), options_(options) {
    if (options_.sha256) crypto_hash_sha256_init(&hash_);
  }
  ~LocalAppender() override {
    if (!done_) (void)Abandon();
  }

  core::Status Write(std::string_view bytes) override {
    if (done_) return Internal("Lỗi máy chủ khi ghi tệp video.", "Write after Finish/Abandon");
    if (failed_) return *failed_;
    if (bytes.size() > options_.length - std::min(options_.length, pos_)) {
      failed_ = MakeError(ErrorKind::kPayloadTooLarge, "upload_chunk_too_large",
                          "Dữ liệu gửi lên vượt quá kích thước tệp đã khai báo (Upload-Length).");
      return *failed_;
    }
    std::size_t written = 0;
    const int err = WriteAll(fd_.get(), bytes, &written);
    if (options_.sha256) {
      crypto_hash_sha256_update(&hash_, reinterpret_cast<const unsigned char*>(bytes.data()),
                                written);
    }
    pos_ += written;
    if (err != 0) {
      failed_ = WriteError(err, fmt::format("write {}", path_.string()));
      return *failed_;
    }
    return core::Ok();
  }

  core::Result<std::uint64_t> Finish() override {
    if (failed_ || done_) return Abandon();
    if (::fsync(fd_.get()) != 0) return Rollback(WriteError(errno, "fsync " + path_.string()));
    if (options_.sha256) {
      tus::Sha256 got;
      crypto_hash_sha256_final(&hash_, got.data());
      if (sodium_memcmp(got.data(), options_.sha256->data(), got.size()) != 0) {
        return Rollback(MakeError(ErrorKind::kChecksumMismatch, "checksum_mismatch",
                                  "Dữ liệu nhận được không khớp mã kiểm tra (Upload-Checksum); "
                                  "phần này không được lưu, vui lòng gửi lại."));
      }
    }
    return Close();
  }

  core::Result<std::uint64_t> Abandon() override {
    if (done_) {
      if (failed_) return *failed_;
      return Internal("Lỗi máy chủ khi ghi tệp video.", "Abandon after Finish/Abandon");
    }
    // Bytes that a checksum was to vouch for cannot be kept unchecked.
    if (options_.sha256) {
      auto e = failed_ ? *failed_
                       : MakeError(ErrorKind::kBadRequest, "upload_body_incomplete",
                                   "Phần dữ liệu gửi lên chưa trọn vẹn nên không được lưu.");
      return Rollback(std::move(e));
    }
    if (::fsync(fd_.get()) != 0) {
      return Rollback(failed_ ? *failed_ : WriteError(errno, "fsync " + path_.string()));
    }
    auto offset = Close();
    if (failed_) return *failed_;
    return offset;
  }

  std::uint64_t offset() const override { return pos_; }

 private:
  /// The offset on disk, now durable; closing the descriptor releases the lock.
  core::Result<std::uint64_t> Close() {
    done_ = true;
    struct stat st {};
    const int rc = ::fstat(fd_.get(), &st);
    const int err = errno;
    fd_.Close();
    if (rc != 0) return Failed("fstat", path_, err);
    pos_ = static_cast<std::uint64_t>(st.st_size);
    return pos_;
  }

  /// Cuts the original back to where this body started (durable then, since it was reported),
  /// and answers `error`.
  core::Result<std::uint64_t> Rollback(core::Error error) {
    done_ = true;
    if (::ftruncate(fd_.get(), static_cast<off_t>(start_)) != 0 || ::fsync(fd_.get()) != 0) {
      error.detail += fmt::format("; rollback of {} to {} failed: {}", path_.string(), start_,
                                  std::strerror(errno));
    }
    fd_.Close();
    pos_ = start_;
    if (!failed_) failed_ = error;
    return error;
  }

  Fd fd_;
  fs::path path_;
  std::uint64_t start_;
  std::uint64_t pos_;
  AppendOptions options_;
  crypto_hash_sha256_state hash_{};
  std::optional<core::Error> failed_;
  bool done_ = false;
};

constexpr const char* kDirs[] = {"originals", "posters", "playable"};

}  // namespace

core::Error WriteError(int err, std::string_view what) {
  core::Error e;
  if (err == ENOSPC || err == EDQUOT || err == EFBIG) {
    e = MakeError(ErrorKind::kInsufficientStorage, "storage_full",
                  "Máy chủ đã hết chỗ lưu tệp video. Phần đã nhận vẫn được giữ; vui lòng báo Ban "
                  "Tổ chức và thử lại sau.");
  } else {
    e = MakeError(ErrorKind::kInternal, "storage_failed",
                  "Máy chủ không ghi được tệp video; vui lòng thử lại sau.");
  }
  e.detail = fmt::format("{}: {}", what, std::strerror(err));
  return e;
}

FileId FileId::Generate() {
  EnsureSodium();
  unsigned char raw[16];
  randombytes_buf(raw, sizeof raw);
  char hex[sizeof raw * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  return FileId(std::string(hex, sizeof raw * 2));
}

std::optional<FileId> FileId::Parse(std::string_view text) {
  if (text.size() != 32) return std::nullopt;
  if (!std::all_of(text.begin(), text.end(),
                   [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); })) {
    return std::nullopt;
  }
  return FileId(std::string(text));
}

fs::path TempPathBeside(const fs::path& final_path) {
  EnsureSodium();
  return final_path.parent_path() /
         fmt::format(".tmp-{:08x}-{}", randombytes_random(), final_path.filename().string());
}

core::Status PublishFile(const fs::path& temp, const fs::path& final_path) {
  const auto fail = [&](std::string_view what, int err) -> core::Status {
    std::error_code ec;
    fs::remove(temp, ec);
    return WriteError(err, fmt::format("{} {}", what, temp.string()));
  };
  {
    Fd fd(::open(temp.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return fail("open", errno);
    if (::fsync(fd.get()) != 0) return fail("fsync", errno);
  }
  if (::rename(temp.c_str(), final_path.c_str()) != 0) return fail("rename", errno);
  if (const int err = SyncDir(final_path.parent_path()); err != 0) {
    // The new file is in place; only its durability across a crash is in doubt.
    return WriteError(err, "fsync dir " + final_path.parent_path().string());
  }
  return core::Ok();
}

core::Result<std::unique_ptr<LocalFileStore>> LocalFileStore::Open(const fs::path& data_dir) {
  EnsureSodium();
  const fs::path root = data_dir / "videos";
  for (const char* dir : kDirs) {
    std::error_code ec;
    fs::create_directories(root / dir, ec);
    if (ec) {
      return Internal("Máy chủ không tạo được thư mục lưu video.",
                      fmt::format("{}: {}", (root / dir).string(), ec.message()));
    }
  }
  return std::unique_ptr<LocalFileStore>(new LocalFileStore(root));
}

fs::path LocalFileStore::PathOf(const FileId& id, FileKind kind) const {
  switch (kind) {
    case FileKind::kOriginal:
      return root_ / "originals" / id.str();
    case FileKind::kPoster:
      return root_ / "posters" / (id.str() + ".jpg");
    case FileKind::kPlayable:
      return root_ / "playable" / (id.str() + ".mp4");
  }
  return {};
}

core::Status LocalFileStore::CreateUpload(const FileId& id) {
  const auto path = PathOf(id, FileKind::kOriginal);
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640));
  if (fd.get() < 0 && errno == EEXIST) {
    return MakeError(ErrorKind::kConflict, "upload_exists", "Tệp tải lên này đã có.");
  }
  if (fd.get() < 0) return WriteError(errno, "create " + path.string());
  if (::fsync(fd.get()) != 0) return WriteError(errno, "fsync " + path.string());
  if (const int err = SyncDir(path.parent_path()); err != 0) {
    return WriteError(err, "fsync dir " + path.parent_path().string());
  }
  return core::Ok();
}

core::Result<std::uint64_t> LocalFileStore::UploadOffset(const FileId& id) {
  const auto path = PathOf(id, FileKind::kOriginal);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return NotFound();
    return Failed("stat", path, errno);
  }
  return static_cast<std::uint64_t>(st.st_size);
}

core::Result<std::unique_ptr<UploadAppender>> LocalFileStore::BeginAppend(
    const FileId& id, std::uint64_t offset, const AppendOptions& options) {
  const auto path = PathOf(id, FileKind::kOriginal);
  const int raw = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (raw < 0) {
    if (errno == ENOENT) return NotFound();
    return Failed("open", path, errno);
  }
  Fd fd(raw);
  // flock, not fcntl locks: it belongs to this open file, not the process, so two threads of
  // one server exclude each other too.
  if (::flock(raw, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      return MakeError(ErrorKind::kConflict, "upload_busy",
                       "Tệp này đang được tải lên trong một yêu cầu khác; vui lòng đợi giây lát.");
    }
    return Failed("flock", path, errno);
  }
  struct stat st {};
  if (::fstat(raw, &st) != 0) return Failed("fstat", path, errno);
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (offset != size) {
    auto e = MakeError(ErrorKind::kConflict, "upload_offset_mismatch",
                       fmt::format("Vị trí tải tiếp (Upload-Offset) không khớp: máy chủ đã nhận "
                                   "{} byte của tệp này.",
                                   size),
                       "Upload-Offset");
    return e;
  }
  if (::lseek(raw, static_cast<off_t>(size), SEEK_SET) < 0) return Failed("lseek", path, errno);
  return std::unique_ptr<UploadAppender>(new LocalAppender(fd.release(), path, size, options));
}

core::Status LocalFileStore::WriteDerived(const FileId& id, FileKind kind, std::string_view bytes) {
  const auto path = PathOf(id, kind);
  const auto temp = TempPathBeside(path);
  {
    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640));
    if (fd.get() < 0) return WriteError(errno, "create " + temp.string());
    std::size_t written = 0;
    if (const int err = WriteAll(fd.get(), bytes, &written); err != 0) {
      std::error_code ec;
      fs::remove(temp, ec);
      return WriteError(err, "write " + temp.string());
    }
  }
  return PublishFile(temp, path);
}

core::Status LocalFileStore::Remove(const FileId& id, FileKind kind) {
  const auto path = PathOf(id, kind);
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) return core::Ok();
    return Failed("unlink", path, errno);
  }
  if (const int err = SyncDir(path.parent_path()); err != 0) {
    return Failed("fsync dir", path.parent_path(), err);
  }
  return core::Ok();
}

core::Status LocalFileStore::RemoveAll(const FileId& id) {
  for (const auto kind : {FileKind::kPlayable, FileKind::kPoster, FileKind::kOriginal}) {
    HOITHI_TRY(Remove(id, kind));
  }
  return core::Ok();
}

std::size_t LocalFileStore::RemoveStaleTempFiles(std::chrono::seconds age) {
  std::size_t removed = 0;
  const auto cutoff = fs::file_time_type::clock::now() - age;
  for (const char* dir : kDirs) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(root_ / dir, ec)) {
      if (!entry.path().filename().string().starts_with(".tmp-")) continue;
      std::error_code time_ec;
      const auto mtime = entry.last_write_time(time_ec);
      if (!time_ec && mtime < cutoff && fs::remove(entry.path(), time_ec)) ++removed;
    }
  }
  return removed;
}

}  // namespace hoithi::video
