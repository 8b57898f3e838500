#!/usr/bin/env bash
# "A popular poll opens" (docs/benchmarks.md, section Consultations). Short and bounded: about a
# minute or two. Arguments: votes per phase (300), requests in flight (32), fixed rate per second (20),
# fixed-rate seconds (15).
set -euo pipefail
cd "$(dirname "$0")/../.."
# one reactor run builds the modules and resolves the classpath: nothing needs installing first
mvn -B -q -pl api -am -DskipTests package dependency:build-classpath -DexcludeGroupIds=uk.gov.islington.youthsafety -Dmdep.outputFile=target/bench.cp >/dev/null
# our own modules come from this checkout's target/, never from a jar in the local repository
DEPS=$(tr ':' '\n' < api/target/bench.cp | grep -v '/uk/gov/islington/youthsafety/' | paste -sd: -)
HDR=$(find ~/.m2/repository/org/hdrhistogram/HdrHistogram/2.2.2 -name 'HdrHistogram-2.2.2.jar' | head -1)
if [ -z "$HDR" ]; then
  mvn -B -q dependency:get -Dartifact=org.hdrhistogram:HdrHistogram:2.2.2 >/dev/null
  HDR=$(find ~/.m2/repository/org/hdrhistogram/HdrHistogram/2.2.2 -name 'HdrHistogram-2.2.2.jar' | head -1)
fi
CP="api/target/classes:content/target/classes:notifications/target/classes:$DEPS:$HDR"
mkdir -p bench/results
exec java -Xmx1g -DACCESS_LOG_LEVEL=WARN -DLOG_LEVEL=WARN -cp "$CP" bench/consultations/PopularPoll.java "$@" \
  | tee "bench/results/consultations-$(date -u +%Y%m%dT%H%M%SZ).txt"
