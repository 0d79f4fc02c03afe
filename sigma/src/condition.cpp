// Sigma conditions → expression trees (condition.h).
// Tests: tests/test_sigma.cpp (condition cases).
#include "condition.h"

#include <cctype>

#include "chanval/interpreter/limits.h"

namespace chanval::sigma {
namespace {

struct Token {
  enum class Kind { Word, Open, Close, Pipe, End };
  Kind kind;
  std::string text;
  std::size_t offset;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) { Tokenize(); }

  ConditionParse Run() {
    ConditionParse r;
    if (!error_.empty()) return {{}, error_};
    r.condition = ParseOr(0);
    if (error_.empty() && Peek().kind == Token::Kind::Pipe) {
      error_ = "aggregation ('|') in the condition";
    }
    if (error_.empty() && Peek().kind != Token::Kind::End) Fail("unexpected '" + Peek().text + "'");
    r.error = error_;
    return r;
  }

 private:
  void Tokenize() {
    std::size_t i = 0;
    while (i < text_.size()) {
      const char c = text_[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
      } else if (c == '(' || c == ')' || c == '|') {
        tokens_.push_back({c == '(' ? Token::Kind::Open : c == ')' ? Token::Kind::Close : Token::Kind::Pipe,
                           std::string(1, c), i});
        ++i;
      } else {
        const std::size_t start = i;
        while (i < text_.size() && !std::isspace(static_cast<unsigned char>(text_[i])) && text_[i] != '(' &&
               text_[i] != ')' && text_[i] != '|') {
          ++i;
        }
        tokens_.push_back({Token::Kind::Word, std::string(text_.substr(start, i - start)), start});
      }
    }
    tokens_.push_back({Token::Kind::End, "end of condition", text_.size()});
  }

  const Token& Peek() const { return tokens_[pos_]; }
  const Token& Next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  bool PeekWord(std::string_view w) const { return Peek().kind == Token::Kind::Word && Lower(Peek().text) == w; }
  void Fail(std::string msg) {
    if (error_.empty()) error_ = msg + " at offset " + std::to_string(Peek().offset);
  }
  bool TooDeep(std::size_t depth) {
    if (depth <= limits::kMaxExprDepth * 4) return false;
    Fail("condition nests too deeply");
    return true;
  }

  Condition Binary(Condition::Kind kind, std::string_view word, std::size_t depth,
                   Condition (Parser::*operand)(std::size_t)) {
    Condition first = (this->*operand)(depth + 1);
    if (!PeekWord(word)) return first;
    Condition c{kind, {}, {std::move(first)}};
    while (error_.empty() && PeekWord(word)) {
      Next();
      c.args.push_back((this->*operand)(depth + 1));
    }
    return c;
  }

  Condition ParseOr(std::size_t depth) {
    if (TooDeep(depth)) return {};
    return Binary(Condition::Kind::Or, "or", depth, &Parser::ParseAnd);
  }
  Condition ParseAnd(std::size_t depth) {
    if (TooDeep(depth)) return {};
    return Binary(Condition::Kind::And, "and", depth, &Parser::ParseNot);
  }
  Condition ParseNot(std::size_t depth) {
    if (TooDeep(depth)) return {};
    if (PeekWord("not")) {
      Next();
      return {Condition::Kind::Not, {}, {ParseNot(depth + 1)}};
    }
    return ParsePrimary(depth);
  }
  Condition ParsePrimary(std::size_t depth) {
    const Token& t = Peek();
    if (t.kind == Token::Kind::Open) {
      Next();
      Condition inner = ParseOr(depth + 1);
      if (Peek().kind != Token::Kind::Close) {
        Fail("missing ')'");
      } else {
        Next();
      }
      return inner;
    }
    if (t.kind != Token::Kind::Word) {
      Fail("expected a search identifier, got '" + t.text + "'");
      return {};
    }
    const std::string word = Lower(t.text);
    if (word == "and" || word == "or" || word == "not" || word == "of") {
      Fail("expected a search identifier, got '" + t.text + "'");
      return {};
    }
    Next();
    if (PeekWord("of")) {
      Next();
      Condition::Kind kind;
      if (word == "1" || word == "any") {
        kind = Condition::Kind::OneOf;
      } else if (word == "all") {
        kind = Condition::Kind::AllOf;
      } else {
        Fail("'" + word + " of' is not a Sigma quantifier (only '1 of' and 'all of')");
        return {};
      }
      if (Peek().kind != Token::Kind::Word) {
        Fail("expected a search identifier pattern or 'them' after 'of'");
        return {};
      }
      return {kind, Next().text, {}};
    }
    return {Condition::Kind::Identifier, t.text, {}};
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  std::string error_;
};

}  // namespace

ConditionParse ParseCondition(std::string_view text) { return Parser(text).Run(); }

bool IdentifierMatches(std::string_view pattern, std::string_view name) {
  // Iterative glob with backtracking to the last `*`: linear in practice.
  std::size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = n;
    } else if (p < pattern.size() && pattern[p] == name[n]) {
      ++p, ++n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace chanval::sigma
