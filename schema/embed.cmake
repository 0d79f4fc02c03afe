# Writes schema_text.h: the channel and manifest schemas as C++ raw strings,
# each self-contained (common.fbs inlined in place of its include line), so
# flatc's parser can run without the schema files on disk.
file(READ ${SRC}/common.fbs common)
file(READ ${SRC}/channel.fbs channel)
file(READ ${SRC}/manifest.fbs manifest)
string(REPLACE "include \"common.fbs\";" "" channel "${channel}")
string(REPLACE "include \"common.fbs\";" "" manifest "${manifest}")
file(WRITE ${OUT}.tmp
"// Generated from schema/*.fbs by schema/embed.cmake. Do not edit.\n#pragma once\nnamespace chanval::schema_text {\ninline constexpr const char* kChannel = R\"FBS(${common}\n${channel})FBS\";\ninline constexpr const char* kManifest = R\"FBS(${common}\n${manifest})FBS\";\n}\n")
file(RENAME ${OUT}.tmp ${OUT})
