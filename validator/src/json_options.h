// The FlatBuffers JSON options chanval's schemas share (channel source,
// sensor manifests): strict JSON, enums by name, two-space indent.
#pragma once
#include <flatbuffers/idl.h>

namespace chanval {

inline flatbuffers::IDLOptions StrictJsonOptions() {
  flatbuffers::IDLOptions o;
  o.strict_json = true;
  o.output_enum_identifiers = true;
  o.indent_step = 2;
  return o;
}

}  // namespace chanval
