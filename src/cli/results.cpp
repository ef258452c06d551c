// `hoithi results verify FILE [--digest HEX]`: offline, checks a results file someone holds
// against the digest announced with the results (the same SHA-256 the results page shows).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/database.hpp"
#include "core/sha256.hpp"
#include "results/publication.hpp"

namespace hoithi::cli {
namespace {

void Verify(Globals& globals, const std::string& path, std::string expected) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "hoithi: không mở được tệp " << path << ".\n";
    globals.exit_code = kExitFailure;
    return;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  const auto content = bytes.str();
  const auto digest = core::Sha256Hex(content);
  std::cout << "Tệp: " << path << "\nMã kiểm tra (SHA-256): " << digest << "\n";
  // The canonical export starts with its header row (after Excel's UTF-8 BOM).
  if (content.rfind("\xEF\xBB\xBFPhần,", 0) != 0) {
    std::cout << "Lưu ý: tệp này không có dạng tệp kết quả của hoithi (có thể đã bị mở và lưu "
                 "lại bằng phần mềm khác, khi đó mã kiểm tra không còn khớp).\n";
  }
  if (expected.empty()) {
    std::cout << "Hãy so mã trên với mã kiểm tra công bố trên trang Kết quả, hoặc chạy lại với "
                 "--digest <mã đã công bố>.\n";
    return;
  }
  std::transform(expected.begin(), expected.end(), expected.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (expected == digest) {
    std::cout << "Khớp: tệp này đúng là kết quả đã công bố với mã kiểm tra đó.\n";
    return;
  }
  std::cout << "Không khớp: tệp này khác với kết quả đã công bố với mã kiểm tra đó.\n";
  globals.exit_code = kExitFailure;
}

}  // namespace

void AddResultsCommand(CLI::App& app, Globals& globals) {
  auto* results = app.add_subcommand("results", "Kết quả hội thi");
  results->require_subcommand(1);
  auto* verify = results->add_subcommand(
      "verify",
      "Kiểm tra một tệp kết quả (CSV tải từ trang Kết quả) với mã kiểm tra đã công bố, không cần "
      "máy chủ (mã thoát 1 khi không khớp)");
  auto path = std::make_shared<std::string>();
  auto digest = std::make_shared<std::string>();
  verify->add_option("FILE", *path, "Tệp kết quả")->required();
  verify->add_option("--digest", *digest, "Mã kiểm tra SHA-256 đã công bố");
  verify->callback([&globals, path, digest] { Verify(globals, *path, *digest); });
}

}  // namespace hoithi::cli
