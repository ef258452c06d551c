// RulesText and RankingRuleText: the generated wording of the rules.
#include "contest/rules_text.hpp"

#include <fmt/format.h>

#include "core/time_format.hpp"

namespace hoithi::contest {

std::vector<std::string> ScheduleText(const Contest& c) {
  std::vector<std::string> out;
  out.push_back(fmt::format("Phần thi kiến thức: từ {} đến {} (giờ Việt Nam).",
                            core::FormatDateTime(c.schedule.opens_at, c.time_zone),
                            core::FormatDateTime(c.schedule.closes_at, c.time_zone, true)));
  const auto video = VideoClosesAt(c);
  out.push_back(fmt::format("Phần thi video: các đơn vị nộp video từ {} đến hết {}.",
                            core::FormatDateTime(c.schedule.opens_at, c.time_zone),
                            core::FormatDateTime(video, c.time_zone, true)));
  if (c.schedule.results_due_at) {
    out.push_back(fmt::format("Công bố kết quả và trao giải: chậm nhất là {}.",
                              core::FormatDateTime(*c.schedule.results_due_at, c.time_zone, true)));
  }
  out.push_back(
      "Khi thời hạn thay đổi, Ban Tổ chức đăng thông báo trên trang chủ và mục Thông báo.");
  return out;
}

std::vector<std::string> VideoRulesText(const Contest& c) {
  const auto video = VideoClosesAt(c);
  return {
      "Mỗi đơn vị xây dựng và gửi ít nhất 01 video tuyên truyền về cải cách hành chính, hình "
      "thức do đơn vị chọn (ca khúc, nhạc kịch, sân khấu hóa, lời bình kết hợp đồ họa 2D/3D, …); "
      "đơn vị có thể mời người có năng khiếu cùng thực hiện.",
      "Nội dung: cải cách hành chính, dịch vụ công trực tuyến mức độ 3 và 4, dịch vụ bưu chính "
      "công ích, thanh toán trực tuyến, các sáng kiến, giải pháp cải cách hành chính.",
      fmt::format("Đầu mối của đơn vị tải video lên trang hội thi trước {} (giờ Việt Nam); việc "
                  "tải lên tiếp tục được khi đường truyền bị gián đoạn.",
                  core::FormatDateTime(video, c.time_zone, true)),
      "Ban Giám khảo chấm điểm từng video theo các tiêu chí do Ban Tổ chức công bố; giám khảo "
      "không chấm video của đơn vị mình.",
  };
}

std::string UnitRankingText(const Contest&) {
  return "Các đơn vị được xếp hạng theo kết quả chung của đơn vị: tỷ lệ cán bộ tham gia phần thi "
         "kiến thức, điểm bình quân phần thi kiến thức và điểm phần thi video. Công thức tính "
         "được Ban Tổ chức công bố cùng kết quả.";
}

std::string RankingRuleText(bool with_prediction) {
  if (with_prediction) {
    return "Thí sinh được xếp hạng theo thứ tự ưu tiên: (1) số câu trả lời đúng nhiều hơn; (2) "
           "câu dự đoán có kết quả gần với con số thực tế hơn; (3) thời gian làm bài ít hơn; (4) "
           "nộp bài sớm hơn. Mỗi thí sinh được xếp hạng theo một lượt thi được tính.";
  }
  return "Thí sinh được xếp hạng theo thứ tự ưu tiên: (1) số câu trả lời đúng nhiều hơn; (2) thời "
         "gian làm bài ít hơn; (3) nộp bài sớm hơn. Mỗi thí sinh được xếp hạng theo một lượt thi "
         "được tính.";
}

std::vector<std::string> RulesText(const Contest& c, const QuizRules& r,
                                   const std::vector<Round>& rounds) {
  std::vector<std::string> out;
  out.push_back(fmt::format("Thời gian thi: từ {} đến {} (giờ Việt Nam).",
                            core::FormatDateTime(c.schedule.opens_at, c.time_zone),
                            core::FormatDateTime(c.schedule.closes_at, c.time_zone, true)));
  if (rounds.size() > 1 || rounds.front().key != 0) {
    for (const auto& round : rounds) {
      out.push_back(fmt::format("{}: từ {} đến {}.", round.name,
                                core::FormatDateTime(round.opens_at, c.time_zone),
                                core::FormatDateTime(round.closes_at, c.time_zone, true)));
    }
  }
  out.push_back(fmt::format(
      "Mỗi lượt thi gồm {} câu hỏi trắc nghiệm, mỗi câu có một đáp án đúng duy nhất, được chọn "
      "ngẫu nhiên từ ngân hàng câu hỏi.",
      r.questions_per_attempt));
  if (r.shuffle_questions || r.shuffle_options) {
    out.push_back(std::string(r.shuffle_questions && r.shuffle_options
                                  ? "Thứ tự câu hỏi và thứ tự các phương án trả lời"
                              : r.shuffle_questions ? "Thứ tự câu hỏi"
                                                    : "Thứ tự các phương án trả lời") +
                  " được xáo trộn cho từng lượt thi.");
  }
  if (!r.topic_quotas.empty()) {
    std::string quotas;
    for (const auto& [topic, n] : r.topic_quotas) {
      if (n == 0) continue;
      quotas += (quotas.empty() ? "" : ", ") + fmt::format("{} câu thuộc chủ đề {}", n, topic);
    }
    if (!quotas.empty()) out.push_back("Mỗi lượt thi có " + quotas + ".");
  }
  const int minutes = r.time_limit_s / 60, seconds = r.time_limit_s % 60;
  out.push_back(fmt::format(
      "Thời gian làm bài mỗi lượt là {}{}, tính từ khi bấm \"Bắt đầu\" theo đồng hồ của máy chủ. "
      "Hết giờ, bài thi được nộp tự động với các câu trả lời đã lưu.",
      minutes > 0 ? fmt::format("{} phút", minutes) : "",
      seconds > 0 ? fmt::format("{}{} giây", minutes > 0 ? " " : "", seconds) : ""));
  out.push_back(r.attempts_allowed == 0
                    ? std::string("Thí sinh được thi không giới hạn số lượt.")
                    : fmt::format("Mỗi thí sinh được thi tối đa {} lượt{}.", r.attempts_allowed,
                                  rounds.size() > 1 ? " trong mỗi đợt" : ""));
  if (r.attempts_allowed != 1) {
    out.push_back(r.counted == CountedAttempt::kBest
                      ? "Kết quả được tính là lượt thi tốt nhất của thí sinh."
                  : r.counted == CountedAttempt::kFirst
                      ? "Kết quả được tính là lượt thi đầu tiên của thí sinh."
                      : "Kết quả được tính là lượt thi cuối cùng của thí sinh.");
  }
  if (r.prediction.enabled) {
    out.push_back("Câu dự đoán: " + r.prediction.question +
                  " Câu dự đoán không tính điểm, chỉ dùng để phân định thứ hạng khi bằng điểm.");
  }
  out.push_back(RankingRuleText(r.prediction.enabled));
  switch (r.reveal) {
    case AnswerReveal::kAfterSubmit:
      out.push_back("Sau khi nộp bài, thí sinh xem được số câu đúng và đáp án của từng câu.");
      break;
    case AnswerReveal::kAfterClose:
      out.push_back(
          "Sau khi nộp bài, thí sinh xem được số câu đúng; đáp án được công bố sau khi "
          "hội thi kết thúc.");
      break;
    case AnswerReveal::kNever:
      out.push_back("Sau khi nộp bài, thí sinh xem được số câu đúng.");
      break;
  }
  return out;
}

}  // namespace hoithi::contest
