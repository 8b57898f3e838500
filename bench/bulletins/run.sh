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
. "$root/bench/classpath.sh"
bench_classpath
main=${MAIN:-uk.gov.islington.youthsafety.bench.BulletinBench}
priorities="-XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=19 -XX:JavaPriority6_To_OSPriority=0"
priorities="$priorities -XX:JavaPriority7_To_OSPriority=0 -XX:JavaPriority8_To_OSPriority=0"
priorities="$priorities -XX:JavaPriority9_To_OSPriority=0 -XX:JavaPriority10_To_OSPriority=0"
exec java -Xmx1g -XX:+UseZGC -Dhttp.maxConnections=512 $priorities \
  "$@" -cp "$cp" "$main"
