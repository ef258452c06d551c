// The one-way dependency rule, checked on the sources: each folder of src/ may include only the
// folders its CMake library links (src/CMakeLists.txt), and api/ and web/ hold no SQL.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace {

namespace fs = std::filesystem;

const std::map<std::string, std::set<std::string>> kAllowed = {
    {"core", {"core"}},
    {"spreadsheet", {"core", "spreadsheet"}},
    {"jobs", {"core", "store", "jobs"}},
    {"store", {"core", "store"}},
    {"video", {"core", "video"}},
    {"audit", {"core", "store", "audit"}},
    {"contest", {"core", "store", "audit", "contest"}},
    {"accounts", {"core", "store", "audit", "jobs", "contest", "spreadsheet", "accounts"}},
    {"quiz", {"core", "store", "audit", "contest", "spreadsheet", "quiz"}},
    {"results", {"core", "store", "contest", "accounts", "quiz", "results"}},
    {"http", {"core", "accounts", "http"}},
    {"api",
     {"core", "store", "audit", "contest", "accounts", "quiz", "results", "spreadsheet", "jobs",
      "http", "api"}},
    {"web",
     {"core", "store", "audit", "contest", "accounts", "quiz", "results", "spreadsheet", "jobs",
      "http", "web"}},
    {"cli", {"core", "store", "audit", "contest", "accounts", "quiz", "spreadsheet", "cli"}},
    {"app",
     {"core", "store", "audit", "contest", "accounts", "quiz", "spreadsheet", "jobs", "results",
      "http", "api", "web", "cli", "app"}},
};

std::vector<fs::path> Sources(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const auto ext = e.path().extension();
    if (ext == ".cpp" || ext == ".hpp") out.push_back(e.path());
  }
  return out;
}

std::string Read(const fs::path& p) {
  std::ifstream in(p);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(Layering, EveryFolderIncludesOnlyTheLayersBelowIt) {
  const fs::path src = fs::path(HOITHI_SOURCE_DIR) / "src";
  for (const auto& entry : fs::directory_iterator(src)) {
    if (!entry.is_directory()) continue;
    const auto module = entry.path().filename().string();
    const auto allowed = kAllowed.find(module);
    ASSERT_NE(allowed, kAllowed.end()) << "src/" << module << " is missing from this test's table";
    for (const auto& file : Sources(entry.path())) {
      const auto text = Read(file);
      for (auto at = text.find("#include \""); at != std::string::npos;
           at = text.find("#include \"", at + 1)) {
        const auto start = at + 10;
        const auto slash = text.find('/', start);
        const auto quote = text.find('"', start);
        if (slash == std::string::npos || slash > quote) continue;  // "file.hpp", no folder
        const auto target = text.substr(start, slash - start);
        EXPECT_TRUE(allowed->second.count(target))
            << fs::relative(file, src).string() << " includes " << target << "/";
      }
    }
  }
}

TEST(Layering, ApiAndWebHoldNoSql) {
  const fs::path src = fs::path(HOITHI_SOURCE_DIR) / "src";
  for (const auto* module : {"api", "web", "http"}) {
    for (const auto& file : Sources(src / module)) {
      const auto text = Read(file);
      for (const char* statement : {"\"SELECT ", "\"INSERT INTO", "\"DELETE FROM", "\"UPDATE "}) {
        EXPECT_EQ(text.find(statement), std::string::npos)
            << fs::relative(file, src).string() << " holds SQL: " << statement;
      }
    }
  }
}

}  // namespace
