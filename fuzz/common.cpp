#include "common.h"

#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <cstring>

#include "chanval/interpreter/content.h"
#include "chanval/interpreter/evaluator.h"
#include "chanval/interpreter/registry.h"
#include "chanval/validator/check.h"
#include "chanval/validator/parser.h"
#include "embedded_fleet.h"

namespace chanval::fuzz {

const Fleet& BundledFleet() {
  static const Fleet fleet = [] {
    Fleet f;
    Diagnostics d;
    for (const char* text : kEmbeddedFleet) {
      if (auto p = ParseManifestJson(text, "embedded", d)) f.members.push_back({std::move(*p), "embedded"});
    }
    f.members.push_back({interp::CurrentBuildProfile(), "current"});
    SortFleet(f, d);
    if (!d.empty()) std::abort();
    return f;
  }();
  return fleet;
}

TwoPart Split(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return {{data, size}, {}};
  std::uint32_t n = 0;
  std::memcpy(&n, data, 4);
  const std::size_t len = std::min<std::size_t>(n, size - 4);
  return {{data + 4, len}, {data + 4 + len, size - 4 - len}};
}

std::vector<std::uint8_t> Join(std::span<const std::uint8_t> channel, std::span<const std::uint8_t> events) {
  // Sized once and copied (GCC 12's -Wstringop-overread misfires on insert).
  std::vector<std::uint8_t> out(4 + channel.size() + events.size());
  const auto n = static_cast<std::uint32_t>(channel.size());
  std::memcpy(out.data(), &n, 4);
  std::copy(channel.begin(), channel.end(), out.begin() + 4);
  std::copy(events.begin(), events.end(), out.begin() + 4 + static_cast<std::ptrdiff_t>(channel.size()));
  return out;
}

DerivedEvent::DerivedEvent(std::span<const std::uint8_t> bytes, std::size_t count, std::size_t variant)
    : text(count), inputs(count) {
  std::vector<std::string> pieces(1);
  for (std::uint8_t b : bytes) {
    if (b == 0) {
      pieces.emplace_back();
    } else {
      pieces.back().push_back(static_cast<char>(b));
    }
  }
  // Each piece lands in one field at most, so an input's bytes are read
  // once per evaluation, not once per field.
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t piece = (i + variant) % count;
    if (piece < pieces.size()) text[i] = pieces[piece];
    inputs[i].text = text[i];
    char* end = nullptr;
    inputs[i].number = std::strtoll(text[i].c_str(), &end, 10);
    inputs[i].has_number = !text[i].empty() && end && *end == '\0';
  }
}

void SoundnessOracle(std::span<const std::uint8_t> channel, std::span<const std::uint8_t> events) {
  CheckOptions options;
  options.fleet = &BundledFleet();
  const std::vector<std::uint8_t> bytes(channel.begin(), channel.end());
  const FileReport report = CheckBytes(bytes, "fuzz.chan", options);
  if (!report.passed()) return;
  auto parsed = ParseChannel(bytes, "fuzz.chan");
  if (!parsed.channel) std::abort();  // the gate passed what the parser rejects
  const auto& env = parsed.channel->envelope;
  for (const FleetMember* build : BundledFleet().InRange(env.min_sensor, env.max_sensor)) {
    auto loaded = interp::CompiledContent::Load(parsed.channel->root(), build->profile);
    if (!loaded.content) {
      std::fprintf(stderr, "gate passed content sensor %s cannot load: %s\n", build->profile.version.ToString().c_str(),
                   interp::LoadStatusName(loaded.error.status));
      std::abort();
    }
    interp::EvalScratch scratch(*loaded.content);
    for (const auto& t : loaded.content->types()) {
      const auto* spec = build->profile.FindType(t.template_type);
      for (std::size_t variant = 0; variant < 3; ++variant) {
        // A vector of exactly the supplied size: ASan catches any read past it.
        DerivedEvent ev(events, spec->supplied.size(), variant);
        for (const bool reference : {false, true}) {
          const auto out = reference ? interp::EvaluateReference(*loaded.content, t.template_type, ev.inputs, scratch)
                                     : interp::Evaluate(*loaded.content, t.template_type, ev.inputs, scratch);
          if (out.status == interp::EvalStatus::InputOutOfBounds || out.status == interp::EvalStatus::BudgetExceeded) {
            std::fprintf(stderr,
                         "SOUNDNESS: the gate accepted content that faults in sensor %s: %s, instance %u, field %u\n",
                         build->profile.version.ToString().c_str(), interp::EvalStatusName(out.status),
                         loaded.content->instances()[out.fault_instance_index].id, out.fault_field);
            std::abort();
          }
        }
      }
    }
  }
}

}  // namespace chanval::fuzz
