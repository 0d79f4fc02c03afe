// PayloadIsCanonical (parser.h): whether a verified payload is the bytes
// canonical.cpp's rebuild would write, decided without writing them. It
// replays FlatBufferBuilder's layout arithmetic (flatbuffer_builder.h,
// FlatBuffers 2.0.8: alignment, padding, vtables shared by content) in the
// order the rebuild makes its calls, and requires every object to sit where
// the builder would put it (see LayoutReplay). A canonical file then costs a
// few operations an object, not a copy and a compare of every byte (the
// rebuild was about half of a strict parse).
// It is a second model of the builder, so it only ever speeds up a "yes":
// the parser asks the rebuild whenever the replay says no, and tests and
// fuzz_parse require the two to agree on every payload they see
// (tests/test_canonical_replay.cpp, tests/test_parser.cpp, fuzz/fuzz_parse.cpp).
#include <flatbuffers/flatbuffers.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include "chanval/validator/parser.h"

namespace chanval {
namespace {

static_assert(FLATBUFFERS_LITTLEENDIAN, "scalars are compared in the host's byte order");

using flatbuffers::uoffset_t;
using flatbuffers::voffset_t;

template <typename V>
bool Filled(const V* v) {  // absent and empty are one thing to the rebuild
  return v && v->size() != 0;
}

// The most fields a table of the schema has (Matcher, Instance): its vtable
// is 2 + 2 + 2 x 9 bytes.
constexpr std::size_t kMaxTableFields = 9;

// Positions are the builder's sizes: an object "at k" ends k bytes before the
// payload's end. Every object is checked where the builder would put it by
// comparing its address (as the verified accessors reach it) with that
// place: its bytes are then the bytes the builder copies from it, and every
// offset to it, from a table field or a vector element, holds what the
// builder writes. What is left to check is what the builder writes from
// nothing: padding (zeros), vtables, and scalars that the accessors change
// on the way (a bool reads 1 for any non-zero byte, and is written as 1).
class LayoutReplay {
 public:
  explicit LayoutReplay(std::span<const std::uint8_t> payload)
      : payload_(payload.data()), total_(payload.size()), vtable_at_((payload.size() >> 7) + 1) {}

  bool Run(const fb::ChannelFile& root) {
    const uoffset_t instances = Children(root.instances(), [this](const fb::Instance& in) { return Instance(in); });
    if (instances == 0) return false;
    TableLayout t(*this);
    t.Offset(fb::ChannelFile::VT_INSTANCES, instances);
    t.Struct(fb::ChannelFile::VT_MAX_SENSOR, root.max_sensor());
    t.Struct(fb::ChannelFile::VT_MIN_SENSOR, root.min_sensor());
    t.Scalar<std::uint32_t>(fb::ChannelFile::VT_SEQUENCE, root.sequence());
    t.Scalar<std::uint16_t>(fb::ChannelFile::VT_CHANNEL, root.channel());
    const uoffset_t table = t.End(&root);
    if (table == 0) return false;
    // FlatBufferBuilder::Finish, with the file identifier and no size
    // prefix: padding to the largest alignment used, the identifier, and the
    // offset to the root table. The verifier found the root through that
    // offset and the identifier behind it, and the root table is at `table`:
    // so both hold what the builder writes once the sizes add up.
    const std::size_t from = size_;
    size_ += PaddingBytes(size_ + sizeof(uoffset_t) + flatbuffers::kFileIdentifierLength, min_align_);
    const std::size_t padded = size_;
    size_ += flatbuffers::kFileIdentifierLength + sizeof(uoffset_t);
    return size_ == total_ && ZerosAt(from, padded) &&
           std::memcmp(payload_ + sizeof(uoffset_t), fb::ChannelFileIdentifier(),
                       flatbuffers::kFileIdentifierLength) == 0;
  }

 private:
  static std::size_t PaddingBytes(std::size_t size, std::size_t alignment) {
    return (~size + 1) & (alignment - 1);
  }

  // The padding FlatBufferBuilder::Align would add at this size.
  std::size_t AlignPadding(std::size_t alignment) {
    min_align_ = std::max(min_align_, alignment);
    return PaddingBytes(size_, alignment);
  }

  // Whether the builder's object at k is the one at `actual`.
  bool At(const void* actual, std::size_t k) const {
    return k <= total_ && static_cast<const std::uint8_t*>(actual) == payload_ + (total_ - k);
  }

  // Whether the bytes the builder writes between sizes `from` and `to` (from
  // <= to <= total_) are zero: padding, 7 bytes at most.
  bool ZerosAt(std::size_t from, std::size_t to) const {
    std::uint8_t any = 0;
    for (std::size_t k = from; k < to; ++k) any |= payload_[total_ - 1 - k];
    return any == 0;
  }

  // --- strings and vectors: padding, then the object, checked in place ---

  // The builder writes `zeros` zero bytes, then `bytes` more that end with
  // the object found at `actual`: the object's place if it is that one and
  // the zeros are zero, else 0.
  uoffset_t Place(const void* actual, std::size_t zeros, std::size_t bytes) {
    const std::size_t from = size_;
    size_ += zeros + bytes;
    return At(actual, size_) && ZerosAt(from, from + zeros) ? static_cast<uoffset_t>(size_) : 0;
  }

  uoffset_t String(const flatbuffers::String& s) {  // FlatBufferBuilder::CreateString
    min_align_ = std::max(min_align_, sizeof(uoffset_t));
    // PreAlign for the bytes and the terminator, then the terminator.
    const std::size_t zeros = PaddingBytes(size_ + s.size() + 1, sizeof(uoffset_t)) + 1;
    return Place(&s, zeros, s.size() + sizeof(uoffset_t));
  }

  uoffset_t Text(const flatbuffers::String* s) { return Filled(s) ? String(*s) : kAbsent; }

  // StartVector's padding for `count` elements of `element_size` bytes.
  std::size_t VectorPadding(std::size_t count, std::size_t element_size) {
    const std::size_t bytes = count * element_size;
    min_align_ = std::max({min_align_, sizeof(uoffset_t), element_size});
    const std::size_t first = PaddingBytes(size_ + bytes, sizeof(uoffset_t));
    return first + PaddingBytes(size_ + first + bytes, element_size);
  }

  // The vector after its elements' children, each built in order and found
  // where its element points: so the elements hold what the builder writes
  // once the vector is in its place.
  template <typename T>
  uoffset_t OffsetVector(const flatbuffers::Vector<flatbuffers::Offset<T>>& vector) {
    const std::size_t count = vector.size();
    const std::size_t zeros = VectorPadding(count, sizeof(uoffset_t));
    return Place(&vector, zeros, count * sizeof(uoffset_t) + sizeof(uoffset_t));
  }

  // A vector's children replayed in order, then the vector: its place,
  // kAbsent when it is absent or empty, 0 when anything is out of place.
  template <typename T, typename ReplayChild>
  uoffset_t Children(const flatbuffers::Vector<flatbuffers::Offset<T>>* v, ReplayChild replay) {
    if (!Filled(v)) return kAbsent;
    for (const auto* child : *v) {
      if (replay(*child) == 0) return 0;
    }
    return OffsetVector(*v);
  }

  uoffset_t Texts(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* v) {
    return Children(v, [this](const flatbuffers::String& s) { return String(s); });
  }

  uoffset_t Integers(const flatbuffers::Vector<std::int64_t>* v) {
    if (!Filled(v)) return kAbsent;
    const std::size_t zeros = VectorPadding(v->size(), sizeof(std::int64_t));
    return Place(v, zeros, v->size() * sizeof(std::int64_t) + sizeof(uoffset_t));
  }

  // --- tables ---

  // One table as the builder lays it out, from StartTable to EndTable: the
  // non-default fields in the order they are added, each aligned to its size.
  class TableLayout {
   public:
    explicit TableLayout(LayoutReplay& r) : r_(r), start_(r.size_) {}

    template <typename T>
    void Scalar(voffset_t id, T value) {  // AddElement with default 0
      if (value == 0) return;
      // As the builder stores it: T's bytes, read back unsigned.
      Add(id, sizeof(T), static_cast<std::uint64_t>(static_cast<std::make_unsigned_t<T>>(value)));
    }
    void Offset(voffset_t id, uoffset_t child) {  // AddOffset; its value is the child's place
      if (child != kAbsent) Add(id, sizeof(uoffset_t), kInPlace);
    }
    void Struct(voffset_t id, const fb::SensorVersion* s) {  // AddStruct; read in place
      if (s) Add(id, alignof(fb::SensorVersion), kInPlace, sizeof(fb::SensorVersion));
    }

    // FlatBufferBuilder::EndTable: the offset to the vtable, and a new
    // vtable in front of it unless one with the same bytes was written
    // before. The table's place, or 0.
    uoffset_t End(const void* actual) {
      Pad(sizeof(flatbuffers::soffset_t));
      r_.size_ += sizeof(flatbuffers::soffset_t);
      const auto table = static_cast<uoffset_t>(r_.size_);
      if (!r_.At(actual, table)) return 0;
      for (std::size_t i = 0; i < pad_count_; ++i) {
        if (!r_.ZerosAt(pads_[i].from, pads_[i].to)) return 0;
      }
      const std::uint8_t* base = static_cast<const std::uint8_t*>(actual);
      std::array<voffset_t, 2 + kMaxTableFields> vtable{};
      voffset_t vtable_bytes = 2 * sizeof(voffset_t);  // at least its two sizes
      for (std::size_t i = 0; i < field_count_; ++i) {
        const Field& f = fields_[i];
        vtable_bytes = std::max<voffset_t>(vtable_bytes, f.id + sizeof(voffset_t));
        const auto offset = static_cast<voffset_t>(table - f.at);
        vtable[f.id / sizeof(voffset_t)] = offset;
        if (f.value != kInPlace) {
          if (Read(base + offset, f.size) != f.value) return 0;
        }
      }
      vtable[0] = vtable_bytes;
      vtable[1] = static_cast<voffset_t>(table - start_);
      return r_.VtableFor(base, table, std::string_view(reinterpret_cast<const char*>(vtable.data()), vtable_bytes))
                 ? table
                 : 0;
    }

   private:
    static constexpr std::uint64_t kInPlace = ~std::uint64_t{0} - 1;  // no scalar of the schema

    static std::uint64_t Read(const std::uint8_t* at, std::size_t size) {
      switch (size) {
        case 1: return *at;
        case 2: return Load<std::uint16_t>(at);
        case 4: return Load<std::uint32_t>(at);
        default: return Load<std::uint64_t>(at);
      }
    }
    template <typename T>
    static T Load(const std::uint8_t* at) {
      T v;
      std::memcpy(&v, at, sizeof v);
      return v;
    }

    void Pad(std::size_t alignment) {  // FlatBufferBuilder::Align
      const std::size_t n = r_.AlignPadding(alignment);
      if (n != 0) pads_[pad_count_++] = {r_.size_, r_.size_ + n};
      r_.size_ += n;
    }

    void Add(voffset_t id, std::size_t alignment, std::uint64_t value, std::size_t size = 0) {
      if (size == 0) size = alignment;
      Pad(alignment);
      r_.size_ += size;
      fields_[field_count_++] = {id, static_cast<std::uint8_t>(size), static_cast<uoffset_t>(r_.size_), value};
    }

    struct Field {
      voffset_t id;          // the field's byte offset in the vtable
      std::uint8_t size;
      uoffset_t at;          // the builder's size just after the field
      std::uint64_t value;   // what the builder writes, or kInPlace
    };
    struct Padding {
      std::size_t from, to;
    };

    LayoutReplay& r_;
    std::size_t start_;
    // Filled up to their counts; not zeroed first (a rep stos per table was
    // a fifth of the replay).
    std::array<Field, kMaxTableFields> fields_;
    std::size_t field_count_ = 0;
    std::array<Padding, kMaxTableFields + 1> pads_;
    std::size_t pad_count_ = 0;
  };

  // The table at `table` (found at `base`) refers to its vtable the way the
  // builder would: to a new one right in front of it only if no earlier one
  // has the same bytes, or else to that earlier one.
  bool VtableFor(const std::uint8_t* base, uoffset_t table, std::string_view wanted) {
    const auto bytes = static_cast<voffset_t>(wanted.size());
    const auto same = [&](const std::uint8_t* at) { return std::memcmp(at, wanted.data(), bytes) == 0; };
    flatbuffers::soffset_t stored;
    std::memcpy(&stored, base, sizeof stored);
    if (stored == bytes) {
      if (written_vtables_.count(wanted) != 0) return false;
      if (bytes > total_ - size_) return false;
      size_ += bytes;
      const std::uint8_t* at = payload_ + (total_ - size_);
      if (!same(at)) return false;
      written_vtables_.insert(std::string_view(reinterpret_cast<const char*>(at), bytes));
      MarkVtable(size_);
      return true;
    }
    // A shared vtable: it must be one the builder wrote (not bytes that look
    // like one), with the same bytes.
    const std::int64_t shared = std::int64_t{table} + stored;
    return stored < 0 && shared >= bytes && IsVtable(static_cast<std::size_t>(shared)) &&
           same(payload_ + (total_ - static_cast<std::size_t>(shared)));
  }

  // Vtables start at even builder sizes; one bit each, by size / 2.
  void MarkVtable(std::size_t at) { vtable_at_[at >> 7] |= std::uint64_t{1} << (at >> 1 & 63); }
  bool IsVtable(std::size_t at) const {
    return at % 2 == 0 && at <= total_ && (vtable_at_[at >> 7] >> (at >> 1 & 63) & 1);
  }

  // --- the schema's tables, in the rebuild's order (canonical.cpp) ---

  uoffset_t Matcher(const fb::Matcher& m) {
    const uoffset_t values = Texts(m.values());
    const uoffset_t ints = values ? Integers(m.int_values()) : 0;
    if (values == 0 || ints == 0) return 0;
    TableLayout t(*this);
    t.Scalar<std::int64_t>(fb::Matcher::VT_HI, m.hi());
    t.Scalar<std::int64_t>(fb::Matcher::VT_LO, m.lo());
    t.Offset(fb::Matcher::VT_INT_VALUES, ints);
    t.Offset(fb::Matcher::VT_VALUES, values);
    t.Scalar<std::uint16_t>(fb::Matcher::VT_OTHER_FIELD, m.other_field());
    t.Scalar<std::uint16_t>(fb::Matcher::VT_FIELD, m.field());
    t.Scalar<std::uint8_t>(fb::Matcher::VT_OP, static_cast<std::uint8_t>(m.op()));
    t.Scalar<std::uint8_t>(fb::Matcher::VT_IGNORE_CASE, static_cast<std::uint8_t>(m.ignore_case()));
    t.Scalar<std::uint8_t>(fb::Matcher::VT_KIND, static_cast<std::uint8_t>(m.kind()));
    return t.End(&m);
  }

  uoffset_t Expr(const fb::Expr& e) {
    const uoffset_t args = Children(e.args(), [this](const fb::Expr& a) { return Expr(a); });
    if (args == 0) return 0;
    TableLayout t(*this);
    t.Offset(fb::Expr::VT_ARGS, args);
    t.Scalar<std::uint16_t>(fb::Expr::VT_MATCHER, e.matcher());
    t.Scalar<std::uint8_t>(fb::Expr::VT_OP, static_cast<std::uint8_t>(e.op()));
    return t.End(&e);
  }

  uoffset_t Meta(const fb::RuleMeta& m) {
    const uoffset_t rule_id = Text(m.rule_id());
    const uoffset_t title = rule_id ? Text(m.title()) : 0;
    const uoffset_t author = title ? Text(m.author()) : 0;
    const uoffset_t references = author ? Texts(m.references()) : 0;
    if (references == 0) return 0;
    TableLayout t(*this);
    t.Offset(fb::RuleMeta::VT_REFERENCES, references);
    t.Offset(fb::RuleMeta::VT_AUTHOR, author);
    t.Offset(fb::RuleMeta::VT_TITLE, title);
    t.Offset(fb::RuleMeta::VT_RULE_ID, rule_id);
    return t.End(&m);
  }

  uoffset_t Instance(const fb::Instance& in) {
    const uoffset_t name = Text(in.name());
    if (name == 0) return 0;
    const uoffset_t matchers = Children(in.matchers(), [this](const fb::Matcher& m) { return Matcher(m); });
    if (matchers == 0) return 0;
    const uoffset_t condition = in.condition() ? Expr(*in.condition()) : kAbsent;
    const uoffset_t meta = condition && in.meta() ? Meta(*in.meta()) : kAbsent;
    if (condition == 0 || meta == 0) return 0;
    TableLayout t(*this);
    t.Offset(fb::Instance::VT_META, meta);
    t.Offset(fb::Instance::VT_CONDITION, condition);
    t.Offset(fb::Instance::VT_MATCHERS, matchers);
    t.Offset(fb::Instance::VT_NAME, name);
    t.Scalar<std::uint32_t>(fb::Instance::VT_ID, in.id());
    t.Scalar<std::uint16_t>(fb::Instance::VT_TEMPLATE_TYPE, in.template_type());
    t.Scalar<std::uint8_t>(fb::Instance::VT_MATCHES_EVERYTHING_INTENDED,
                           static_cast<std::uint8_t>(in.matches_everything_intended()));
    t.Scalar<std::uint8_t>(fb::Instance::VT_SEVERITY, static_cast<std::uint8_t>(in.severity()));
    t.Scalar<std::uint8_t>(fb::Instance::VT_ACTION, static_cast<std::uint8_t>(in.action()));
    return t.End(&in);
  }

  // A child's place is a builder size, never 0 (every object has bytes), so
  // 0 means "does not match"; an absent child is kAbsent.
  static constexpr uoffset_t kAbsent = ~uoffset_t{0};

  const std::uint8_t* payload_;
  std::size_t total_;
  std::size_t size_ = 0;       // FlatBufferBuilder::GetSize()
  std::size_t min_align_ = 1;  // FlatBufferBuilder::minalign_
  std::unordered_set<std::string_view> written_vtables_;  // their bytes, in the payload
  std::vector<std::uint64_t> vtable_at_;                  // bitmap of their builder sizes
};

}  // namespace

bool PayloadIsCanonical(const fb::ChannelFile& verified, std::span<const std::uint8_t> payload) {
  return LayoutReplay(payload).Run(verified);
}

}  // namespace chanval
