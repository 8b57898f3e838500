#!/usr/bin/env bash
# The staff console's results page (docs/benchmarks.md, section Staff console): the server's CPU
# per render of a closed consultation's page against getConsultationResults in the same run.
# Arguments: ballots (10000), requests per CPU phase (400).
exec "$(dirname "$0")/../single-file.sh" bench/console/ConsoleResults.java console-results "$@"
