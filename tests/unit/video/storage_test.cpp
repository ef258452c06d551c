// video::LocalFileStore on a real temp dir: ids, appends at the right offset only, what stays
// after a partial body, checksums, one appender per upload, atomic derived files, removal, and a
// full disk (a real ENOSPC on a tiny tmpfs when the test may mount one; EFBIG through
// RLIMIT_FSIZE always).
#include "video/storage.hpp"

#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sodium.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <thread>

#include "support/temp_dir.hpp"

namespace hoithi::video {
namespace {

namespace fs = std::filesystem;
using core::ErrorKind;
using testing::ReadFile;
using testing::TempDir;

tus::Sha256 Sha256Of(std::string_view bytes) {
  tus::Sha256 out;
  crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  return out;
}

AppendOptions Length(std::uint64_t length) {
  AppendOptions o;
  o.length = length;
  return o;
}

AppendOptions Checked(std::uint64_t length, const tus::Sha256& sha256) {
  auto o = Length(length);
  o.sha256 = sha256;
  return o;
}

std::string Bytes(std::size_t n, char seed) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i)
    s[i] = static_cast<char>(seed + i % 61);
  return s;
}

std::vector<std::string> TempFiles(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().starts_with(".tmp-")) out.push_back(e.path().string());
  }
  return out;
}

class Storage : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = LocalFileStore::Open(dir_.path());
    ASSERT_TRUE(s.ok()) << s.error().detail;
    store_ = std::move(s).value();
  }
  /// One whole body appended at `offset`; the new offset.
  core::Result<std::uint64_t> Append(const FileId& id, std::uint64_t offset, std::string_view body,
                                     AppendOptions options) {
    auto a = store_->BeginAppend(id, offset, options);
    if (!a) return std::move(a).error();
    HOITHI_TRY((*a)->Write(body));
    return (*a)->Finish();
  }
  TempDir dir_;
  std::unique_ptr<LocalFileStore> store_;
};

TEST(FileIdTest, GeneratedIdsAreHexAndOnlySuchIdsParse) {
  const auto a = FileId::Generate(), b = FileId::Generate();
  EXPECT_EQ(a.str().size(), 32u);
  EXPECT_NE(a, b);
  ASSERT_TRUE(FileId::Parse(a.str()));
  EXPECT_EQ(*FileId::Parse(a.str()), a);
  for (const char* bad : {"", "../../etc/passwd", "0123456789abcdef0123456789abcdeF",
                          "0123456789abcdef0123456789abcde", "0123456789abcdef0123456789abcde/",
                          "0123456789abcdef0123456789abcdef0"}) {
    EXPECT_FALSE(FileId::Parse(bad)) << bad;
  }
}

TEST_F(Storage, FilesLiveUnderTheDataDirectoryByKind) {
  const auto id = *FileId::Parse("0123456789abcdef0123456789abcdef");
  const auto root = dir_.path() / "videos";
  EXPECT_EQ(store_->PathOf(id, FileKind::kOriginal), root / "originals" / id.str());
  EXPECT_EQ(store_->PathOf(id, FileKind::kPoster), root / "posters" / (id.str() + ".jpg"));
  EXPECT_EQ(store_->PathOf(id, FileKind::kPlayable), root / "playable" / (id.str() + ".mp4"));
}

TEST_F(Storage, AnUploadGrowsByAppendsAtItsOffset) {
  const auto id = FileId::Generate();
  ASSERT_TRUE(store_->CreateUpload(id).ok());
  EXPECT_EQ(*store_->UploadOffset(id), 0u);
  EXPECT_EQ(store_->CreateUpload(id).error().code, "upload_exists");

  const auto body = Bytes(100'000, 'a');
  const auto options = Length(body.size());
  // The HTTP layer hands a body over in chunks as they arrive.
  auto appender = store_->BeginAppend(id, 0, options);
  ASSERT_TRUE(appender.ok());
  for (std::size_t at = 0; at < 60'000; at += 7'000) {
    ASSERT_TRUE(
        (*appender)
            ->Write(std::string_view(body).substr(at, std::min<std::size_t>(7'000, 60'000 - at)))
            .ok());
  }
  EXPECT_EQ((*appender)->offset(), 60'000u);
  EXPECT_EQ(*(*appender)->Finish(), 60'000u);
  EXPECT_EQ(*store_->UploadOffset(id), 60'000u);

  EXPECT_EQ(*Append(id, 60'000, std::string_view(body).substr(60'000), options), 100'000u);
  EXPECT_EQ(ReadFile(store_->PathOf(id, FileKind::kOriginal)), body);
}

TEST_F(Storage, AnAppendAtAnotherOffsetIsAConflictAndChangesNothing) {
  const auto id = FileId::Generate();
  ASSERT_TRUE(store_->CreateUpload(id).ok());
  const auto options = Length(100);
  ASSERT_EQ(*Append(id, 0, "hello", options), 5u);
  for (const std::uint64_t wrong : {0u, 4u, 6u, 1000u}) {
    const auto r = store_->BeginAppend(id, wrong, options);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::kConflict);
    EXPECT_EQ(r.error().code, "upload_offset_mismatch");
    EXPECT_NE(r.error().message.find("5 byte"), std::string::npos) << r.error().message;
  }
  EXPECT_EQ(ReadFile(store_->PathOf(id, FileKind::kOriginal)), "hello");
  EXPECT_EQ(store_->BeginAppend(FileId::Generate(), 0, options).error().code, "upload_not_found");
  EXPECT_EQ(store_->UploadOffset(FileId::Generate()).error().kind, ErrorKind::kNotFound);
}

TEST_F(Storage, OneAppenderPerUploadAtATime) {
  const auto id = FileId::Generate();
  ASSERT_TRUE(store_->CreateUpload(id).ok());
  const auto options = Length(100);
  auto first = store_->BeginAppend(id, 0, options);
  ASSERT_TRUE(first.ok());
  const auto second = store_->BeginAppend(id, 0, options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, "upload_busy");
  ASSERT_TRUE((*first)->Write("abc").ok());
  EXPECT_EQ(*(*first)->Finish(), 3u);
  // Released by Finish, even while the appender object still exists.
  EXPECT_TRUE(store_->BeginAppend(id, 3, options).ok());
}

TEST_F(Storage, ABodyCutShortKeepsWhatArrived) {
  const auto id = FileId::Generate();
  ASSERT_TRUE(store_->CreateUpload(id).ok());
  const auto options = Length(1000);
  {
    auto a = store_->BeginAppend(id, 0, options);
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE((*a)->Write("first part ").ok());
    ASSERT_TRUE((*a)->Write("second").ok());
    EXPECT_EQ(*(*a)->Abandon(), 17u) << "the client went away: what arrived is kept";
  }
  {
    auto a = store_->BeginAppend(id, 17, options);
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE((*a)->Write(" third").ok());
    // Dropped without a word (a thread unwinding): the destructor abandons.
  }
  EXPECT_EQ(*store_->UploadOffset(id), 23u);
  EXPECT_EQ(ReadFile(store_->PathOf(id, FileKind::kOriginal)), "first part second third");
}

TEST_F(Storage, NoBytePastTheDeclaredLength) {
  const auto id = FileId::Generate();
  ASSERT_TRUE(store_->CreateUpload(id).ok());
  auto a = store_->BeginAppend(id, 0, Length(10));
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE((*a)->Write("12345678").ok());
  const auto over = (*a)->Write("abc");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().kind, ErrorKind::kPayloadTooLarge);
  EXPECT_EQ((*a)->Write("9").error().code, "upload_chunk_too_large") << "an error stays";
  const auto end = (*a)->Abandon();
  ASSERT_FALSE(end.ok()) << "the write's error is what the request answers";
  EXPECT_EQ(*store_->UploadOffset(id), 8u) << "the chunks before it are kept";
}

TEST_F(Storage, AMatchingChecksumKeepsTheBody) {
  const auto id = FileId::Generate();
  ASSERT_TRUE(store_->CreateUpload(id).ok());
  EXPECT_EQ(*Append(id, 0, "hello ", Checked(11, Sha256Of("hello "))), 6u);
  EXPECT_EQ(*Append(id, 6, "world", Checked(11, Sha256Of("world"))), 11u);
  EXPECT_EQ(ReadFile(store_->PathOf(id, FileKind::kOriginal)), "hello world");
}

TEST_F(Storage, AChecksumMismatchDiscardsTheBodyAndKeepsTheOffset) {
  const auto id = FileId::Generate();
  ASSERT_TRUE(store_->CreateUpload(id).ok());
  ASSERT_EQ(*Append(id, 0, "hello ", Length(11)), 6u);
  const auto r = Append(id, 6, "w0rld", Checked(11, Sha256Of("world")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kChecksumMismatch);
  EXPECT_EQ(r.error().code, "checksum_mismatch");
  EXPECT_EQ(*store_->UploadOffset(id), 6u);
  EXPECT_EQ(ReadFile(store_->PathOf(id, FileKind::kOriginal)), "hello ");

  // A checksummed body cut short cannot be checked: none of it is kept.
  auto a = store_->BeginAppend(id, 6, Checked(11, Sha256Of("world")));
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE((*a)->Write("wor").ok());
  EXPECT_FALSE((*a)->Abandon().ok());
  EXPECT_EQ(*store_->UploadOffset(id), 6u);
}

TEST_F(Storage, AppendsWorkFromAnotherThread) {
  const auto id = FileId::Generate();
  ASSERT_TRUE(store_->CreateUpload(id).ok());
  auto a = store_->BeginAppend(id, 0, Length(6));
  ASSERT_TRUE(a.ok());
  auto appender = std::move(a).value();
  ASSERT_TRUE(appender->Write("abc").ok());
  std::thread([&] { ASSERT_TRUE(appender->Write("def").ok()); }).join();
  EXPECT_EQ(*appender->Finish(), 6u);
}

TEST_F(Storage, DerivedFilesAreReplacedWhole) {
  const auto id = FileId::Generate();
  ASSERT_TRUE(store_->WriteDerived(id, FileKind::kPoster, "old poster").ok());
  ASSERT_TRUE(store_->WriteDerived(id, FileKind::kPoster, "new poster").ok());
  EXPECT_EQ(ReadFile(store_->PathOf(id, FileKind::kPoster)), "new poster");
  EXPECT_TRUE(TempFiles(dir_.path() / "videos" / "posters").empty());
}

TEST_F(Storage, PublishFileMovesATempFileIntoPlace) {
  const auto final_path = dir_.path() / "videos" / "playable" / "x.mp4";
  const auto temp = TempPathBeside(final_path);
  EXPECT_EQ(temp.parent_path(), final_path.parent_path());
  EXPECT_TRUE(temp.filename().string().starts_with(".tmp-"));
  EXPECT_EQ(temp.extension(), ".mp4") << "ffmpeg picks formats by extension";
  testing::WriteFile(temp, "movie");
  ASSERT_TRUE(PublishFile(temp, final_path).ok());
  EXPECT_EQ(ReadFile(final_path), "movie");
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_FALSE(PublishFile(temp, final_path).ok()) << "no temp file";
}

TEST_F(Storage, RemoveTakesAwayEveryFileOfAVideo) {
  const auto id = FileId::Generate(), other = FileId::Generate();
  ASSERT_TRUE(store_->CreateUpload(id).ok());
  ASSERT_TRUE(store_->CreateUpload(other).ok());
  ASSERT_TRUE(store_->WriteDerived(id, FileKind::kPoster, "p").ok());
  ASSERT_TRUE(store_->RemoveAll(id).ok());
  EXPECT_FALSE(fs::exists(store_->PathOf(id, FileKind::kOriginal)));
  EXPECT_FALSE(fs::exists(store_->PathOf(id, FileKind::kPoster)));
  EXPECT_TRUE(fs::exists(store_->PathOf(other, FileKind::kOriginal)));
  EXPECT_TRUE(store_->RemoveAll(id).ok()) << "again: nothing to remove is no error";
}

TEST_F(Storage, StaleTempFilesAreSweptFreshOnesKept) {
  const auto posters = dir_.path() / "videos" / "posters";
  testing::WriteFile(posters / ".tmp-1-old.jpg", "x");
  testing::WriteFile(posters / ".tmp-2-new.jpg", "x");
  testing::WriteFile(posters / "kept.jpg", "x");
  fs::last_write_time(posters / ".tmp-1-old.jpg",
                      fs::file_time_type::clock::now() - std::chrono::hours(2));
  EXPECT_EQ(store_->RemoveStaleTempFiles(std::chrono::hours(1)), 1u);
  EXPECT_FALSE(fs::exists(posters / ".tmp-1-old.jpg"));
  EXPECT_TRUE(fs::exists(posters / ".tmp-2-new.jpg"));
  EXPECT_TRUE(fs::exists(posters / "kept.jpg"));
}

/// A disk that fills up: the failing body keeps its bytes that fit, nothing stored before is
/// touched, a derived file being replaced stays the old one, no temp file is left.
void CheckFullDisk(LocalFileStore& store, const fs::path& root, std::size_t too_much) {
  const auto id = FileId::Generate();
  ASSERT_TRUE(store.CreateUpload(id).ok());
  const auto first = Bytes(1000, 'A');
  {
    auto a = store.BeginAppend(id, 0, Length(100'000'000));
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE((*a)->Write(first).ok());
    ASSERT_EQ(*(*a)->Finish(), 1000u);
  }
  ASSERT_TRUE(store.WriteDerived(id, FileKind::kPoster, "the poster").ok());

  const auto big = Bytes(too_much, 'a');
  auto a = store.BeginAppend(id, 1000, Length(100'000'000));
  ASSERT_TRUE(a.ok());
  const auto w = (*a)->Write(big);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().kind, ErrorKind::kInsufficientStorage) << w.error().detail;
  EXPECT_EQ(w.error().code, "storage_full");
  EXPECT_NE(w.error().message.find("hết chỗ"), std::string::npos);
  const auto end = (*a)->Abandon();
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(end.error().kind, ErrorKind::kInsufficientStorage);

  const auto offset = *store.UploadOffset(id);
  EXPECT_GE(offset, 1000u);
  EXPECT_LT(offset, 1000u + too_much);
  const auto stored = ReadFile(store.PathOf(id, FileKind::kOriginal));
  ASSERT_EQ(stored.size(), offset);
  EXPECT_EQ(stored, first + big.substr(0, offset - 1000)) << "every kept byte is right";

  const auto poster = store.WriteDerived(id, FileKind::kPoster, std::string(too_much, 'p'));
  ASSERT_FALSE(poster.ok());
  EXPECT_EQ(poster.error().kind, ErrorKind::kInsufficientStorage);
  EXPECT_EQ(ReadFile(store.PathOf(id, FileKind::kPoster)), "the poster");
  EXPECT_TRUE(TempFiles(root / "videos" / "posters").empty());
}

TEST(StorageFull, ARealFullDiskDamagesNothing) {
  // A 256 KiB tmpfs in a mount namespace of this thread alone: it disappears with the test
  // process, whatever happens. Needs CAP_SYS_ADMIN (root in CI's container); skipped otherwise.
  if (::unshare(CLONE_NEWNS) != 0) GTEST_SKIP() << "no mount namespace: " << std::strerror(errno);
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    GTEST_SKIP() << "cannot make mounts private: " << std::strerror(errno);
  }
  TempDir dir;
  if (::mount("tmpfs", dir.path().c_str(), "tmpfs", 0, "size=256k") != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs: " << std::strerror(errno);
  }
  struct Unmount {
    const fs::path& at;
    ~Unmount() { ::umount2(at.c_str(), MNT_DETACH); }
  } unmount{dir.path()};
  auto store = LocalFileStore::Open(dir.path());
  ASSERT_TRUE(store.ok());
  CheckFullDisk(**store, dir.path(), 1024 * 1024);
}

TEST(StorageFull, AFileSizeLimitCountsAsAFullDisk) {
  // RLIMIT_FSIZE makes write(2) fail with EFBIG past the limit, for any user; SIGXFSZ, which
  // would kill the process, is ignored meanwhile.
  TempDir dir;
  auto store = LocalFileStore::Open(dir.path());
  ASSERT_TRUE(store.ok());
  struct Limit {
    rlimit old{};
    sighandler_t old_handler = ::signal(SIGXFSZ, SIG_IGN);
    Limit() {
      ::getrlimit(RLIMIT_FSIZE, &old);
      rlimit limited = old;
      limited.rlim_cur = 64 * 1024;
      ::setrlimit(RLIMIT_FSIZE, &limited);
    }
    ~Limit() {  // also when an assertion returns early: the other tests need big files
      ::setrlimit(RLIMIT_FSIZE, &old);
      ::signal(SIGXFSZ, old_handler);
    }
  } limit;
  CheckFullDisk(**store, dir.path(), 200 * 1024);
}

}  // namespace
}  // namespace hoithi::video
