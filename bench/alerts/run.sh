#!/usr/bin/env bash
# The duty alert's figure (docs/benchmarks.md, section Duty alerts): from the 201 of an urgent
# report to the duty e-mail accepted by a local SMTP server, p50/p99; the load average around it.
# Arguments: reports measured (200), warm-up reports (30).
set -euo pipefail
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$(dirname "$0")/../single-file.sh" bench/alerts/DutyAlertLatency.java alerts "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
