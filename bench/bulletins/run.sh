#!/usr/bin/env bash
# Runs the bulletin fan-out benchmark against THIS worktree's classes (not whatever SNAPSHOT another
# worktree last installed into the shared ~/.m2). Usage, from the repository root:
#   bench/bulletins/run.sh [-Dsubscribers=100000] [-Dthreads=8] [-DperMinute=600000] [-DhealthRate=200]
#                          [-Dprotocol=HTTP_2|HTTP_1_1] [any JVM flag]
# The JVM runs with the flags production should use (docs/operations.md): thread priorities on
# (ThreadPriorityPolicy=1) and the lowest Java priority mapped to nice 19, so the FCM sender and
# HTTP/2 I/O threads (and the fake FCM server, Google's CPU in production) yield to the API, and
# Java priorities 6-10 mapped to nice 0, so that the JVM's own GC, JIT and VM threads (which it
# would raise to nice -1..-5 when run as root) do not outrank the API; and
# ZGC, whose pauses stay under a millisecond where G1's young pauses took 10-13 ms every 0.3 s of a
# send (pass -XX:+UseG1GC to compare).
set -euo pipefail
cd "$(dirname "$0")"
root=../..
mkdir -p target/classes
# builds this checkout's modules (and the bench module's load generator) and writes their third-party
# classpaths, all in one reactor run, so that nothing has to be installed into ~/.m2 first (works on
# a fresh clone)
mvn -B -q -f "$root/pom.xml" -pl api,bench -am -DskipTests package dependency:build-classpath \
    -DexcludeGroupIds=uk.gov.islington.youthsafety -Dmdep.outputFile=target/bench.classpath >/dev/null
# (the files end without a newline: one is put between them, or two entries would run together)
deps=$( (cat "$root/api/target/bench.classpath"; echo; cat "$root/notifications/target/bench.classpath") \
  | tr ':' '\n' | sed '/^$/d' | sort -u | paste -sd: -)
cp="$root/api/target/classes:$root/content/target/classes:$root/notifications/target/classes"
# the fake FCM server (notifications' test classes) and the house load generator (bench) for the health probe
cp="$cp:$root/notifications/target/test-classes:$root/bench/target/classes:$deps"
javac -q -nowarn -d target/classes -cp "$cp" $(find src/main/java -name '*.java') 2>/dev/null \
  || javac -d target/classes -cp "$cp" $(find src/main/java -name '*.java')
cp="target/classes:$cp"
main=${MAIN:-uk.gov.islington.youthsafety.bench.BulletinBench}
priorities="-XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=19 -XX:JavaPriority6_To_OSPriority=0"
priorities="$priorities -XX:JavaPriority7_To_OSPriority=0 -XX:JavaPriority8_To_OSPriority=0"
priorities="$priorities -XX:JavaPriority9_To_OSPriority=0 -XX:JavaPriority10_To_OSPriority=0"
exec java -Xmx1g -XX:+UseZGC -Dhttp.maxConnections=512 $priorities \
  "$@" -cp "$cp" "$main"
