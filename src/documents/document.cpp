// The parts of the document model that need no rendering: the Vietnamese place-and-date line
// and page label.
#include "documents/document.hpp"

#include <string>

namespace hoithi::documents {

namespace {

std::string TwoDigits(int n) {
  return (n >= 0 && n < 10 ? "0" : "") + std::to_string(n);
}

}  // namespace

std::string PlaceAndDate(std::string_view place, int year, int month, int day) {
  std::string out(place);
  if (!out.empty()) out += ", ";
  out += "ngày " + TwoDigits(day);
  out += " tháng " + (month <= 2 ? TwoDigits(month) : std::to_string(month));
  out += " năm " + std::to_string(year);
  return out;
}

std::string PageLabel(int page, int pages) {
  return "Trang " + std::to_string(page) + "/" + std::to_string(pages);
}

}  // namespace hoithi::documents
