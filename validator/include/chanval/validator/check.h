// The release gate: strict parse → fleet semantics → execution in the
// interpreter, for one file or many (in parallel, output in input order).
#pragma once
#include <string>
#include <vector>

#include "chanval/interpreter/regex_pool.h"
#include "chanval/validator/diagnostic.h"
#include "chanval/validator/events.h"
#include "chanval/validator/execution.h"
#include "chanval/validator/fleet.h"

namespace chanval {

struct CheckOptions {
  const Fleet* fleet = nullptr;
  const EventSource* events = nullptr;  // recorded events, replayed per build; may be null
  bool collect_reach = false;
  bool worst_case_events = true;  // see ExecutionOptions
  bool digest_files = false;      // set FileReport::sha256 (for signed verdicts)
  // false: parse and semantic steps only. Their acceptance is necessary for
  // the gate's, not sufficient: only the fuzz oracles' first pass uses it,
  // and they run the whole gate before calling anything a finding.
  bool execution = true;
  // Compiled regexes to share (a caller checking many files); null: one pool
  // per file.
  interp::RegexPool* regexes = nullptr;
};

struct FileReport {
  std::string file;
  Diagnostics diagnostics;
  std::vector<ReachReport> reach;
  std::vector<BuildResources> resources;  // per build: the loader's figures, the measured worst event
  double parse_ms = 0, semantic_ms = 0, execution_ms = 0;
  std::size_t instances = 0;
  std::size_t builds = 0;
  std::vector<interp::SensorVersion> sensors;  // the builds checked, ascending
  interp::Sha256 sha256{};                     // of the bytes checked, with CheckOptions::digest_files
  std::string io_error;  // the file could not be read: exit 2, not a verdict
  bool passed() const { return io_error.empty() && !HasErrors(diagnostics); }
};

FileReport CheckBytes(std::vector<std::uint8_t> bytes, const std::string& name, const CheckOptions& options);
// The steps after the parse, for a file already parsed (the fuzz oracles
// parse once and go on with the same ParsedChannel).
void CheckParsed(const ParsedChannel& channel, const CheckOptions& options, FileReport& report);
FileReport CheckFile(const std::string& path, const CheckOptions& options);
std::vector<FileReport> CheckFiles(const std::vector<std::string>& paths, const CheckOptions& options,
                                   unsigned threads);

}  // namespace chanval
