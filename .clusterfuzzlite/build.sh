#!/bin/bash -eu
# The real build logic lives in the repository (fuzz/build.sh).
"$SRC/chanval/fuzz/build.sh"
