// ClassGate (class_gate.h): a regex's necessary run of byte classes, read
// from the pattern, and its search.
// Tests: tests/test_class_gate.cpp.
#include "chanval/interpreter/class_gate.h"

#include <bitset>
#include <cmath>
#include <unordered_map>
#include <vector>

namespace chanval::interp {
namespace {

using ByteSet = std::bitset<256>;

constexpr std::uint32_t kUnbounded = UINT32_MAX;
// RE2 refuses repetition counts above 1000; so does this parser.
constexpr std::uint32_t kMaxRepeat = 1000;
// Positions built at most; the rest of the pattern is left unread (a run
// from its start is as necessary as one from the whole).
constexpr std::size_t kMaxPositions = std::size_t{1} << 16;

// What one top-level item of the concatenation matches.
enum class Width : std::uint8_t {
  Byte,     // one ASCII byte of `bytes`
  Unknown,  // anything else: a group, `.`, a negated class, a folded k or s
  Zero,     // an assertion (^ $ \b \B \A \z) or a flag setting (?i)
};

struct Item {
  Width width = Width::Unknown;
  ByteSet bytes;
  std::uint32_t min = 1, max = 1;
};

bool IsAsciiPunct(unsigned char c) {
  return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

void AddRange(ByteSet& s, unsigned lo, unsigned hi) {
  for (unsigned b = lo; b <= hi; ++b) s.set(b);
}

// RE2's Perl classes, ASCII only (case folding is applied by the caller).
bool AddPerlClass(char e, ByteSet& s) {
  switch (e) {
    case 'd': AddRange(s, '0', '9'); return true;
    case 's': for (char c : {'\t', '\n', '\f', '\r', ' '}) s.set(static_cast<unsigned char>(c)); return true;
    case 'w': AddRange(s, '0', '9'); AddRange(s, 'A', 'Z'); AddRange(s, 'a', 'z'); s.set('_'); return true;
    default: return false;
  }
}

// The byte an escape stands for when it stands for one: \n \t \r \f and
// escaped ASCII punctuation. -1 otherwise.
int EscapedByte(char e) {
  switch (e) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case 'f': return '\f';
    default: return IsAsciiPunct(static_cast<unsigned char>(e)) ? static_cast<unsigned char>(e) : -1;
  }
}

// Case folding as RE2 does it for ASCII: a letter matches both cases, and k
// and s also match a multi-byte rune (U+212A, U+017F), so a folded set
// holding them is not one byte wide.
Width Fold(ByteSet& s, bool fold) {
  if (!fold) return Width::Byte;
  for (unsigned c = 'a'; c <= 'z'; ++c) {
    if (s[c] || s[c - 'a' + 'A']) {
      s.set(c);
      s.set(c - 'a' + 'A');
    }
  }
  return s['k'] || s['s'] ? Width::Unknown : Width::Byte;
}

// Reads the top-level items of a pattern in the subset of RE2's syntax it
// knows; every other construct makes it give up (Items returns false).
class Parser {
 public:
  Parser(std::string_view pattern, bool ignore_case) : p_(pattern), fold_(ignore_case) {}

  bool Items(std::vector<Item>& out) {
    while (i_ < p_.size()) {
      Item item;
      if (!One(item)) return false;
      if (!Repetition(item)) return false;
      out.push_back(item);
    }
    return true;
  }

 private:
  bool More(std::size_t k = 0) const { return i_ + k < p_.size(); }
  char At(std::size_t k = 0) const { return p_[i_ + k]; }

  bool One(Item& item) {
    const char c = At();
    switch (c) {
      case '|': return false;  // a top-level alternative: no run every match holds
      case ')': case ']': case '}': case '*': case '+': case '?': case '{': return false;
      case '(': item.width = Width::Unknown; return Group(item);
      case '[': return Class(item);
      case '\\': return Escape(item);
      case '.': item.width = Width::Unknown; ++i_; return true;
      case '^': case '$': item.width = Width::Zero; ++i_; return true;
      default: break;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80) return false;  // a multi-byte rune
    item.bytes.set(byte);
    item.width = Fold(item.bytes, fold_);
    ++i_;
    return true;
  }

  bool Escape(Item& item) {
    if (!More(1)) return false;
    const char e = At(1);
    i_ += 2;
    if (e == 'b' || e == 'B' || e == 'A' || e == 'z') {
      item.width = Width::Zero;
      return true;
    }
    if (e == 'D' || e == 'S' || e == 'W') {
      item.width = Width::Unknown;
      return true;
    }
    if (!AddPerlClass(e, item.bytes)) {
      const int b = EscapedByte(e);
      if (b < 0) return false;
      item.bytes.set(static_cast<unsigned>(b));
    }
    item.width = Fold(item.bytes, fold_);
    return true;
  }

  // One class member's byte (a literal or escaped byte) at i_, or -1.
  int ClassByte() {
    const char c = At();
    if (c == '\\') {
      if (!More(1)) return -1;
      const int b = EscapedByte(At(1));
      if (b >= 0) i_ += 2;
      return b;
    }
    if (static_cast<unsigned char>(c) >= 0x80 || c == '[') return -1;  // a rune; POSIX classes
    ++i_;
    return static_cast<unsigned char>(c);
  }

  bool Class(Item& item) {
    ++i_;
    bool wide = false;  // holds runes beyond ASCII
    if (More() && At() == '^') {
      wide = true;
      ++i_;
    }
    for (bool first = true;; first = false) {
      if (!More()) return false;
      if (At() == ']' && !first) {
        ++i_;
        break;
      }
      if (At() == '\\' && More(1) && (AddPerlClass(At(1), item.bytes) || At(1) == 'D' || At(1) == 'S' || At(1) == 'W')) {
        wide = wide || At(1) == 'D' || At(1) == 'S' || At(1) == 'W';
        i_ += 2;
        if (More(1) && At() == '-' && At(1) != ']') return false;  // a class as a range's end
        continue;
      }
      const int lo = ClassByte();
      if (lo < 0) return false;
      int hi = lo;
      if (More(1) && At() == '-' && At(1) != ']') {
        ++i_;
        hi = ClassByte();
        if (hi < lo) return false;
      }
      AddRange(item.bytes, static_cast<unsigned>(lo), static_cast<unsigned>(hi));
    }
    const Width folded = Fold(item.bytes, fold_);
    item.width = wide ? Width::Unknown : folded;
    return true;
  }

  // A group: skipped whole (its items are of unknown width to the run), or
  // a flag setting, which is zero-width and changes folding from here on.
  bool Group(Item& item) {
    ++i_;
    if (More() && At() == '?') {
      ++i_;
      if (More() && At() == ':') {
        ++i_;
      } else if (More() && (At() == '<' || At() == 'P')) {
        i_ += At() == 'P' ? 2 : 1;
        while (More() && At() != '>') {
          const char c = At();
          if (!(IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')) return false;
          ++i_;
        }
        if (!More()) return false;
        ++i_;
      } else {
        bool fold = fold_, negated = false;
        for (; More() && At() != ')' && At() != ':'; ++i_) {
          const char f = At();
          if (f == '-') {
            if (negated) return false;
            negated = true;
          } else if (f == 'i') {
            fold = !negated;
          } else if (f != 'm' && f != 's' && f != 'U') {
            return false;
          }
        }
        if (!More()) return false;
        if (At() == ')') {
          ++i_;
          fold_ = fold;
          item.width = Width::Zero;
          return true;
        }
        ++i_;  // (?flags: ... ): its flags stay inside it
      }
    }
    return SkipToClose();
  }

  // Past the ')' that closes the group whose contents start at i_.
  bool SkipToClose() {
    for (int depth = 1; More();) {
      const char c = At();
      if (c == '\\') {
        if (!More(1) || At(1) == 'Q') return false;  // \Q...\E: literal text, parentheses and all
        i_ += 2;
      } else if (c == '[') {
        Item ignored;
        if (!Class(ignored)) return false;
      } else {
        ++i_;
        if (c == '(') ++depth;
        if (c == ')' && --depth == 0) return true;
      }
    }
    return false;
  }

  // A repetition count as RE2 reads one: no leading zero (RE2 takes `{09}`
  // as literal text, found by fuzz_class_gate).
  bool Count(std::uint32_t& n) {
    if (!More() || !IsDigit(At())) return false;
    if (At() == '0' && More(1) && IsDigit(At(1))) return false;
    n = 0;
    while (More() && IsDigit(At())) {
      n = n * 10 + static_cast<std::uint32_t>(At() - '0');
      if (n > kMaxRepeat) return false;
      ++i_;
    }
    return true;
  }

  bool Repetition(Item& item) {
    if (!More()) return true;
    const char c = At();
    if (c != '*' && c != '+' && c != '?' && c != '{') return true;
    if (item.width == Width::Zero) return false;
    ++i_;
    if (c == '*') {
      item.min = 0, item.max = kUnbounded;
    } else if (c == '+') {
      item.min = 1, item.max = kUnbounded;
    } else if (c == '?') {
      item.min = 0, item.max = 1;
    } else {
      if (!Count(item.min)) return false;
      item.max = item.min;
      if (More() && At() == ',') {
        ++i_;
        item.max = kUnbounded;
        if (More() && IsDigit(At()) && !Count(item.max)) return false;
      }
      if (!More() || At() != '}' || item.max < item.min) return false;
      ++i_;
    }
    if (More() && At() == '?') ++i_;  // non-greedy: the same matches exist
    return !(More() && (At() == '*' || At() == '+' || At() == '?' || At() == '{'));
  }

  std::string_view p_;
  std::size_t i_ = 0;
  bool fold_;
};

// The most selective window of at most ClassGate::kMaxLength positions over
// the runs of positions every match holds.
class RunChooser {
 public:
  void Add(const Item& item) {
    if (spent_ || item.width == Width::Zero) return;
    if (item.width == Width::Unknown) return Close();
    const std::uint32_t id = Intern(item.bytes);
    Append(id, item.min);
    if (item.max != item.min) {  // the repetition's last `min` bytes start the next run
      Close();
      Append(id, item.min);
    }
  }
  void Close() {
    const std::size_t n = run_.size(), w = std::min(n, ClassGate::kMaxLength);
    double score = 0;
    for (std::size_t i = 0; i < n; ++i) {
      score += bits_[run_[i]];
      if (i >= w) score -= bits_[run_[i - w]];
      if (i + 1 >= w && score > best_score_ + 1e-9) {
        best_score_ = score;
        best_.assign(run_.begin() + static_cast<std::ptrdiff_t>(i + 1 - w), run_.begin() + static_cast<std::ptrdiff_t>(i + 1));
      }
    }
    run_.clear();
  }
  double best_score() const { return best_score_; }
  const std::vector<std::uint32_t>& best() const { return best_; }
  const ByteSet& Set(std::uint32_t id) const { return sets_[id]; }

 private:
  // A hash lookup: a pattern RE2 compiles within its memory budget can hold
  // some 20,000 distinct classes, and a scan of the sets seen took 120-190 ms
  // for one such pattern.
  std::uint32_t Intern(const ByteSet& s) {
    const auto [it, added] = ids_.emplace(s, static_cast<std::uint32_t>(sets_.size()));
    if (added) {
      sets_.push_back(s);
      bits_.push_back(std::log2(256.0 / static_cast<double>(s.count())));
    }
    return it->second;
  }
  void Append(std::uint32_t id, std::uint32_t times) {
    for (std::uint32_t k = 0; k < times; ++k) {
      if (++positions_ > kMaxPositions) {
        spent_ = true;
        return;
      }
      run_.push_back(id);
    }
  }

  std::unordered_map<ByteSet, std::uint32_t> ids_;
  std::vector<ByteSet> sets_;
  std::vector<double> bits_;
  std::vector<std::uint32_t> run_, best_;
  double best_score_ = 0;
  std::size_t positions_ = 0;
  bool spent_ = false;
};

}  // namespace

std::optional<ClassGate> ClassGate::For(std::string_view pattern, bool ignore_case) {
  std::vector<Item> items;
  if (!Parser(pattern, ignore_case).Items(items)) return std::nullopt;
  RunChooser chooser;
  for (const auto& item : items) chooser.Add(item);
  chooser.Close();
  if (chooser.best_score() < kMinSelectivityBits) return std::nullopt;
  ClassGate gate;
  const auto& run = chooser.best();
  gate.length_ = static_cast<std::uint8_t>(run.size());
  for (std::size_t i = 0; i < run.size(); ++i) {
    const ByteSet& s = chooser.Set(run[i]);
    for (unsigned b = 0; b < 256; ++b) {
      if (s[b]) gate.masks_[b] |= std::uint64_t{1} << (run.size() - 1 - i);
    }
  }
  return gate;
}

ClassGate::Search ClassGate::Find(std::string_view text) const {
  const std::size_t m = length_, n = text.size();
  Search out;
  if (n < m) return out;
  const std::uint64_t prefix = std::uint64_t{1} << (m - 1);
  const std::uint64_t all = m == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << m) - 1;
  for (std::size_t pos = 0; pos + m <= n;) {
    // Invariant: the j bytes read from the window's end are a factor of the
    // run at the positions d's bits mark; a bit at `prefix` marks a prefix.
    std::size_t j = m, next = m;
    std::uint64_t d = all;
    while (j > 0) {
      if (out.reads == n) {  // the reads paid for are spent: RE2 decides
        out.may_match = true;
        return out;
      }
      d &= masks_[static_cast<unsigned char>(text[pos + j - 1])];
      ++out.reads;
      --j;
      if (d == 0) break;
      if (d & prefix) {
        if (j == 0) {
          out.may_match = true;
          return out;
        }
        next = j;  // the window may start a match here
      }
      d <<= 1;
    }
    pos += next;
  }
  return out;
}

}  // namespace chanval::interp
