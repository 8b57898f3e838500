#!/usr/bin/env bash
# Runs a single-file Java bench (the real App started in its own JVM) against this checkout's
# modules, and keeps its output in bench/results/NAME-<time>.txt.
# Usage: bench/single-file.sh FILE.java NAME [arguments of the bench...]
set -euo pipefail
cd "$(dirname "$0")/.."
FILE=$1
NAME=$2
shift 2
# one reactor run builds the modules (and the benches' shared classes) and resolves the classpath:
# nothing needs installing first
mvn -B -q -pl api,bench -am -DskipTests package dependency:build-classpath -DexcludeGroupIds=uk.gov.islington.youthsafety -Dmdep.outputFile=target/bench.cp >/dev/null
# our own modules come from this checkout's target/, never from a jar in the local repository
DEPS=$(tr ':' '\n' < api/target/bench.cp | grep -v '/uk/gov/islington/youthsafety/' | paste -sd: -)
HDR=$(find ~/.m2/repository/org/hdrhistogram/HdrHistogram/2.2.2 -name 'HdrHistogram-2.2.2.jar' | head -1)
if [ -z "$HDR" ]; then
  mvn -B -q dependency:get -Dartifact=org.hdrhistogram:HdrHistogram:2.2.2 >/dev/null
  HDR=$(find ~/.m2/repository/org/hdrhistogram/HdrHistogram/2.2.2 -name 'HdrHistogram-2.2.2.jar' | head -1)
fi
CP="api/target/classes:content/target/classes:notifications/target/classes:bench/target/classes:$DEPS:$HDR"
mkdir -p bench/results
exec java -Xmx1g -DACCESS_LOG_LEVEL=WARN -DLOG_LEVEL=WARN -cp "$CP" "$FILE" "$@" \
  | tee "bench/results/$NAME-$(date -u +%Y%m%dT%H%M%SZ).txt"
