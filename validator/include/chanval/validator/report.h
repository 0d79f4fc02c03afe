// Rendering check results: text for people, JSON for tools, SARIF 2.1.0 for
// code-scanning services. All three carry the same fields.
#pragma once
#include <string>
#include <vector>

#include "chanval/validator/check.h"

namespace chanval {

std::string RenderText(const std::vector<FileReport>& reports, bool color, bool verbose);
std::string RenderJson(const std::vector<FileReport>& reports);
std::string RenderSarif(const std::vector<FileReport>& reports);

std::string JsonEscape(std::string_view s);
// One line per diagnostic, as the text report prints it (no colour).
std::string FormatDiagnostic(const Diagnostic& d, bool color = false);

}  // namespace chanval
