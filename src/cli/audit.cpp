// `hoithi audit verify`: recompute the audit log's hash chain and name the first entry that does
// not fit. Exit 0 when the chain is whole, 1 when it is broken (or cannot be read), 2 on bad usage.
#include <fmt/format.h>

#include <iostream>

#include "audit/audit_log.hpp"
#include "cli/database.hpp"
#include "core/time_format.hpp"

namespace hoithi::cli {
namespace {

std::string Describe(const audit::Row& row) {
  return fmt::format("mã {}, lúc {}, hành động \"{}\" ({})", row.id, core::FormatRfc3339(row.at),
                     row.action, InstallActions().Label(row.action));
}

std::string BreakReason(const audit::ChainBreak& b) {
  using Reason = audit::ChainBreak::Reason;
  switch (b.reason) {
    case Reason::kEntryChanged:
      return "nội dung của mục này đã bị sửa sau khi ghi (mã băm không khớp)";
    case Reason::kPreviousChanged:
      return b.previous_id ? fmt::format(
                                 "mục liền trước nó trong chuỗi (mã {}) đã bị sửa hoặc bị "
                                 "thay (mã băm nối không khớp)",
                                 *b.previous_id)
                           : std::string("mục đầu tiên của chuỗi không nối với điểm khởi đầu");
    case Reason::kMissingBefore:
      return b.seq - b.expected_seq == 1
                 ? fmt::format("mục số {} của chuỗi, ngay trước mục này, đã bị xóa", b.expected_seq)
                 : fmt::format("các mục số {} đến {} của chuỗi, ngay trước mục này, đã bị xóa",
                               b.expected_seq, b.seq - 1);
  }
  return "";
}

void Verify(Globals& globals, const std::string& expected_head) {
  auto config = LoadConfigOrReport(globals);
  if (!config) return;
  auto db = OpenDatabaseOrReport(*config, globals, nullptr);
  if (!db) return;
  auto lease = db->Read();
  auto report = audit::VerifyChain(*lease, expected_head);
  if (!report) {
    ReportError(report.error());
    globals.exit_code = kExitFailure;
    return;
  }
  std::cout << "Cơ sở dữ liệu: " << db->description() << "\n"
            << "Số mục trong chuỗi nhật ký: " << report->entries << "\n"
            << "Mã băm đầu chuỗi (mục số " << report->head_seq << "): " << report->head_hash
            << "\n";
  if (report->ok()) {
    std::cout << "Nhật ký kiểm toán nguyên vẹn: chuỗi mã băm khớp từ đầu đến cuối.\n"
              << "Hãy ghi mã băm đầu chuỗi ở nơi khác ngoài máy chủ; lần kiểm tra sau, thêm "
                 "--head <mã băm> để phát hiện cả việc xóa những mục mới nhất.\n";
    return;
  }
  globals.exit_code = kExitFailure;
  if (report->first_break) {
    const auto& b = *report->first_break;
    std::cerr << "hoithi: nhật ký kiểm toán đã bị can thiệp. Chuỗi đứt tại mục số " << b.seq << " ("
              << Describe(b.entry) << "): " << BreakReason(b) << ".\n";
  }
  if (report->unchained > 0) {
    std::cerr << "hoithi: " << report->unchained
              << " mục nhật ký nằm ngoài chuỗi (được thêm thẳng vào cơ sở dữ liệu, không qua "
                 "hoithi); mục đầu tiên: "
              << Describe(*report->first_unchained) << ".\n";
  }
  if (!report->expected_head_found) {
    std::cerr << "hoithi: mã băm đầu chuỗi đã ghi lại (--head) không còn trong chuỗi: những mục "
                 "mới nhất đã bị xóa, hoặc cả chuỗi đã bị tính lại.\n";
  }
}

}  // namespace

void AddAuditCommand(CLI::App& app, Globals& globals) {
  auto* audit = app.add_subcommand("audit", "Nhật ký kiểm toán");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand(
      "verify",
      "Kiểm tra chuỗi mã băm của nhật ký kiểm toán: tính lại từng mục và chỉ ra mục đầu tiên bị "
      "sửa, bị xóa hoặc bị chèn (mã thoát 1 khi chuỗi bị đứt)");
  auto head = std::make_shared<std::string>();
  verify->add_option("--head", *head,
                     "Mã băm đầu chuỗi đã ghi lại từ lần kiểm tra trước: báo lỗi nếu nó không còn "
                     "trong chuỗi");
  verify->callback([&globals, head] { Verify(globals, *head); });
}

}  // namespace hoithi::cli
