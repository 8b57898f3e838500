# Sourced by the benches that run in their own JVM: builds this checkout's modules (and the bench
# module's load generator) and writes their third-party class paths in one reactor run, so that
# nothing has to be installed into ~/.m2 first (works on a fresh clone), then compiles the calling
# bench's src/main/java into its target/classes. Expects $root (the repository) and the bench's
# folder as the working directory; sets $cp to the bench's classes, this checkout's classes (the
# fake FCM server from notifications' test classes, the cluster bed from api's) and the jars.
bench_classpath() {
  mkdir -p target/classes
  mvn -B -q -f "$root/pom.xml" -pl api,bench -am -DskipTests -Dspectral.skip package \
      dependency:build-classpath -DexcludeGroupIds=uk.gov.islington.youthsafety \
      -Dmdep.outputFile=target/bench.classpath >/dev/null
  # (the files end without a newline: one is put between them, or two entries would run together)
  local deps
  deps=$( (cat "$root/api/target/bench.classpath"; echo; cat "$root/notifications/target/bench.classpath") \
    | tr ':' '\n' | sed '/^$/d' | sort -u | paste -sd: -)
  cp="$root/api/target/test-classes:$root/api/target/classes:$root/content/target/classes"
  cp="$cp:$root/notifications/target/classes:$root/notifications/target/test-classes"
  cp="$cp:$root/bench/target/classes:$deps"
  javac -q -nowarn -d target/classes -cp "$cp" $(find src/main/java -name '*.java') 2>/dev/null \
    || javac -d target/classes -cp "$cp" $(find src/main/java -name '*.java')
  cp="target/classes:$cp"
}
