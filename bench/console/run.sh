#!/usr/bin/env bash
# The staff console's figures (docs/benchmarks.md, section Staff console): how soon a new report
# reaches an open triage page (201 → server-sent event, at a fixed rate of reports), and the
# server's CPU per queue page against GET /v1/moderation/reports in the same run.
# Arguments: reports per second (20), seconds (15), requests per CPU phase (400).
exec "$(dirname "$0")/../single-file.sh" bench/console/ConsoleQueue.java console "$@"
