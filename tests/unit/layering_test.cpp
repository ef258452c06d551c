// The one-way dependency rule and the ownership of tables, checked on the sources:
//  - each folder of src/ may include only the folders its CMake library links, directly or
//    through the libraries it links (read from src/CMakeLists.txt, so the table here cannot
//    drift from the build);
//  - each SQL table belongs to one module, and no other module's code names it in SQL;
//  - api/, web/ and http/ hold no SQL at all.
// Each checker is also run on a deliberate violation, so that none of them can pass vacuously.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& p) {
  std::ifstream in(p);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

const fs::path& SourceDir() {
  static const fs::path src = fs::path(HOITHI_SOURCE_DIR) / "src";
  return src;
}

std::vector<fs::path> Sources(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const auto ext = e.path().extension();
    if (ext == ".cpp" || ext == ".hpp") out.push_back(e.path());
  }
  return out;
}

// --- the dependency table, from src/CMakeLists.txt -------------------------------------------

using Graph = std::map<std::string, std::set<std::string>>;

/// module -> the modules its library links directly: every hoithi_library(NAME ... DEPS ...)
/// and the hoithi executable's target_link_libraries (the module `app`).
Graph DirectLinks(const std::string& cmake) {
  Graph out;
  auto calls = [&](const std::string& head, auto on_call) {
    for (auto at = cmake.find(head); at != std::string::npos; at = cmake.find(head, at + 1)) {
      if (at > 0 &&
          (std::isalnum(static_cast<unsigned char>(cmake[at - 1])) || cmake[at - 1] == '_')) {
        continue;
      }
      const auto open = at + head.size();
      const auto close = cmake.find(')', open);
      std::istringstream words(cmake.substr(open, close - open));
      std::vector<std::string> tokens;
      for (std::string w; words >> w;)
        tokens.push_back(w);
      on_call(tokens);
    }
  };
  calls("hoithi_library(", [&](const std::vector<std::string>& t) {
    if (t.empty()) return;
    auto& deps = out[t[0]];
    bool in_deps = false;
    for (const auto& w : t) {
      if (w == "DEPS") in_deps = true;
      if (w == "SOURCES") in_deps = false;
      if (in_deps && w.starts_with("hoithi_")) deps.insert(w.substr(7));
    }
  });
  calls("target_link_libraries(", [&](const std::vector<std::string>& t) {
    if (t.empty() || t[0] != "hoithi") return;
    for (const auto& w : t) {
      if (w.starts_with("hoithi_")) out["app"].insert(w.substr(7));
    }
  });
  return out;
}

/// module -> every module it may include: itself and what it links, transitively.
Graph Allowed(const Graph& direct) {
  Graph out;
  for (const auto& [module, deps] : direct) {
    std::set<std::string> seen{module};
    std::vector<std::string> todo(deps.begin(), deps.end());
    while (!todo.empty()) {
      const auto next = todo.back();
      todo.pop_back();
      if (!seen.insert(next).second) continue;
      if (const auto it = direct.find(next); it != direct.end())
        todo.insert(todo.end(), it->second.begin(), it->second.end());
    }
    out[module] = seen;
  }
  return out;
}

/// The folders `text` includes ("quiz" for #include "quiz/attempts.hpp").
std::vector<std::string> IncludedFolders(const std::string& text) {
  std::vector<std::string> out;
  for (auto at = text.find("#include \""); at != std::string::npos;
       at = text.find("#include \"", at + 1)) {
    const auto start = at + 10;
    const auto slash = text.find('/', start);
    const auto quote = text.find('"', start);
    if (slash == std::string::npos || slash > quote) continue;  // "file.hpp", no folder
    out.push_back(text.substr(start, slash - start));
  }
  return out;
}

/// "<file> includes <folder>/" for each include of `text` that `module` may not make.
std::vector<std::string> WrongWayIncludes(const Graph& allowed, const std::string& module,
                                          const std::string& file, const std::string& text) {
  std::vector<std::string> out;
  const auto it = allowed.find(module);
  for (const auto& folder : IncludedFolders(text)) {
    if (it == allowed.end() || !it->second.count(folder))
      out.push_back(file + " includes " + folder + "/");
  }
  return out;
}

// --- SQL in string literals --------------------------------------------------------------------

/// The string literals of C++ source `text`, adjacent ones ("a" "b", only spaces and comments
/// between them) joined, comments and character literals skipped; raw strings included.
std::vector<std::string> StringLiterals(const std::string& text) {
  std::vector<std::string> out;
  bool joining = false;  // the last token was a string literal
  std::size_t i = 0;
  auto add = [&](std::string s) {
    if (joining) {
      out.back() += s;
    } else {
      out.push_back(std::move(s));
    }
    joining = true;
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      i = text.find('\n', i);
      if (i == std::string::npos) break;
      continue;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      i = text.find("*/", i + 2);
      if (i == std::string::npos) break;
      i += 2;
      continue;
    }
    if (c == 'R' && i + 1 < text.size() && text[i + 1] == '"' &&
        (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '8')) {
      const auto open = text.find('(', i + 2);
      if (open == std::string::npos) break;
      const std::string end = ")" + text.substr(i + 2, open - i - 2) + "\"";
      const auto close = text.find(end, open + 1);
      if (close == std::string::npos) break;
      add(text.substr(open + 1, close - open - 1));
      i = close + end.size();
      continue;
    }
    if (c == '"') {
      std::string s;
      ++i;
      while (i < text.size() && text[i] != '"') {
        if (text[i] == '\\' && i + 1 < text.size()) {
          s += text[i + 1];
          i += 2;
          continue;
        }
        s += text[i++];
      }
      ++i;
      add(std::move(s));
      continue;
    }
    if (c == '\'') {
      // A character literal ('"' must not open a string), or a digit separator (1'000).
      if (i > 0 && std::isxdigit(static_cast<unsigned char>(text[i - 1]))) {
        ++i;
        continue;
      }
      i += (i + 1 < text.size() && text[i + 1] == '\\') ? 4 : 3;
      joining = false;
      continue;
    }
    if (!std::isspace(static_cast<unsigned char>(c))) joining = false;
    ++i;
  }
  return out;
}

/// The first SQL statement shape found in `literal` ("select ... from", "with x as (", ...), in
/// any case; empty when there is none.
std::string SqlIn(const std::string& literal) {
  static const std::regex kSql(
      R"(\bselect\b[^;]*?\bfrom\b|\binsert\s+into\b|\bdelete\s+from\b|\bupdate\s+\w+\s+set\b|)"
      R"(\bwith\s+(recursive\s+)?\w+\s+as\s*\(|\b(create|alter|drop)\s+(table|index)\b)",
      std::regex::icase);
  std::smatch m;
  if (std::regex_search(literal, m, kSql)) return m.str();
  return {};
}

/// The tables `literal` names in SQL: after FROM, JOIN, INTO, UPDATE or TABLE.
std::set<std::string> TablesIn(const std::string& literal) {
  static const std::regex kTable(R"(\b(from|join|into|update|table)\s+([a-z_][a-z0-9_]*))",
                                 std::regex::icase);
  std::set<std::string> out;
  for (std::sregex_iterator it(literal.begin(), literal.end(), kTable), end; it != end; ++it)
    out.insert((*it)[2].str());
  return out;
}

/// Each table and the one module whose code may name it in SQL.
const std::map<std::string, std::string>& TableOwners() {
  static const std::map<std::string, std::string> owners = {
      {"schema_migrations", "store"},
      {"data_versions", "store"},
      {"audit_log", "audit"},
      {"jobs", "jobs"},
      {"contests", "contest"},
      {"prizes", "contest"},
      {"rounds", "contest"},
      {"units", "units"},
      {"users", "accounts"},
      {"sessions", "accounts"},
      {"login_failures", "accounts"},
      {"server_secrets", "accounts"},
      {"user_unique_values", "accounts"},
      {"questions", "quiz"},
      {"question_versions", "quiz"},
      {"attempts", "quiz"},
      {"attempt_items", "quiz"},
      {"quiz_results", "quiz"},
      {"quiz_grants", "quiz"},
      {"notices", "contest"},
      {"roster_entries", "accounts"},
      {"video_entries", "video"},
      {"video_uploads", "video"},
      {"video_views", "video"},
      {"judging_sheets", "judging"},
      {"judging_assignments", "judging"},
      {"judging_locks", "judging"},
      {"results_tie_decisions", "results"},
      {"results_publications", "results"},
  };
  return owners;
}

/// "<file> names <table> (owned by <owner>)" for each foreign table `text`'s SQL names.
std::vector<std::string> ForeignTables(const std::string& module, const std::string& file,
                                       const std::string& text) {
  std::vector<std::string> out;
  for (const auto& literal : StringLiterals(text)) {
    if (SqlIn(literal).empty()) continue;
    for (const auto& table : TablesIn(literal)) {
      const auto it = TableOwners().find(table);
      if (it != TableOwners().end() && it->second != module) {
        out.push_back(file + " names " + table + " (owned by " + it->second + "/)");
      }
    }
  }
  return out;
}

// --- the checks on the real sources -----------------------------------------------------------

TEST(Layering, EveryFolderIncludesOnlyWhatItsLibraryLinks) {
  const auto allowed = Allowed(DirectLinks(Read(SourceDir() / "CMakeLists.txt")));
  ASSERT_GE(allowed.size(), 10u) << "the libraries of src/CMakeLists.txt were not read";
  for (const auto& entry : fs::directory_iterator(SourceDir())) {
    if (!entry.is_directory()) continue;
    const auto module = entry.path().filename().string();
    ASSERT_TRUE(allowed.count(module)) << "src/" << module << " is no library of the build";
    for (const auto& file : Sources(entry.path())) {
      for (const auto& wrong :
           WrongWayIncludes(allowed, module, fs::relative(file, SourceDir()), Read(file)))
        ADD_FAILURE() << wrong;
    }
  }
}

TEST(Layering, EveryTableIsNamedOnlyByTheModuleThatOwnsIt) {
  // Every table the migrations create (or rename to) has an owner.
  std::set<std::string> tables;
  static const std::regex kCreate(R"(CREATE TABLE (\w+)|RENAME TO (\w+))");
  std::set<std::string> renamed_away;
  static const std::regex kRename(R"(ALTER TABLE (\w+) RENAME TO)");
  for (const auto& e : fs::directory_iterator(fs::path(HOITHI_SOURCE_DIR) / "migrations")) {
    const auto sql = Read(e.path());
    for (std::sregex_iterator it(sql.begin(), sql.end(), kCreate), end; it != end; ++it)
      tables.insert((*it)[1].matched ? (*it)[1].str() : (*it)[2].str());
    for (std::sregex_iterator it(sql.begin(), sql.end(), kRename), end; it != end; ++it)
      renamed_away.insert((*it)[1].str());
  }
  for (const auto& t : renamed_away)
    tables.erase(t);
  ASSERT_GE(tables.size(), 15u);
  for (const auto& t : tables)
    EXPECT_TRUE(TableOwners().count(t)) << "table " << t << " has no owner in this test";

  std::size_t sql_literals = 0;
  for (const auto& entry : fs::directory_iterator(SourceDir())) {
    if (!entry.is_directory()) continue;
    const auto module = entry.path().filename().string();
    for (const auto& file : Sources(entry.path())) {
      const auto text = Read(file);
      for (const auto& literal : StringLiterals(text))
        sql_literals += SqlIn(literal).empty() ? 0 : 1;
      for (const auto& wrong : ForeignTables(module, fs::relative(file, SourceDir()), text))
        ADD_FAILURE() << wrong;
    }
  }
  EXPECT_GT(sql_literals, 60u) << "the SQL of the sources was not found";
}

TEST(Layering, ApiWebAndHttpHoldNoSql) {
  for (const auto* module : {"api", "web", "http"}) {
    for (const auto& file : Sources(SourceDir() / module)) {
      for (const auto& literal : StringLiterals(Read(file))) {
        const auto sql = SqlIn(literal);
        EXPECT_TRUE(sql.empty()) << fs::relative(file, SourceDir()).string()
                                 << " holds SQL: " << sql;
      }
    }
  }
}

// --- the checkers on deliberate violations ----------------------------------------------------

TEST(LayeringCheckers, AWrongWayIncludeIsReported) {
  const auto allowed = Allowed(DirectLinks(R"(
    hoithi_library(core SOURCES core/a.cpp DEPS fmt::fmt)
    hoithi_library(store SOURCES store/a.cpp DEPS hoithi_core)
    hoithi_library(quiz SOURCES quiz/a.cpp DEPS hoithi_store nlohmann_json::nlohmann_json)
    add_executable(hoithi app/main.cpp)
    target_link_libraries(hoithi PRIVATE hoithi_quiz))"));
  EXPECT_TRUE(allowed.at("quiz").count("core")) << "links are followed transitively";
  EXPECT_TRUE(allowed.at("app").count("store"));
  EXPECT_TRUE(WrongWayIncludes(allowed, "quiz", "quiz/a.cpp",
                               "#include \"store/x.hpp\"\n#include \"core/y.hpp\"\n")
                  .empty());
  const auto wrong =
      WrongWayIncludes(allowed, "store", "store/a.cpp", "#include \"quiz/attempts.hpp\"\n");
  ASSERT_EQ(wrong.size(), 1u);
  EXPECT_EQ(wrong[0], "store/a.cpp includes quiz/");
}

TEST(LayeringCheckers, AForeignTableIsReported) {
  const std::string source = R"cpp(
    // FROM users in a comment is no SQL
    auto a = conn.Query("SELECT id FROM attempts WHERE user_id = $1", ...);
    auto b = conn.Query(
        "SELECT u.full_name FROM attempts a"
        " JOIN users u ON u.id = a.user_id",
        ...);
    const char* message = "Vui lòng chọn đơn vị từ danh sách";
  )cpp";
  EXPECT_TRUE(ForeignTables("accounts", "x.cpp", "auto x = \"SELECT 1 FROM users\";").empty());
  const auto wrong = ForeignTables("quiz", "quiz/x.cpp", source);
  ASSERT_EQ(wrong.size(), 1u);
  EXPECT_EQ(wrong[0], "quiz/x.cpp names users (owned by accounts/)");
}

TEST(LayeringCheckers, SqlIsFoundInAnyCaseAndInRawStrings) {
  auto found = [](const std::string& source) {
    for (const auto& literal : StringLiterals(source)) {
      if (!SqlIn(literal).empty()) return true;
    }
    return false;
  };
  EXPECT_TRUE(found(R"cpp(auto q = "select id from users";)cpp"));
  EXPECT_TRUE(found("auto q = R\"sql(WITH t AS (SELECT 1) SELECT * FROM t)sql\";"));
  EXPECT_TRUE(found(R"cpp(auto q =
                              "UPDATE users"
                              " SET role = $1";)cpp"));
  EXPECT_TRUE(found(R"cpp(auto q = "delete from sessions";)cpp"));
  EXPECT_FALSE(found(R"cpp(auto m = "Chọn từ danh sách";  // select from the list)cpp"));
  EXPECT_FALSE(found(R"cpp(auto j = R"({"attempt_id":1,"update":true})";)cpp"));
}

}  // namespace
