// Test helper: content compiled for a profile, plus events built by field.
#pragma once
#include <doctest/doctest.h>

#include <map>

#include "channel_builder.h"
#include "chanval/interpreter/content.h"
#include "chanval/interpreter/evaluator.h"
#include "chanval/interpreter/reference.h"
#include "chanval/interpreter/registry.h"

namespace chanval::test {

struct Compiled {
  std::vector<std::uint8_t> payload;
  std::unique_ptr<interp::CompiledContent> content;
  interp::LoadError error;

  explicit Compiled(const fb::ChannelFileT& c, const interp::SensorProfile& p = interp::CurrentBuildProfile(),
                    interp::LoadOptions options = {}) {
    payload = CanonicalPayload(c);
    auto r = interp::CompiledContent::Load(*fb::GetChannelFile(payload.data()), p, nullptr, options);
    content = std::move(r.content);
    error = r.error;
  }
};

// An event with `count` inputs; the given fields set, the rest empty.
struct TestEvent {
  std::vector<std::string> text;
  std::vector<interp::Input> inputs;
  TestEvent(std::size_t count, std::map<std::uint16_t, std::string> fields) : text(count), inputs(count) {
    for (auto& [f, v] : fields) text[f] = v;
    Bind();
  }
  // Inputs view `text`: a copy must view its own strings, not the source's.
  TestEvent(const TestEvent& o) : text(o.text), inputs(o.inputs.size()) { Bind(); }
  TestEvent& operator=(const TestEvent&) = delete;

 private:
  void Bind() {
    for (std::size_t i = 0; i < text.size(); ++i) {
      inputs[i].text = text[i];
      char* end = nullptr;
      const long long n = std::strtoll(text[i].c_str(), &end, 10);
      inputs[i].has_number = !text[i].empty() && end && *end == '\0';
      inputs[i].number = n;
    }
  }
};

// Evaluates with both evaluators, checks they agree, returns matched ids.
inline std::vector<std::uint32_t> MatchIds(const interp::CompiledContent& c, std::uint16_t type,
                                           const TestEvent& ev) {
  interp::EvalScratch s(c);
  const auto opt = interp::Evaluate(c, type, ev.inputs, s);
  std::vector<std::uint32_t> a;
  for (const auto& m : s.matches()) a.push_back(m.instance_id);
  const auto ref = interp::EvaluateReference(c, type, ev.inputs, s);
  std::vector<std::uint32_t> b;
  for (const auto& m : s.matches()) b.push_back(m.instance_id);
  CHECK(opt.status == ref.status);
  CHECK(a == b);
  return a;
}

}  // namespace chanval::test
