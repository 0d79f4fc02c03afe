// Realistic process-creation content and events for benchmarks: rules shaped
// like detection rules (mostly endswith on Image, contains on CommandLine,
// equals on OriginalFileName, some regex), events several hundred bytes long.
#pragma once
#include <random>
#include <string>
#include <vector>

#include "chanval/channel_generated.h"
#include "chanval/interpreter/input.h"

namespace chanval::bench {

inline const std::vector<std::string>& Binaries() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v = {"powershell", "pwsh", "cmd", "rundll32", "regsvr32", "mshta", "wscript", "cscript",
                                  "certutil", "bitsadmin", "wmic", "msiexec", "schtasks", "at", "sc", "net", "net1",
                                  "reg", "vssadmin", "wbadmin", "bcdedit", "mimikatz", "procdump", "psexec",
                                  "installutil", "regasm", "regsvcs", "msbuild", "cmstp", "odbcconf", "forfiles",
                                  "pcalua", "hh", "control", "esentutl", "expand", "extrac32", "findstr", "ftp",
                                  "ie4uinit", "makecab", "nltest", "dsquery", "adfind", "whoami", "tasklist",
                                  "taskkill", "netsh", "curl", "tar"};
    for (int i = 0; i < 400; ++i) v.push_back("tool" + std::to_string(i * 7919 % 10007));
    return v;
  }();
  return names;
}

inline std::string Keyword(std::mt19937& rng) {
  static const std::vector<std::string> base = {" -enc ", "urlcache", "/transfer", "delete shadows", "-nop",
                                                "downloadstring", "invoke-expression", "process call create",
                                                "sekurlsa", "/create /sc", "add-mppreference", "frombase64string",
                                                "-w hidden", "comsvcs.dll", "minidump", "\\\\127.0.0.1\\c$"};
  const auto& b = base[rng() % base.size()];
  return rng() % 3 ? b : b + std::to_string(rng() % 5000);
}

inline fb::ChannelFileT ProcessCreationContent(std::size_t instances, unsigned seed = 7) {
  std::mt19937 rng(seed);
  fb::ChannelFileT c;
  c.channel = 1;
  c.sequence = 1;
  c.min_sensor = std::make_unique<fb::SensorVersion>(7, 9);
  c.max_sensor = std::make_unique<fb::SensorVersion>(7, 12);
  const auto& bins = Binaries();
  for (std::size_t i = 0; i < instances; ++i) {
    auto inst = std::make_unique<fb::InstanceT>();
    inst->id = static_cast<std::uint32_t>(i + 1);
    inst->name = "rule " + std::to_string(i + 1);
    inst->template_type = 1;
    auto add = [&](std::uint16_t field, fb::MatcherKind k, std::vector<std::string> values, bool fold = true) {
      auto m = std::make_unique<fb::MatcherT>();
      m->field = field;
      m->kind = k;
      m->values = std::move(values);
      m->ignore_case = fold;
      inst->matchers.push_back(std::move(m));
    };
    const std::string bin = bins[rng() % bins.size()];
    switch (rng() % 10) {
      case 0: case 1: case 2: case 3:  // Image endswith + CommandLine contains
        add(4, fb::MatcherKind::Suffix, {"\\" + bin + ".exe"});
        add(10, fb::MatcherKind::Contains, {Keyword(rng), Keyword(rng)});
        break;
      case 4: case 5:  // CommandLine contains all of two keywords
        add(10, fb::MatcherKind::Contains, {Keyword(rng)});
        add(10, fb::MatcherKind::Contains, {Keyword(rng)});
        break;
      case 6:  // OriginalFileName equals, parent endswith
        add(9, fb::MatcherKind::Equals, {bin + ".exe"});
        add(20, fb::MatcherKind::Suffix, {"\\" + bins[rng() % bins.size()] + ".exe"});
        break;
      case 7:  // Image endswith one of several
        add(4, fb::MatcherKind::Suffix,
            {"\\" + bin + ".exe", "\\" + bins[rng() % bins.size()] + ".exe", "\\" + bins[rng() % bins.size()] + ".exe"});
        break;
      case 8:  // regex on the command line, anchored by an Image suffix
        add(4, fb::MatcherKind::Suffix, {"\\" + bin + ".exe"});
        add(10, fb::MatcherKind::Regex, {"\\s-(e|en|enc|encodedcommand)\\s+[a-z0-9+/=]{" + std::to_string(20 + rng() % 20) + ",}"});
        break;
      default:  // a regex with no literal prefilter at all
        add(10, fb::MatcherKind::Regex, {"(?i)" + bin + "\\.exe\\s+/[a-z]{" + std::to_string(2 + rng() % 3) + "}\\s"});
        break;
    }
    c.instances.push_back(std::move(inst));
  }
  return c;
}

struct EventPool {
  std::vector<std::vector<std::string>> text;  // per event, per field
  std::vector<std::vector<interp::Input>> inputs;
};

// Reads every input of an event once, bringing it into cache, as a sensor's
// event is when it has just assembled it; the sum keeps the reads.
inline std::uint64_t TouchEvent(const std::vector<interp::Input>& in) {
  std::uint64_t sum = 0;
  for (const auto& f : in) {
    for (const char c : f.text) sum += static_cast<unsigned char>(c);
    sum += static_cast<std::uint64_t>(f.number);
  }
  return sum;
}

inline EventPool ProcessCreationEvents(std::size_t count, std::size_t fields = 23, unsigned seed = 11) {
  std::mt19937 rng(seed);
  const auto& bins = Binaries();
  EventPool p;
  p.text.resize(count);
  p.inputs.resize(count);
  for (std::size_t e = 0; e < count; ++e) {
    auto& t = p.text[e];
    t.assign(fields, "-");
    const std::string bin = bins[rng() % bins.size()];
    t[1] = "2026-11-20 10:14:03.512";
    t[2] = "{5770385f-c22a-43e0-bf4c-06f5698ffbd9}";
    t[3] = std::to_string(1000 + rng() % 60000);
    t[4] = "C:\\Windows\\System32\\" + bin + ".exe";
    t[9] = bin + ".exe";
    // One draw per statement: operands of + are unsequenced, so draws inside
    // one expression come in the compiler's order (g++'s, recorded in
    // bench/README, drew the file name first; clang drew the keyword first).
    const std::string temp_file = std::to_string(rng());
    const std::string arguments = rng() % 4 == 0 ? Keyword(rng) : std::string("/q /s");
    t[10] = "\"C:\\Windows\\System32\\" + bin + ".exe\" " + arguments + " C:\\Users\\alice\\AppData\\Local\\Temp\\" +
            temp_file + ".tmp --config \"C:\\Program Files\\Vendor\\Product\\settings.json\" --log-level info --retry 3";
    t[11] = "C:\\Users\\alice\\";
    t[12] = "CONTOSO\\alice";
    t[15] = "1";
    t[16] = rng() % 5 ? "Medium" : "High";
    t[17] = "SHA256=9F914D42706FE215501044ACD85A32D58AAEF1419D404FDDFA5D3B48F66CCD9F,IMPHASH=0";
    t[19] = std::to_string(rng() % 9000);
    t[20] = "C:\\Windows\\" + bins[rng() % bins.size()] + ".exe";
    t[21] = "C:\\Windows\\explorer.exe";
    auto& in = p.inputs[e];
    in.resize(fields);
    for (std::size_t f = 0; f < fields; ++f) {
      in[f].text = t[f];
      char* end = nullptr;
      in[f].number = std::strtoll(t[f].c_str(), &end, 10);
      in[f].has_number = !t[f].empty() && *end == '\0';
    }
  }
  return p;
}

}  // namespace chanval::bench
