// Sigma values and modifiers → literals and regexes (pattern.h).
// Tests: tests/test_sigma.cpp (modifier cases).
#include "pattern.h"

#include <re2/re2.h>

namespace chanval::sigma {
namespace {

bool IsWordChar(unsigned char c) { return std::isalnum(c) || c == '_'; }

}  // namespace

Pattern Pattern::Parse(std::string_view s) {
  // Spec, "Escaping": a backslash escapes `*`, `?` and itself; a backslash
  // before anything else is a plain backslash.
  Pattern p;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\')) {
      p.Append({Piece::Kind::Literal, std::string(1, s[++i])});
    } else if (c == '*') {
      p.Append({Piece::Kind::AnyRun, {}});
    } else if (c == '?') {
      p.Append({Piece::Kind::AnyOne, {}});
    } else {
      p.Append({Piece::Kind::Literal, std::string(1, c)});
    }
  }
  return p;
}

Pattern Pattern::Literal(std::string_view text) {
  Pattern p;
  if (!text.empty()) p.Append({Piece::Kind::Literal, std::string(text)});
  return p;
}

bool Pattern::HasWildcards() const {
  for (const auto& piece : pieces_) {
    if (piece.kind != Piece::Kind::Literal) return true;
  }
  return false;
}

std::string Pattern::LiteralText() const {
  std::string out;
  for (const auto& piece : pieces_) out += piece.text;
  return out;
}

void Pattern::Append(Piece p) {
  if (!pieces_.empty()) {
    Piece& last = pieces_.back();
    if (p.kind == Piece::Kind::Literal && last.kind == Piece::Kind::Literal) {
      last.text += p.text;
      return;
    }
    if (p.kind == Piece::Kind::AnyRun && last.kind == Piece::Kind::AnyRun) return;
  }
  pieces_.push_back(std::move(p));
}

void Pattern::PrependAnyRun() {
  if (!StartsWithAnyRun()) pieces_.insert(pieces_.begin(), Piece{Piece::Kind::AnyRun, {}});
}

void Pattern::AppendAnyRun() { Append({Piece::Kind::AnyRun, {}}); }

std::vector<Pattern> WindashVariants(const Pattern& p, std::size_t max_variants) {
  static constexpr std::string_view kDashes[] = {"-", "/", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\x95"};
  std::vector<Pattern> out{Pattern{}};
  for (const auto& piece : p.pieces()) {
    if (piece.kind != Piece::Kind::Literal) {
      for (auto& v : out) v.Append(piece);
      continue;
    }
    const std::string& t = piece.text;
    for (std::size_t i = 0; i < t.size(); ++i) {
      const bool flag = (t[i] == '-' || t[i] == '/') &&
                        (i == 0 || !IsWordChar(static_cast<unsigned char>(t[i - 1]))) && i + 1 < t.size() &&
                        IsWordChar(static_cast<unsigned char>(t[i + 1]));
      if (!flag) {
        for (auto& v : out) v.Append({Piece::Kind::Literal, std::string(1, t[i])});
        continue;
      }
      if (out.size() * std::size(kDashes) > max_variants) return {};
      std::vector<Pattern> next;
      for (const auto& v : out) {
        for (auto dash : kDashes) {
          Pattern w = v;
          w.Append({Piece::Kind::Literal, std::string(dash)});
          next.push_back(std::move(w));
        }
      }
      out = std::move(next);
    }
  }
  return out;
}

std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16 | static_cast<unsigned char>(bytes[i + 1]) << 8 |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::vector<std::string> Base64OffsetVariants(std::string_view bytes) {
  // As pySigma, the reference implementation: shift the value by 0..2 bytes,
  // encode, and drop the leading characters that encode the shift bytes and
  // the trailing ones that would depend on the byte after the value.
  static constexpr std::size_t kDropFront[3] = {0, 2, 3};
  static constexpr std::size_t kDropBack[3] = {0, 3, 2};  // by (size + shift) % 3
  std::vector<std::string> out;
  for (std::size_t shift = 0; shift < 3; ++shift) {
    const std::string encoded = Base64(std::string(shift, ' ') + std::string(bytes));
    const std::size_t front = kDropFront[shift], back = kDropBack[(bytes.size() + shift) % 3];
    if (encoded.size() <= front + back) {
      out.push_back({});
    } else {
      out.push_back(encoded.substr(front, encoded.size() - front - back));
    }
  }
  return out;
}

bool EncodeUtf16(std::string_view s, Utf16 form, std::string& out) {
  out.clear();
  auto unit = [&](unsigned u) {
    if (form == Utf16::BigEndian) {
      out += static_cast<char>(u >> 8);
      out += static_cast<char>(u & 0xff);
    } else {
      out += static_cast<char>(u & 0xff);
      out += static_cast<char>(u >> 8);
    }
  };
  if (form == Utf16::WithBom) unit(0xFEFF);
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = s[i];
    unsigned cp = 0;
    std::size_t len = 0;
    if (c < 0x80) {
      cp = c, len = 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F, len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F, len = 3;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07, len = 4;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const unsigned char cc = s[i + k];
      if ((cc & 0xC0) != 0x80) return false;
      cp = cp << 6 | (cc & 0x3F);
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xD800 | (cp >> 10));
      unit(0xDC00 | (cp & 0x3FF));
    } else {
      unit(cp);
    }
  }
  return true;
}

std::string GlobRegex(const Pattern& p) {
  std::string out = "^";
  for (const auto& piece : p.pieces()) {
    switch (piece.kind) {
      case Piece::Kind::Literal: out += RE2::QuoteMeta(piece.text); break;
      case Piece::Kind::AnyRun: out += "(?s:.*)"; break;
      case Piece::Kind::AnyOne: out += "(?s:.)"; break;
    }
  }
  return out + "$";
}

}  // namespace chanval::sigma
