# Writes embedded_fleet.h: the bundled fleet manifests as strings, so fuzz
# targets are self-contained binaries (OSS-Fuzz runs them from $OUT alone).
file(GLOB manifests ${SRC}/corpus/fleet/*.json)
list(SORT manifests)
set(body "// Generated from corpus/fleet by fuzz/embed_fleet.cmake. Do not edit.\n#pragma once\nnamespace chanval::fuzz {\ninline constexpr const char* kEmbeddedFleet[] = {\n")
foreach(m ${manifests})
  file(READ ${m} text)
  string(APPEND body "R\"MANIFEST(${text})MANIFEST\",\n")
endforeach()
string(APPEND body "};\n}\n")
file(WRITE ${OUT}.tmp "${body}")
file(RENAME ${OUT}.tmp ${OUT})
