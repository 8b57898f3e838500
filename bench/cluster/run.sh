#!/usr/bin/env bash
# The scale-out bed with one command: Debian's PostgreSQL on a throwaway data directory, HAProxy in
# front of N instances of the service (each its own JVM, production settings: DATABASE_URL as an
# ordinary role, shared key files, e-mail to a local SMTP server, TRUSTED_PROXY_HOPS=1), and the
# fake FCM server. Needs root, Debian's postgresql and haproxy (installed here when missing).
#
#   bench/cluster/run.sh [instances]                 # start the bed and keep it up until Ctrl-C
#   bench/cluster/run.sh bulletin [subscribers [n]]  # bulletin msgs/s and CPU per message, 1, 2, 3 (or n) instances
#   bench/cluster/run.sh balancer                    # throughput through HAProxy (2 instances) / 1 direct
#
# It builds this checkout (api and its test classes, where the bed lives: ClusterBed, BedInstance)
# and runs against target/, never SNAPSHOT jars in ~/.m2. Run one benchmark at a time
# (flock /tmp/bench.lock ...). JAVA_OPTS=-Dcluster.keep=true keeps the bed's directory (logs)
# afterwards; JAVA_OPTS=-Dcluster.priorities=false starts the instances without production's thread
# priority flags (fairer on a machine shared with other work).
set -euo pipefail
cd "$(dirname "$0")"
root=../..
if ! command -v haproxy > /dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    apt-get update && apt-get install -y haproxy
  else
    echo "haproxy is missing and cannot be installed here" >&2
    exit 1
  fi
fi
. "$root/bench/classpath.sh"
bench_classpath
# absolute paths: the instances are started from this JVM's class path
cp=$(echo "$cp" | tr ':' '\n' | while read -r p; do realpath -m "$p"; done | paste -sd: -)
exec java -Xmx1g -XX:+UseZGC ${JAVA_OPTS:-} -cp "$cp" uk.gov.islington.youthsafety.bench.ClusterBench "$@"
