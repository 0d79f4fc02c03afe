// Test helpers: channel files from the object API, so every test states the
// content it needs in a few lines.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "chanval/channel_generated.h"
#include "chanval/validator/parser.h"

namespace chanval::test {

using fb::MatcherKind;

inline std::unique_ptr<fb::MatcherT> M(std::uint16_t field, MatcherKind kind, std::vector<std::string> values = {},
                                       bool ignore_case = false) {
  auto m = std::make_unique<fb::MatcherT>();
  m->field = field;
  m->kind = kind;
  m->values = std::move(values);
  m->ignore_case = ignore_case;
  return m;
}

inline std::unique_ptr<fb::MatcherT> IntM(std::uint16_t field, MatcherKind kind, fb::CompareOp op, std::int64_t lo,
                                          std::int64_t hi = 0) {
  auto m = M(field, kind);
  m->op = op;
  m->lo = lo;
  m->hi = hi;
  return m;
}

// FieldEquals: `field` equals `other` in the same event (Sigma fieldref).
inline std::unique_ptr<fb::MatcherT> FieldEq(std::uint16_t field, std::uint16_t other, bool ignore_case = true) {
  auto m = std::make_unique<fb::MatcherT>();
  m->field = field;
  m->other_field = other;
  m->kind = fb::MatcherKind::FieldEquals;
  m->ignore_case = ignore_case;
  return m;
}

inline std::unique_ptr<fb::MatcherT> IntSet(std::uint16_t field, std::vector<std::int64_t> values) {
  auto m = M(field, MatcherKind::OneOf);
  m->int_values = std::move(values);
  return m;
}

inline std::unique_ptr<fb::ExprT> Ref(std::uint16_t matcher) {
  auto e = std::make_unique<fb::ExprT>();
  e->op = fb::ExprOp::Matcher;
  e->matcher = matcher;
  return e;
}

inline std::unique_ptr<fb::ExprT> Op(fb::ExprOp op, std::vector<std::unique_ptr<fb::ExprT>> args) {
  auto e = std::make_unique<fb::ExprT>();
  e->op = op;
  e->args = std::move(args);
  return e;
}

template <typename... E>
std::vector<std::unique_ptr<fb::ExprT>> Args(E... e) {
  std::vector<std::unique_ptr<fb::ExprT>> v;
  (v.push_back(std::move(e)), ...);
  return v;
}
inline std::unique_ptr<fb::ExprT> And(std::vector<std::unique_ptr<fb::ExprT>> a) { return Op(fb::ExprOp::And, std::move(a)); }
inline std::unique_ptr<fb::ExprT> Or(std::vector<std::unique_ptr<fb::ExprT>> a) { return Op(fb::ExprOp::Or, std::move(a)); }
inline std::unique_ptr<fb::ExprT> Not(std::unique_ptr<fb::ExprT> a) { return Op(fb::ExprOp::Not, Args(std::move(a))); }

inline std::unique_ptr<fb::InstanceT> Instance(std::uint32_t id, std::uint16_t type,
                                               std::vector<std::unique_ptr<fb::MatcherT>> matchers,
                                               std::unique_ptr<fb::ExprT> condition = nullptr) {
  auto i = std::make_unique<fb::InstanceT>();
  i->id = id;
  i->name = "instance " + std::to_string(id);
  i->template_type = type;
  i->matchers = std::move(matchers);
  i->condition = std::move(condition);
  return i;
}

template <typename... Ms>
std::vector<std::unique_ptr<fb::MatcherT>> Matchers(Ms... m) {
  std::vector<std::unique_ptr<fb::MatcherT>> v;
  (v.push_back(std::move(m)), ...);
  return v;
}

inline fb::ChannelFileT Channel(std::uint16_t min_minor = 9, std::uint16_t max_minor = 12) {
  fb::ChannelFileT c;
  c.channel = 1;
  c.sequence = 1;
  c.min_sensor = std::make_unique<fb::SensorVersion>(7, min_minor);
  c.max_sensor = std::make_unique<fb::SensorVersion>(7, max_minor);
  return c;
}

// A channel that sets every field the schema has, each away from its default.
inline fb::ChannelFileT EveryFieldChannel() {
  auto full = Channel();
  auto inst = Instance(9, 1,
                       Matchers(M(4, MatcherKind::Suffix, {"\\a.exe", "\\b.exe"}, true), IntSet(3, {4, 8, 15}),
                                IntM(3, MatcherKind::IntRange, fb::CompareOp::Eq, 1, 9), FieldEq(4, 6),
                                M(10, MatcherKind::Equals, {""})),
                       Or(Args(And(Args(Ref(0), Not(Ref(1)))), Ref(2), Ref(3), Ref(4))));
  inst->action = fb::Action::Block;
  inst->severity = fb::Severity::Critical;
  inst->matches_everything_intended = true;
  inst->meta = std::make_unique<fb::RuleMetaT>();
  inst->meta->rule_id = "0b0f2a1e";
  inst->meta->title = "every field";
  inst->meta->author = "tests";
  inst->meta->references = {"https://example.org/a", "https://example.org/b"};
  full.instances.push_back(std::move(inst));
  full.instances.push_back(Instance(10, 3, Matchers(M(14, MatcherKind::Cidr, {"10.0.0.0/8"}))));
  return full;
}

// Canonical payload wrapped in a correct envelope.
inline std::vector<std::uint8_t> Bytes(const fb::ChannelFileT& c) {
  const auto payload = CanonicalPayload(c);
  return AssembleChannelFile(payload, *fb::GetChannelFile(payload.data()));
}

}  // namespace chanval::test
