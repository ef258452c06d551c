// The PDF benchmark of documents/: N certificates (default 1,000) rendered into one PDF, then
// into N separate PDFs, each phase in a child process so that its peak RSS is its own; prints
// certificates per second (wall and CPU time) and peak RSS. With --samples DIR it instead writes
// the sample announcement and certificates used to look at the design (DIR/announcement.pdf,
// DIR/certificates.pdf). Not run by the tests.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "core/time_format.hpp"
#include "documents/pdf_writer.hpp"

namespace {

using namespace hoithi;
using documents::Align;

const char* const kNames[] = {
    "Nguyễn Thị Ngọc Ánh", "Trần Văn Hùng",    "Lê Thị Hồng Nhung",  "Phạm Quốc Việt",
    "Huỳnh Thị Mỹ Duyên",  "Võ Minh Đức",      "Đặng Thị Thu Trang", "Lý Hoàng Phúc",
    "Thạch Thị Sô Phia",   "Dương Ngọc Khánh", "Trương Thị Ấu",      "Quách Hữu Nghĩa",
};
const char* const kUnits[] = {
    "UBND huyện Kế Sách",
    "UBND thị xã Vĩnh Châu",
    "Sở Nội vụ",
    "UBND huyện Mỹ Xuyên",
    "Sở Tư pháp",
    "UBND huyện Trần Đề",
    "Sở Tài chính",
    "UBND huyện Cù Lao Dung",
    "Sở Y tế",
    "UBND huyện Long Phú",
    "Sở Giáo dục và Đào tạo",
    "UBND thị xã Ngã Năm",
};
const char* const kPrizes[] = {"Giải Nhất", "Giải Nhì", "Giải Ba", "Giải Khuyến khích"};
const long long kAmounts[] = {10000000, 7000000, 5000000, 2000000};

documents::Certificate SampleCertificate(int i) {
  documents::Certificate c;
  c.authority = "UBND TỈNH SÓC TRĂNG";
  c.organisation = "BAN TỔ CHỨC HỘI THI TRỰC TUYẾN\nCẢI CÁCH HÀNH CHÍNH NĂM 2021";
  c.number = "Số: " + std::to_string(i + 1) + "/GCN-BTC";
  c.intro = "Chứng nhận Ông (Bà):";
  c.recipient = kNames[i % 12];
  c.unit = kUnits[(i / 12) % 12];
  c.achievement = std::string("Đã đạt ") + kPrizes[i % 4] +
                  " cá nhân Hội thi trực tuyến tìm hiểu về cải cách hành chính tỉnh Sóc Trăng "
                  "năm 2021.";
  c.place_date = documents::PlaceAndDate("Sóc Trăng", 2021, 12, 31);
  c.signer_title = "TM. BAN TỔ CHỨC\nTRƯỞNG BAN";
  c.signer_name = "Lâm Hoàng Nghiệp";
  return c;
}

documents::Certificate SampleUnitCertificate() {
  auto c = SampleCertificate(0);
  c.intro = "Chứng nhận tập thể:";
  c.recipient = "UBND huyện Kế Sách";
  c.unit.clear();
  c.achievement =
      "Đã đạt Giải Nhất tập thể Hội thi trực tuyến tìm hiểu về cải cách hành chính tỉnh Sóc "
      "Trăng năm 2021, với tỷ lệ công chức, viên chức tham gia dự thi cao nhất tỉnh.";
  return c;
}

/// Only the texts that must be there: the lines left out must not leave holes.
documents::Certificate SparseCertificate() {
  documents::Certificate c;
  c.organisation = "BAN TỔ CHỨC HỘI THI";
  c.recipient = "Trương Thị Ấu";
  c.achievement = "Đã đạt Giải Ba.";
  c.place_date = documents::PlaceAndDate("Cần Thơ", 2022, 2, 5);
  c.signer_title = "TRƯỞNG BAN";
  return c;
}

/// Long texts everywhere: the middle block shrinks to fit.
documents::Certificate CrowdedCertificate() {
  auto c = SampleCertificate(5);
  c.recipient = "Tôn Nữ Huyền Trân Nguyễn Phước Bảo Ngọc Hoàng Anh";
  c.unit = "Văn phòng Ủy ban nhân dân huyện Cù Lao Dung, tỉnh Sóc Trăng";
  c.achievement =
      "Đã có thành tích xuất sắc trong Hội thi trực tuyến tìm hiểu về cải cách hành chính tỉnh "
      "Sóc Trăng năm 2021, đạt Giải Nhất cá nhân với số điểm tuyệt đối và thời gian làm bài ngắn "
      "nhất, góp phần vào thành tích chung của đơn vị, được Ban Tổ chức Hội thi ghi nhận và biểu "
      "dương trước toàn thể cán bộ, công chức, viên chức và người lao động trong tỉnh.";
  return c;
}

documents::Document SampleAnnouncement() {
  documents::Document d;
  d.title = "Thông báo kết quả Hội thi trực tuyến cải cách hành chính năm 2021";
  d.running_header = "Thông báo kết quả Hội thi trực tuyến cải cách hành chính năm 2021";
  d.running_footer = "Ban Tổ chức Hội thi";
  d.blocks.push_back(
      documents::OfficialHeading{.authority = "UBND TỈNH SÓC TRĂNG",
                                 .organisation = "BAN TỔ CHỨC HỘI THI",
                                 .number = "Số: 15/TB-BTC",
                                 .place_date = documents::PlaceAndDate("Sóc Trăng", 2021, 12, 31)});
  d.blocks.push_back(documents::Heading{.text = "THÔNG BÁO"});
  d.blocks.push_back(documents::Heading{
      .text = "Kết quả Hội thi trực tuyến tìm hiểu về cải cách hành chính\ntỉnh Sóc Trăng năm 2021",
      .level = 2,
      .align = Align::kCenter});
  d.blocks.push_back(documents::Paragraph{
      .text = "Căn cứ Kế hoạch số 120/KH-UBND ngày 15 tháng 9 năm 2021 của Ủy ban nhân dân tỉnh "
              "Sóc Trăng về việc tổ chức Hội thi trực tuyến tìm hiểu về cải cách hành chính năm "
              "2021; căn cứ kết quả chấm thi của Ban Giám khảo, Ban Tổ chức Hội thi thông báo kết "
              "quả như sau:",
      .first_line_indent_mm = 10});
  d.blocks.push_back(documents::Heading{.text = "1. Giải tập thể", .level = 2});
  documents::Table units{.columns = {{"STT", 0.7, Align::kCenter},
                                     {"Đơn vị", 3.6, Align::kLeft},
                                     {"Giải thưởng", 2.2, Align::kCenter},
                                     {"Tiền thưởng", 2.2, Align::kRight}}};
  for (int i = 0; i < 6; ++i) {
    units.rows.push_back({std::to_string(i + 1), kUnits[i], kPrizes[std::min(i, 3)],
                          core::FormatVnd(kAmounts[std::min(i, 3)] * 2)});
  }
  d.blocks.push_back(units);
  d.blocks.push_back(documents::Heading{.text = "2. Giải cá nhân", .level = 2});
  documents::Table people{.columns = {{"STT", 0.7, Align::kCenter},
                                      {"Họ và tên", 2.6, Align::kLeft},
                                      {"Đơn vị", 3, Align::kLeft},
                                      {"Giải thưởng", 2.3, Align::kCenter},
                                      {"Tiền thưởng", 2.1, Align::kRight}}};
  for (int i = 0; i < 60; ++i) {
    const int prize = i < 1 ? 0 : i < 3 ? 1 : i < 6 ? 2 : 3;
    people.rows.push_back({std::to_string(i + 1), kNames[i % 12], kUnits[(i * 5) % 12],
                           kPrizes[prize], core::FormatVnd(kAmounts[prize])});
  }
  people.size_pt = 11;  // five columns: one point smaller keeps "Giải Khuyến khích" on a line
  d.blocks.push_back(people);
  d.blocks.push_back(documents::Paragraph{
      .text = "Ban Tổ chức đề nghị các đơn vị có cá nhân đạt giải cử đại diện đến nhận giải "
              "thưởng tại Lễ tổng kết Hội thi. Thời gian và địa điểm tổ chức Lễ tổng kết sẽ được "
              "thông báo sau.",
      .first_line_indent_mm = 10});
  d.blocks.push_back(documents::Paragraph{
      .text = "Trân trọng thông báo./.", .italic = true, .first_line_indent_mm = 10});
  d.blocks.push_back(documents::Signature{
      .title = "TM. BAN TỔ CHỨC\nTRƯỞNG BAN",
      .name = "Lâm Hoàng Nghiệp",
      .recipients = {"- UBND tỉnh (b/c);", "- Các sở, ban, ngành tỉnh;",
                     "- UBND các huyện, thị xã, thành phố;", "- Lưu: VT, BTC."}});
  return d;
}

bool WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  return static_cast<bool>(out);
}

int Samples(const std::string& dir) {
  auto announcement = documents::RenderPdf(SampleAnnouncement());
  if (!announcement) {
    std::fprintf(stderr, "announcement: %s (%s)\n", announcement.error().message.c_str(),
                 announcement.error().detail.c_str());
    return 1;
  }
  auto certificates = documents::RenderCertificates(
      {SampleCertificate(0), SampleUnitCertificate(), SparseCertificate(), CrowdedCertificate()},
      {.title = "Giấy chứng nhận", .author = "Ban Tổ chức Hội thi", .subject = {}});
  if (!certificates) {
    std::fprintf(stderr, "certificates: %s\n", certificates.error().message.c_str());
    return 1;
  }
  if (!WriteFile(dir + "/announcement.pdf", *announcement) ||
      !WriteFile(dir + "/certificates.pdf", *certificates)) {
    std::fprintf(stderr, "cannot write into %s\n", dir.c_str());
    return 1;
  }
  std::printf("wrote %s/announcement.pdf and %s/certificates.pdf\n", dir.c_str(), dir.c_str());
  return 0;
}

/// One phase in a child process: prints its own line; the parent adds the child's CPU time and
/// peak RSS.
void RunPhase(const char* name, int count, bool one_file) {
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid == 0) {
    const auto start = std::chrono::steady_clock::now();
    std::size_t bytes = 0;
    if (one_file) {
      auto writer = documents::PdfWriter::ToMemory({.title = "Giấy chứng nhận"});
      if (!writer) std::_Exit(1);
      for (int i = 0; i < count; ++i) {
        if (!writer->Add(SampleCertificate(i))) std::_Exit(1);
      }
      auto pdf = writer->Finish();
      if (!pdf) std::_Exit(1);
      bytes = pdf->size();
    } else {
      for (int i = 0; i < count; ++i) {
        auto pdf = documents::RenderPdf(SampleCertificate(i));
        if (!pdf) std::_Exit(1);
        bytes += pdf->size();
      }
    }
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%-28s %6d certificates in %6.2f s: %7.1f certificates/s, %8.1f KiB of PDF", name,
                count, s, count / s, bytes / 1024.0);
    std::fflush(stdout);
    std::_Exit(0);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::printf("%s: failed\n", name);
    std::exit(1);
  }
  // CPU time as well as wall time: on a shared machine the wall clock also measures the others.
  const double cpu = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
                     (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  std::printf(", %.2f CPU s (%.1f certificates per CPU second), peak RSS %.1f MiB\n", cpu,
              count / cpu, usage.ru_maxrss / 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
  int count = 1000;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--samples") == 0 && i + 1 < argc) return Samples(argv[i + 1]);
    if (std::strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
      count = std::atoi(argv[++i]);
      continue;
    }
    std::fprintf(stderr, "usage: documents_bench [--count N] | --samples DIR\n");
    return 2;
  }
  RunPhase("one PDF of all", count, true);
  RunPhase("one PDF each", count, false);
  return 0;
}
