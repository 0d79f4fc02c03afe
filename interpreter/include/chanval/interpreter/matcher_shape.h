// The format's rules for which matcher kinds carry which values, shared by the
// strict parser (validator/) and the loader so the two cannot disagree.
#pragma once
#include <cstdint>

#include "chanval/channel_generated.h"
#include "chanval/interpreter/profile.h"

namespace chanval::interp {

// nullptr when the matcher's values fit its kind, else what is wrong.
const char* MatcherShapeError(const fb::Matcher& m);

// nullptr when `kind` (with string or integer values) may be applied to a
// field of `type`, else why not.
const char* KindFieldTypeError(const fb::Matcher& m, FieldType type);

bool IsStringLiteralKind(fb::MatcherKind k);  // Equals/Prefix/Suffix/Contains

}  // namespace chanval::interp
