// Running a command-line tool from a test (poppler's pdftotext, pdfinfo, pdffonts) and reading
// what it prints; the text of a PDF.
#pragma once

#include <gtest/gtest.h>
#include <stdio.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace hoithi::testing {

/// The standard output of a shell command; fails the test when it does not exit 0.
inline std::string RunCommand(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr) << command;
  if (pipe == nullptr) return {};
  std::string out;
  char buffer[4096];
  std::size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0)
    out.append(buffer, n);
  const int status = pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command;
  return out;
}

/// The text of a PDF (`bytes`, written to `path` first) as pdftotext reads it, UTF-8.
inline std::string PdfText(const std::string& bytes, const std::filesystem::path& path) {
  std::ofstream(path, std::ios::binary) << bytes;
  return RunCommand("pdftotext -enc UTF-8 '" + path.string() + "' -");
}

}  // namespace hoithi::testing
