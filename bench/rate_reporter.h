// The console reporter, plus the items/s of every run by benchmark name, so
// a benchmark can print optimized-vs-reference ratios from the same run.
#pragma once
#include <benchmark/benchmark.h>

#include <map>
#include <string>

namespace chanval::bench {

class RateReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs) {
      const auto it = r.counters.find("items_per_second");
      if (it != r.counters.end()) rates_[r.benchmark_name()] = it->second.value;
    }
  }
  // Items/s of the named run; 0 if it did not run (filtered out).
  double Rate(const std::string& name) const {
    const auto it = rates_.find(name);
    return it == rates_.end() ? 0 : it->second;
  }

 private:
  std::map<std::string, double> rates_;
};

}  // namespace chanval::bench
