// A background thread that runs one piece of upkeep now and then: at Start, then every `every`
// until Stop. A tick that throws is logged and the next one still comes; ticks never overlap.
// For sweeps (attempts past their deadline, uploads past their expiry) that every instance may
// run, because each thing they do is done once whoever does it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace hoithi::core {

class Periodic {
 public:
  Periodic(std::string name, std::chrono::milliseconds every, std::function<void()> tick);
  ~Periodic();  // Stop()
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

  void Start();
  /// Waits for a tick under way to end. Idempotent.
  void Stop();

 private:
  void Loop();

  std::string name_;
  std::chrono::milliseconds every_;
  std::function<void()> tick_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace hoithi::core
