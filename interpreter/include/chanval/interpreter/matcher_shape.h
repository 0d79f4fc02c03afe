// The format's rules for which matcher kinds carry which values, read from
// the kind table (matcher_kinds.h) and shared by the strict parser
// (validator/) and the loader so the two cannot disagree.
#pragma once
#include <cstdint>

#include "chanval/channel_generated.h"
#include "chanval/interpreter/profile.h"

namespace chanval::interp {

// nullptr when the matcher's values fit its kind, else what is wrong.
const char* MatcherShapeError(const fb::Matcher& m);

// nullptr when `kind` (with string or integer values) may be applied to a
// field of `type`, else why not. FieldEquals' second field must share the
// first's type: the build rules check that, knowing both.
const char* KindFieldTypeError(const fb::Matcher& m, FieldType type);

}  // namespace chanval::interp
