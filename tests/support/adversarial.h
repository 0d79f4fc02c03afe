// Issue 10's adversarial content, one builder per shape: the worst inputs an
// attacker writing content can give each resource bound. Shared by the unit
// tests, the planted-defect tests and make_adversarial (which writes them to
// corpus-style JSON sources for the CLI tests).
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "chanval/channel_generated.h"

namespace chanval::test::adversarial {

// Finding 1: one regex per instance, named `refs` times as Or(Not m0, ...).
fb::ChannelFileT RepeatedReferences(std::uint32_t instances = 100, std::uint32_t refs = 127);
// The event that holds every instance's literal for RepeatedReferences.
std::string RepeatedReferencesEvent(std::uint32_t instances = 100);
// Finding 2: `instances` × `per_instance` regexes a[ab]{repeat}c… (RE2's DFA
// blows up on [ab]* text and falls back to the NFA).
fb::ChannelFileT RegexBlowup(std::uint32_t instances, std::uint32_t per_instance, std::uint32_t repeat = 999);
// Finding 2: one case-sensitive Contains with `count` literals a…ab.
fb::ChannelFileT LiteralVerification(std::uint32_t count = 1023);
// Finding 3: one Contains with `count` pseudo-random literals of `length` bytes on each of `fields` fields.
fb::ChannelFileT RandomLiterals(std::uint32_t count = 2040, std::uint32_t length = 1024, std::uint32_t fields = 1);
// Memory over budget now that prefilter tables take about 20 bytes a state
// (issue 12): `count` distinct small regexes, each reserving RE2's DFA
// memory (regex_max_mem).
fb::ChannelFileT ManyRegexes(std::uint32_t count = 1100);
// Finding 3: 1,024 literals a^k plus 500 literals ·a^1021 (quadratic output lists).
fb::ChannelFileT NestedOutputs();
// Finding 4: case-insensitive `sekurlsa::logonpasswords`, and a case-sensitive
// regex spelled with U+212A, each the only matcher of its instance.
fb::ChannelFileT FoldPartners();
// Finding 5: the three shapes that were falsely rejected.
fb::ChannelFileT LongCountedRepetition();  // [A-Za-z0-9+/=]{100,} and Image|endswith powershell.exe
fb::ChannelFileT EndAnchorAfterPrefix();  // CommandLine startswith cmd, regex \.bat$, then another matcher
fb::ChannelFileT BoundedRegexes();        // ^\D*$ and ^.{0,5}$: not "matches everything"
// Issue 12: IOC lists on Hashes, every literal long (IMPHASH=, MD5=, SHA256=
// and hex): the loader scans the field by sampling (sampled_scan.h). The
// first IOC is kHashIoc.
inline constexpr const char* kHashIoc = "IMPHASH=3D4392A18BB23C56D311A2D64B6E5BA0";
fb::ChannelFileT HashIocs();
// Issue 12: regexes with no atom, gated on a run of byte classes
// (class_gate.h): SigmaHQ's SNAKE regex (instance 7400), and runs whose
// search is quadratic on a value of a's (BNDM sees a prefix at every byte),
// where the gate must stop at its reads and let RE2 decide.
fb::ChannelFileT ClassGates();

// Every shape with a file name and the verdict the gate must reach in the
// bundled fleet (0 pass, 1 reject) and, if rejected, the code it must give.
struct Case {
  std::string name;
  fb::ChannelFileT (*make)();
  int exit_code;
  std::string code;  // e.g. "CV112"
};
std::vector<Case> Cases();

}  // namespace chanval::test::adversarial
