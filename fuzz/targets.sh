# The one list of fuzz targets, and the dictionary of each: sourced by
# build.sh, run.sh and coverage.sh, and read by fuzz/CMakeLists.txt.
# Adding a target: fuzz/<name>.cpp, <name>.options, and its name here.
FUZZ_TARGETS="fuzz_parse fuzz_check fuzz_soundness fuzz_structured fuzz_differential fuzz_layers fuzz_build fuzz_sigma fuzz_events fuzz_class_gate"
dict_of() { case $1 in fuzz_build|fuzz_events) echo json.dict;; fuzz_sigma) echo sigma.dict;; fuzz_class_gate) echo regex.dict;; *) echo channel.dict;; esac; }
seeds_of() { echo "${1#fuzz_}"; }
