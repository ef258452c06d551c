// Periodic: the loop, its wait and its stop.
#include "core/periodic.hpp"

#include <spdlog/spdlog.h>

namespace hoithi::core {

Periodic::Periodic(std::string name, std::chrono::milliseconds every, std::function<void()> tick)
    : name_(std::move(name)), every_(every), tick_(std::move(tick)) {}

Periodic::~Periodic() {
  Stop();
}

void Periodic::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void Periodic::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Periodic::Loop() {
  for (;;) {
    try {
      tick_();
    } catch (const std::exception& e) {
      spdlog::error("{}: {}", name_, e.what());
    }
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, every_, [this] { return stopping_; })) return;
  }
}

}  // namespace hoithi::core
