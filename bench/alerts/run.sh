#!/usr/bin/env bash
# The duty alert's figure (docs/benchmarks.md, section Duty alerts): from the 201 of an urgent
# report to the duty e-mail accepted by a local SMTP server, p50/p99.
# Arguments: reports measured (200), warm-up reports (30).
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
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx1g -DACCESS_LOG_LEVEL=WARN -DLOG_LEVEL=WARN -cp "$CP" bench/alerts/DutyAlertLatency.java "$@" \
  | tee "bench/results/alerts-$(date -u +%Y%m%dT%H%M%SZ).txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
