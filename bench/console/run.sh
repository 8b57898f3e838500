#!/usr/bin/env bash
# The staff console's figures (docs/benchmarks.md, section Staff console): how soon a new report
# reaches an open triage page (201 → server-sent event, at a fixed rate of reports), and the
# server's CPU per queue page against GET /v1/moderation/reports in the same run.
# Arguments: reports per second (20), seconds (15), requests per CPU phase (400).
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -pl api -am -DskipTests package dependency:build-classpath -DexcludeGroupIds=uk.gov.islington.youthsafety -Dmdep.outputFile=target/bench.cp >/dev/null
DEPS=$(tr ':' '\n' < api/target/bench.cp | grep -v '/uk/gov/islington/youthsafety/' | paste -sd: -)
HDR=$(find ~/.m2/repository/org/hdrhistogram/HdrHistogram/2.2.2 -name 'HdrHistogram-2.2.2.jar' | head -1)
if [ -z "$HDR" ]; then
  mvn -B -q dependency:get -Dartifact=org.hdrhistogram:HdrHistogram:2.2.2 >/dev/null
  HDR=$(find ~/.m2/repository/org/hdrhistogram/HdrHistogram/2.2.2 -name 'HdrHistogram-2.2.2.jar' | head -1)
fi
CP="api/target/classes:content/target/classes:notifications/target/classes:$DEPS:$HDR"
mkdir -p bench/results
exec java -Xmx1g -DACCESS_LOG_LEVEL=WARN -DLOG_LEVEL=WARN -cp "$CP" bench/console/ConsoleQueue.java "$@" \
  | tee "bench/results/console-$(date -u +%Y%m%dT%H%M%SZ).txt"
