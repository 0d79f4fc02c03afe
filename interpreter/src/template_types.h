// What each template type of the current build declares: the Sysmon event's
// fields, in Sysmon's order, with their types. Content references fields by
// index into these lists.
#pragma once
#include <array>

#include "chanval/interpreter/registry.h"

namespace chanval::interp::declared {

using enum FieldType;

inline constexpr std::array kProcessCreation = std::to_array<FieldDef>({
    {"RuleName", String}, {"UtcTime", String}, {"ProcessGuid", String},
    {"ProcessId", Integer}, {"Image", String}, {"FileVersion", String},
    {"Description", String}, {"Product", String}, {"Company", String},
    {"OriginalFileName", String}, {"CommandLine", String},
    {"CurrentDirectory", String}, {"User", String}, {"LogonGuid", String},
    {"LogonId", String}, {"TerminalSessionId", Integer},
    {"IntegrityLevel", String}, {"Hashes", String},
    {"ParentProcessGuid", String}, {"ParentProcessId", Integer},
    {"ParentImage", String}, {"ParentCommandLine", String},
    {"ParentUser", String},
});

inline constexpr std::array kNetworkConnection = std::to_array<FieldDef>({
    {"RuleName", String}, {"UtcTime", String}, {"ProcessGuid", String},
    {"ProcessId", Integer}, {"Image", String}, {"User", String},
    {"Protocol", String}, {"Initiated", String}, {"SourceIsIpv6", String},
    {"SourceIp", Address}, {"SourceHostname", String}, {"SourcePort", Integer},
    {"SourcePortName", String}, {"DestinationIsIpv6", String},
    {"DestinationIp", Address}, {"DestinationHostname", String},
    {"DestinationPort", Integer}, {"DestinationPortName", String},
});

inline constexpr std::array kImageLoad = std::to_array<FieldDef>({
    {"RuleName", String}, {"UtcTime", String}, {"ProcessGuid", String},
    {"ProcessId", Integer}, {"Image", String}, {"ImageLoaded", String},
    {"FileVersion", String}, {"Description", String}, {"Product", String},
    {"Company", String}, {"OriginalFileName", String}, {"Hashes", String},
    {"Signed", String}, {"Signature", String}, {"SignatureStatus", String},
    {"User", String},
});

inline constexpr std::array kProcessAccess = std::to_array<FieldDef>({
    {"RuleName", String}, {"UtcTime", String}, {"SourceProcessGUID", String},
    {"SourceProcessId", Integer}, {"SourceThreadId", Integer},
    {"SourceImage", String}, {"TargetProcessGUID", String},
    {"TargetProcessId", Integer}, {"TargetImage", String},
    {"GrantedAccess", String}, {"CallTrace", String}, {"SourceUser", String},
    {"TargetUser", String},
});

inline constexpr std::array kFileCreate = std::to_array<FieldDef>({
    {"RuleName", String}, {"UtcTime", String}, {"ProcessGuid", String},
    {"ProcessId", Integer}, {"Image", String}, {"TargetFilename", String},
    {"CreationUtcTime", String}, {"User", String},
});

inline constexpr std::array kRegistryEvent = std::to_array<FieldDef>({
    {"RuleName", String}, {"EventType", String}, {"UtcTime", String},
    {"ProcessGuid", String}, {"ProcessId", Integer}, {"Image", String},
    {"TargetObject", String}, {"Details", String}, {"NewName", String},
    {"User", String},
});

inline constexpr std::array kPipeEvent = std::to_array<FieldDef>({
    {"RuleName", String}, {"EventType", String}, {"UtcTime", String},
    {"ProcessGuid", String}, {"ProcessId", Integer}, {"PipeName", String},
    {"Image", String}, {"User", String},
});

}  // namespace chanval::interp::declared
