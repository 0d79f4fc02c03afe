// DiffReleases, RenderDiffText, RenderDiffJson (diff.h).
// Tests: tests/test_diff.cpp, the cli.diff_* tests (tests/CMakeLists.txt).
#include "chanval/validator/diff.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "chanval/interpreter/content.h"
#include "chanval/validator/report.h"

namespace chanval {
namespace {

using Version = interp::SensorVersion;

std::string Join(const std::vector<Version>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : " ") + x.ToString();
  return s.empty() ? "none" : s;
}

const interp::TypeSpec* TypeIn(const FleetMember& m, std::uint16_t type) { return m.profile.FindType(type); }

// A field's name as the newest build in the fleet that declares it says.
std::string FieldName(const Fleet& fleet, std::uint16_t type, std::uint16_t field) {
  for (auto it = fleet.members.rbegin(); it != fleet.members.rend(); ++it) {
    const auto* t = TypeIn(*it, type);
    if (t && field < t->declared.size()) return t->declared[field].name;
  }
  return "undeclared";
}

std::string TypeName(const Fleet& fleet, std::uint16_t type) {
  for (auto it = fleet.members.rbegin(); it != fleet.members.rend(); ++it) {
    if (const auto* t = TypeIn(*it, type)) return t->name;
  }
  return "unknown";
}

std::string Quoted(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* v) {
  std::string s;
  if (!v) return s;
  for (const auto* x : *v) s += (s.empty() ? "" : ", ") + ("\"" + JsonEscape(x->string_view()) + "\"");
  return s;
}

std::string DescribeMatcher(const fb::Matcher& m, const Fleet& fleet, std::uint16_t type) {
  std::string s = fmt::format("field {} ({}) {}", m.field(), FieldName(fleet, type, m.field()),
                              fb::EnumNameMatcherKind(m.kind()));
  switch (interp::KindRow(m.kind()).operands) {
    case interp::Operands::None: break;
    case interp::Operands::CompareWithLo: s += fmt::format(" {} {}", fb::EnumNameCompareOp(m.op()), m.lo()); break;
    case interp::Operands::RangeLoHi: s += fmt::format(" {}..{}", m.lo(), m.hi()); break;
    case interp::Operands::OtherField:
      s += fmt::format(" field {} ({})", m.other_field(), FieldName(fleet, type, m.other_field()));
      break;
  }
  if (interp::KindRow(m.kind()).values != interp::ValueShape::None) {
    std::string ints;
    if (m.int_values()) {
      for (auto v : *m.int_values()) ints += (ints.empty() ? "" : ", ") + std::to_string(v);
    }
    s += " [" + Quoted(m.values()) + (ints.empty() ? "" : (m.values() && m.values()->size() ? "; " : "") + ints) + "]";
  }
  if (m.ignore_case()) s += " ignore-case";
  return s;
}

std::string DescribeExpr(const fb::Expr* e) {
  if (!e) return "all of the matchers";
  switch (e->op()) {
    case fb::ExprOp::Matcher: return "m" + std::to_string(e->matcher());
    case fb::ExprOp::Not: return "not(" + (e->args() && e->args()->size() ? DescribeExpr(e->args()->Get(0)) : "") + ")";
    default: {
      std::string s = e->op() == fb::ExprOp::And ? "and(" : "or(";
      if (e->args()) {
        for (flatbuffers::uoffset_t i = 0; i < e->args()->size(); ++i) s += (i ? ", " : "") + DescribeExpr(e->args()->Get(i));
      }
      return s + ")";
    }
  }
}

std::vector<std::string> InstanceDetails(const fb::Instance& a, const fb::Instance& b, const Fleet& fleet) {
  std::vector<std::string> out;
  auto changed = [&](const std::string& what, const std::string& from, const std::string& to) {
    if (from != to) out.push_back(what + ": " + from + " -> " + to);
  };
  changed("name", a.name()->str(), b.name()->str());
  changed("template type", std::to_string(a.template_type()), std::to_string(b.template_type()));
  changed("action", fb::EnumNameAction(a.action()), fb::EnumNameAction(b.action()));
  changed("severity", fb::EnumNameSeverity(a.severity()), fb::EnumNameSeverity(b.severity()));
  changed("condition", DescribeExpr(a.condition()), DescribeExpr(b.condition()));
  const auto na = a.matchers()->size(), nb = b.matchers()->size();
  for (flatbuffers::uoffset_t i = 0; i < std::max(na, nb); ++i) {
    const std::string from = i < na ? DescribeMatcher(*a.matchers()->Get(i), fleet, a.template_type()) : "(none)";
    const std::string to = i < nb ? DescribeMatcher(*b.matchers()->Get(i), fleet, b.template_type()) : "(none)";
    changed("matcher #" + std::to_string(i), from, to);
  }
  return out;
}

// (template type, field) → the instances reading it with a non-wildcard matcher.
std::map<std::pair<std::uint16_t, std::uint16_t>, std::vector<std::uint32_t>> FieldReads(const fb::ChannelFile& f) {
  std::map<std::pair<std::uint16_t, std::uint16_t>, std::vector<std::uint32_t>> out;
  for (const auto* inst : *f.instances()) {
    for (const auto* m : *inst->matchers()) {
      interp::ForEachFieldRead(*m, [&](std::uint16_t field) {
        auto& ids = out[{inst->template_type(), field}];
        if (ids.empty() || ids.back() != inst->id()) ids.push_back(inst->id());
      });
    }
  }
  return out;
}

}  // namespace

ReleaseDiff DiffReleases(const ParsedChannel& old_file, const ParsedChannel& new_file, const Fleet& fleet) {
  ReleaseDiff d;
  const auto& eo = old_file.envelope;
  const auto& en = new_file.envelope;
  if (eo.channel != en.channel) d.envelope.push_back(fmt::format("channel: {} -> {}", eo.channel, en.channel));
  if (eo.sequence != en.sequence) d.envelope.push_back(fmt::format("sequence: {} -> {}", eo.sequence, en.sequence));
  if (eo.min_sensor != en.min_sensor || eo.max_sensor != en.max_sensor) {
    d.envelope.push_back(fmt::format("sensor range: {}..{} -> {}..{}", eo.min_sensor.ToString(),
                                     eo.max_sensor.ToString(), en.min_sensor.ToString(), en.max_sensor.ToString()));
  }
  const auto old_range = fleet.InRange(eo.min_sensor, eo.max_sensor);
  const auto new_range = fleet.InRange(en.min_sensor, en.max_sensor);
  for (const auto* m : new_range) {
    if (std::find(old_range.begin(), old_range.end(), m) == old_range.end()) d.newly_in_range.push_back(m->profile.version);
  }

  std::map<std::uint32_t, const fb::Instance*> olds, news;
  for (const auto* i : *old_file.root().instances()) olds[i->id()] = i;
  for (const auto* i : *new_file.root().instances()) news[i->id()] = i;
  for (const auto& [id, inst] : olds) {
    if (!news.count(id)) d.instances.push_back({InstanceChange::Kind::Removed, id, inst->name()->str(), {}});
  }
  for (const auto& [id, inst] : news) {
    const auto it = olds.find(id);
    if (it == olds.end()) {
      d.instances.push_back({InstanceChange::Kind::Added, id, inst->name()->str(), {}});
    } else if (auto details = InstanceDetails(*it->second, *inst, fleet); !details.empty()) {
      d.instances.push_back({InstanceChange::Kind::Changed, id, inst->name()->str(), std::move(details)});
    }
  }

  std::set<std::uint16_t> old_types;
  for (const auto* i : *old_file.root().instances()) old_types.insert(i->template_type());
  std::map<std::uint16_t, std::vector<std::uint32_t>> new_types;
  for (const auto* i : *new_file.root().instances()) {
    if (!old_types.count(i->template_type())) new_types[i->template_type()].push_back(i->id());
  }
  for (const auto& [type, ids] : new_types) {
    FirstUse u{type, TypeName(fleet, type), std::nullopt, {}, ids, {}, {}, {}};
    for (const auto* m : new_range) {
      u.in_range.push_back(m->profile.version);
      if (TypeIn(*m, type)) u.declaring.push_back(m->profile.version);
    }
    d.first_uses.push_back(std::move(u));
  }
  const auto old_reads = FieldReads(old_file.root());
  for (const auto& [key, ids] : FieldReads(new_file.root())) {
    if (old_reads.count(key) || new_types.count(key.first)) continue;  // a new type is reported once, as a type
    const auto [type, field] = key;
    FirstUse u{type, TypeName(fleet, type), field, FieldName(fleet, type, field), ids, {}, {}, {}};
    for (const auto* m : new_range) {
      u.in_range.push_back(m->profile.version);
      const auto* t = TypeIn(*m, type);
      if (t && field < t->declared.size()) u.declaring.push_back(m->profile.version);
      if (t && field < t->supplied.size()) u.supplying.push_back(m->profile.version);
    }
    d.first_uses.push_back(std::move(u));
  }
  return d;
}

std::string RenderDiffText(const ReleaseDiff& d, const std::string& old_name, const std::string& new_name) {
  std::string out = fmt::format("diff {} -> {}\n", old_name, new_name);
  for (const auto& e : d.envelope) out += "  envelope " + e + "\n";
  for (const auto& c : d.instances) {
    const char* what = c.kind == InstanceChange::Kind::Added     ? "added"
                       : c.kind == InstanceChange::Kind::Removed ? "removed"
                                                                 : "changed";
    out += fmt::format("  {} instance {} ({})\n", what, c.id, c.name);
    for (const auto& line : c.details) out += "    " + line + "\n";
  }
  for (const auto& u : d.first_uses) {
    std::string ids;
    for (auto id : u.instances) ids += (ids.empty() ? "" : " ") + std::to_string(id);
    if (!u.field) {
      out += fmt::format("warning first-use: template type {} ({}) is used for the first time by instances {}; in "
                         "range {}; builds that have it: {}\n",
                         u.template_type, u.type_name, ids, Join(u.in_range), Join(u.declaring));
      continue;
    }
    std::vector<Version> not_supplied;
    for (const auto& v : u.declaring) {
      if (std::find(u.supplying.begin(), u.supplying.end(), v) == u.supplying.end()) not_supplied.push_back(v);
    }
    out += fmt::format("warning first-use: {} ({}) field {} ({}) is read by a non-wildcard matcher for the first "
                       "time, by instances {}; in range {}; declared by {}; supplied by {}{}\n",
                       u.type_name, u.template_type, *u.field, u.field_name, ids, Join(u.in_range), Join(u.declaring),
                       Join(u.supplying),
                       not_supplied.empty() ? "" : "; declared but NOT supplied by " + Join(not_supplied));
  }
  if (!d.newly_in_range.empty()) {
    out += "warning first-use: the sensor range newly reaches builds " + Join(d.newly_in_range) + "\n";
  }
  std::size_t added = 0, removed = 0, changed = 0;
  for (const auto& c : d.instances) {
    (c.kind == InstanceChange::Kind::Added ? added : c.kind == InstanceChange::Kind::Removed ? removed : changed)++;
  }
  out += fmt::format("{} added, {} removed, {} changed; {} first-use warning{}\n", added, removed, changed,
                     d.first_uses.size() + !d.newly_in_range.empty(),
                     d.first_uses.size() + !d.newly_in_range.empty() == 1 ? "" : "s");
  return out;
}

std::string RenderDiffJson(const ReleaseDiff& d, const std::string& old_name, const std::string& new_name) {
  auto versions = [](const std::vector<Version>& v) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i) s += fmt::format("{}\"{}\"", i ? ", " : "", v[i].ToString());
    return s + "]";
  };
  auto strings = [](const std::vector<std::string>& v) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i) s += fmt::format("{}\"{}\"", i ? ", " : "", JsonEscape(v[i]));
    return s + "]";
  };
  std::string out = fmt::format("{{\n  \"old\": \"{}\",\n  \"new\": \"{}\",\n  \"envelope\": {},\n  \"instances\": [",
                                JsonEscape(old_name), JsonEscape(new_name), strings(d.envelope));
  for (std::size_t i = 0; i < d.instances.size(); ++i) {
    const auto& c = d.instances[i];
    const char* what = c.kind == InstanceChange::Kind::Added     ? "added"
                       : c.kind == InstanceChange::Kind::Removed ? "removed"
                                                                 : "changed";
    out += fmt::format("{}\n    {{\"change\": \"{}\", \"id\": {}, \"name\": \"{}\", \"details\": {}}}", i ? "," : "",
                       what, c.id, JsonEscape(c.name), strings(c.details));
  }
  out += "\n  ],\n  \"first_use\": [";
  for (std::size_t i = 0; i < d.first_uses.size(); ++i) {
    const auto& u = d.first_uses[i];
    std::string ids = "[";
    for (std::size_t k = 0; k < u.instances.size(); ++k) ids += (k ? ", " : "") + std::to_string(u.instances[k]);
    ids += "]";
    out += fmt::format("{}\n    {{\"template_type\": {}, \"type_name\": \"{}\", \"field\": {}, \"field_name\": {}, "
                       "\"instances\": {}, \"in_range\": {}, \"declaring\": {}, \"supplying\": {}}}",
                       i ? "," : "", u.template_type, JsonEscape(u.type_name),
                       u.field ? std::to_string(*u.field) : "null",
                       u.field ? "\"" + JsonEscape(u.field_name) + "\"" : "null", ids, versions(u.in_range),
                       versions(u.declaring), u.field ? versions(u.supplying) : "null");
  }
  out += fmt::format("\n  ],\n  \"newly_in_range\": {}\n}}\n", versions(d.newly_in_range));
  return out;
}

}  // namespace chanval
