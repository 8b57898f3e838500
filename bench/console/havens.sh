#!/usr/bin/env bash
# The staff console's list of Safe Havens (docs/benchmarks.md, section Staff console): the server's
# CPU per render of the editors' list (first page of 50) against listHavensForEditors in the same run.
# Arguments: havens (300), requests per CPU phase (400).
exec "$(dirname "$0")/../single-file.sh" bench/console/ConsoleResults.java console-havens havens "$@"
