// A Sigma string value as a sequence of literal text and wildcards, after the
// specification's escape rules, and the transformation modifiers that turn
// one value into one or more values (windash, base64, base64offset, utf16).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace chanval::sigma {

struct Piece {
  enum class Kind { Literal, AnyRun /* * */, AnyOne /* ? */ };
  Kind kind = Kind::Literal;
  std::string text;  // Literal only
  bool operator==(const Piece&) const = default;
};

// Adjacent literals merged, runs of `*` collapsed.
class Pattern {
 public:
  static Pattern Parse(std::string_view sigma_text);   // escapes and wildcards per the spec
  static Pattern Literal(std::string_view text);        // no wildcards at all

  const std::vector<Piece>& pieces() const { return pieces_; }
  bool HasWildcards() const;
  bool StartsWithAnyRun() const { return !pieces_.empty() && pieces_.front().kind == Piece::Kind::AnyRun; }
  bool EndsWithAnyRun() const { return !pieces_.empty() && pieces_.back().kind == Piece::Kind::AnyRun; }
  // The literal text, only meaningful when !HasWildcards().
  std::string LiteralText() const;

  void Append(Piece p);
  void PrependAnyRun();
  void AppendAnyRun();
  bool operator==(const Pattern&) const = default;

 private:
  std::vector<Piece> pieces_;
};

// `windash`: every `-` or `/` that starts a flag (no word character before
// it, a word character after it) takes each of - / – — ―, in every
// combination. Empty result when the combinations would exceed `max_variants`.
std::vector<Pattern> WindashVariants(const Pattern& p, std::size_t max_variants);

std::string Base64(std::string_view bytes);
// The three encodings of `bytes` at offsets 0, 1, 2 inside a longer base64
// text, trimmed to the characters that do not depend on its neighbours.
std::vector<std::string> Base64OffsetVariants(std::string_view bytes);

enum class Utf16 { LittleEndian, BigEndian, WithBom };
// UTF-8 → UTF-16; false if the input is not valid UTF-8.
bool EncodeUtf16(std::string_view utf8, Utf16 form, std::string& out);

// RE2 syntax for a pattern, anchored at both ends (`?` = one character).
std::string GlobRegex(const Pattern& p);

}  // namespace chanval::sigma
