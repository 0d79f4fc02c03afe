// One parsed JSON object → RecordedEvent, shared by the event reader.
#pragma once
#include <simdjson.h>

#include <string>

#include "chanval/validator/events.h"

namespace chanval {

// Returns an error message, or empty on success.
std::string ConvertEvent(simdjson::dom::element doc, RecordedEvent& ev);

}  // namespace chanval
