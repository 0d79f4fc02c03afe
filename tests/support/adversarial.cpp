// The adversarial content shapes (adversarial.h).
#include "adversarial.h"

#include <random>

#include "channel_builder.h"

namespace chanval::test::adversarial {
namespace {

constexpr std::uint16_t kProc = 1, kImage = 4, kCommandLine = 10, kHashes = 17;

fb::ChannelFileT Release() { return Channel(10, 12); }

std::unique_ptr<fb::MatcherT> Folded(std::uint16_t field, MatcherKind kind, std::vector<std::string> values) {
  return M(field, kind, std::move(values), true);
}

}  // namespace

fb::ChannelFileT RepeatedReferences(std::uint32_t instances, std::uint32_t refs) {
  auto c = Release();
  for (std::uint32_t i = 0; i < instances; ++i) {
    std::vector<std::unique_ptr<fb::ExprT>> args;
    for (std::uint32_t r = 0; r < refs; ++r) args.push_back(Not(Ref(0)));
    c.instances.push_back(Instance(1000 + i, kProc,
                                   Matchers(M(kCommandLine, MatcherKind::Regex, {"lit" + std::to_string(i) + "x"})),
                                   Or(std::move(args))));
  }
  return c;
}

std::string RepeatedReferencesEvent(std::uint32_t instances) {
  std::string s;
  for (std::uint32_t i = 0; i < instances; ++i) s += "lit" + std::to_string(i) + "x ";
  return s;
}

fb::ChannelFileT RegexBlowup(std::uint32_t instances, std::uint32_t per_instance, std::uint32_t repeat) {
  auto c = Release();
  for (std::uint32_t i = 0; i < instances; ++i) {
    std::vector<std::unique_ptr<fb::MatcherT>> ms;
    for (std::uint32_t k = 0; k < per_instance; ++k) {
      ms.push_back(M(kCommandLine, MatcherKind::Regex, {"a[ab]{" + std::to_string(repeat) + "}c" + std::to_string(k)}));
    }
    std::vector<std::unique_ptr<fb::ExprT>> any;
    for (std::uint32_t k = 0; k < per_instance; ++k) any.push_back(Ref(static_cast<std::uint16_t>(k)));
    c.instances.push_back(Instance(2000 + i, kProc, std::move(ms), Or(std::move(any))));
  }
  return c;
}

fb::ChannelFileT LiteralVerification(std::uint32_t count) {
  std::vector<std::string> literals;
  for (std::uint32_t k = 1; k <= count; ++k) literals.push_back(std::string(k, 'a') + "b");
  auto c = Release();
  c.instances.push_back(Instance(3000, kProc, Matchers(M(kCommandLine, MatcherKind::Contains, literals))));
  return c;
}

fb::ChannelFileT RandomLiterals(std::uint32_t count, std::uint32_t length, std::uint32_t fields) {
  std::mt19937 rng(291);
  auto literal = [&] {
    // Printable ASCII and two-byte UTF-8: as many byte classes as valid text allows.
    std::string s;
    while (s.size() + 2 <= length) {
      if (rng() % 2) {
        s += static_cast<char>(' ' + rng() % 95);
      } else {
        const unsigned cp = 0x80 + rng() % (0x800 - 0x80);
        s += static_cast<char>(0xc0 | (cp >> 6));
        s += static_cast<char>(0x80 | (cp & 0x3f));
      }
    }
    while (s.size() < length) s += 'q';
    return s;
  };
  auto c = Release();
  const std::uint16_t field_of[] = {kCommandLine, kImage, 11 /* CurrentDirectory */};
  std::vector<std::unique_ptr<fb::MatcherT>> ms;
  for (std::uint32_t f = 0; f < fields && f < 3; ++f) {
    std::vector<std::string> literals;
    for (std::uint32_t i = 0; i < count; ++i) literals.push_back(literal());
    ms.push_back(M(field_of[f], MatcherKind::Contains, std::move(literals)));
  }
  c.instances.push_back(Instance(4000, kProc, std::move(ms)));
  return c;
}

fb::ChannelFileT ManyRegexes(std::uint32_t count) {
  auto c = Release();
  for (std::uint32_t i = 0; i < count; ++i) {
    c.instances.push_back(
        Instance(8000 + i, kProc, Matchers(M(kCommandLine, MatcherKind::Regex, {"tok" + std::to_string(i) + "[0-9]z"}))));
  }
  return c;
}

fb::ChannelFileT NestedOutputs() {
  std::vector<std::string> literals;
  for (std::uint32_t k = 1; k <= 1024; ++k) literals.push_back(std::string(k, 'a'));
  std::vector<std::string> tails;
  for (std::uint32_t i = 0; i < 500; ++i) {
    const std::string head = {static_cast<char>('b' + i % 20), static_cast<char>('b' + i / 20 % 20), 'z'};
    tails.push_back(head + std::string(1021, 'a'));
  }
  auto c = Release();
  c.instances.push_back(Instance(5000, kProc, Matchers(Folded(kCommandLine, MatcherKind::Contains, literals))));
  c.instances.push_back(Instance(5001, kProc, Matchers(Folded(kCommandLine, MatcherKind::Contains, tails))));
  return c;
}

fb::ChannelFileT FoldPartners() {
  auto c = Release();
  c.instances.push_back(Instance(6000, kProc, Matchers(Folded(kCommandLine, MatcherKind::Regex, {"sekurlsa::logonpasswords"}))));
  c.instances.push_back(Instance(6001, kProc, Matchers(M(kCommandLine, MatcherKind::Regex, {"\xe2\x84\xaa" "erberoast"}))));
  return c;
}

fb::ChannelFileT LongCountedRepetition() {
  auto c = Release();
  c.instances.push_back(Instance(7000, kProc,
                                 Matchers(M(kCommandLine, MatcherKind::Regex, {"[A-Za-z0-9+/=]{100,}"}),
                                          Folded(kImage, MatcherKind::Suffix, {"\\powershell.exe"}))));
  return c;
}

fb::ChannelFileT EndAnchorAfterPrefix() {
  auto c = Release();
  c.instances.push_back(Instance(7100, kProc,
                                 Matchers(Folded(kCommandLine, MatcherKind::Prefix, {"cmd"}),
                                          Folded(kCommandLine, MatcherKind::Regex, {"\\.bat$"}),
                                          Folded(kImage, MatcherKind::Suffix, {"\\cmd.exe"}))));
  return c;
}

fb::ChannelFileT BoundedRegexes() {
  auto c = Release();
  c.instances.push_back(Instance(7200, kProc, Matchers(M(kCommandLine, MatcherKind::Regex, {"^\\D*$"}))));
  c.instances.push_back(Instance(7201, kProc, Matchers(M(kCommandLine, MatcherKind::Regex, {"^.{0,5}$"}))));
  return c;
}

fb::ChannelFileT HashIocs() {
  std::mt19937 rng(2012);
  const auto hex = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += "0123456789ABCDEF"[rng() % 16];
    return s;
  };
  std::vector<std::string> imphash = {kHashIoc}, md5, sha256;
  for (int i = 1; i < 100; ++i) imphash.push_back("IMPHASH=" + hex(32));
  for (int i = 0; i < 100; ++i) md5.push_back("MD5=" + hex(32));
  for (int i = 0; i < 100; ++i) sha256.push_back("SHA256=" + hex(64));
  auto c = Release();
  c.instances.push_back(Instance(7300, kProc, Matchers(Folded(kHashes, MatcherKind::Contains, imphash))));
  c.instances.push_back(Instance(7301, kProc,
                                 Matchers(Folded(kHashes, MatcherKind::Contains, md5),
                                          Folded(kImage, MatcherKind::Suffix, {"\\rundll32.exe"}))));
  c.instances.push_back(Instance(7302, kProc, Matchers(Folded(kHashes, MatcherKind::Contains, sha256))));
  return c;
}

fb::ChannelFileT ClassGates() {
  auto c = Release();
  c.instances.push_back(
      Instance(7400, kProc, Matchers(M(kCommandLine, MatcherKind::Regex, {"\\s[a-fA-F0-9]{64}\\s[a-fA-F0-9]{16}"}))));
  for (std::uint32_t i = 0; i < 16; ++i) {
    const std::string run = "[ab]{" + std::to_string(40 + i) + "}[" + std::string(1, static_cast<char>('c' + i)) + "-z]";
    c.instances.push_back(Instance(7401 + i, kProc, Matchers(M(kCommandLine, MatcherKind::Regex, {run}))));
  }
  return c;
}

std::vector<Case> Cases() {
  return {
      {"repeated-references", [] { return RepeatedReferences(); }, 0, ""},
      {"regex-blowup-6208", [] { return RegexBlowup(97, 64); }, 1, "CV112"},
      {"regex-blowup-one", [] { return RegexBlowup(1, 1); }, 1, "CV208"},
      {"literal-verification", [] { return LiteralVerification(); }, 1, "CV112"},
      {"random-literals", [] { return RandomLiterals(); }, 1, "CV112"},
      {"many-regexes", [] { return ManyRegexes(); }, 1, "CV117"},
      {"nested-outputs", NestedOutputs, 0, ""},
      {"fold-partners", FoldPartners, 0, ""},
      {"long-counted-repetition", LongCountedRepetition, 0, ""},
      {"end-anchor-after-prefix", EndAnchorAfterPrefix, 0, ""},
      {"bounded-regexes", BoundedRegexes, 0, ""},
      {"hash-iocs", HashIocs, 0, ""},
      {"class-gates", ClassGates, 0, ""},
  };
}

}  // namespace chanval::test::adversarial
