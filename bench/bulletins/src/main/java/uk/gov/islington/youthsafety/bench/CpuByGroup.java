package uk.gov.islington.youthsafety.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the CPU goes during a send: nanoseconds per thread group of this JVM (our FCM sender
 * threads, the Apache HTTP/2 I/O reactor, Vert.x event loops and workers — which in the benchmarks
 * include the fake FCM server's —, the JVM's own GC, JIT and VM threads, and the rest) and of the
 * PostgreSQL processes on the machine.
 */
final class CpuByGroup {

  private CpuByGroup() {}

  /** CPU nanoseconds so far per group; subtract two snapshots for an interval. */
  static Map<String, Long> snapshot() {
    var mx = ManagementFactory.getThreadMXBean();
    Map<String, Long> out = new TreeMap<>();
    for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null) {
        long ns = mx.getThreadCpuTime(info.getThreadId());
        if (ns > 0) {
          out.merge(group(info.getThreadName()), ns, Long::sum);
        }
      }
    }
    long threads = out.values().stream().mapToLong(Long::longValue).sum();
    // GC, JIT compiler and VM threads are not Java threads the MXBean lists (Java threads that
    // ended between two snapshots land here too; none do during a send)
    out.put("gc+jit+vm", processNanos() - threads);
    out.put("postgres", postgresNanos());
    return out;
  }

  /** CPU nanoseconds of this whole JVM so far. */
  static long processNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** "group a µs; group b µs; …" per message between two snapshots. */
  static String perMessage(Map<String, Long> before, Map<String, Long> after, long messages) {
    StringBuilder s = new StringBuilder();
    after.forEach((g, ns) -> {
      double us = (ns - before.getOrDefault(g, 0L)) / 1e3 / messages;
      if (us >= 1) {
        s.append(String.format("%s %.0f µs; ", g, us));
      }
    });
    return s.toString().trim();
  }

  static String group(String name) {
    if (name.startsWith("fcm-sender")) {
      return "sender";
    }
    if (name.startsWith("httpclient-dispatch") || name.startsWith("fcm-http2-io")) {
      return "apache-io";
    }
    if (name.startsWith("vert.x-eventloop")) {
      return "event loops";
    }
    if (name.startsWith("vert.x-worker") || name.startsWith("vert.x-internal-blocking")) {
      return "workers";
    }
    return name.equals("main") ? "main" : "other";
  }

  /** utime + stime of every process called postgres, from /proc (clock ticks of 10 ms on Linux). */
  private static long postgresNanos() {
    long ticks = 0;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : procs) {
        try {
          String stat = Files.readString(p.resolve("stat"));
          int close = stat.lastIndexOf(')');
          if (!stat.substring(stat.indexOf('(') + 1, close).equals("postgres")) {
            continue;
          }
          String[] f = stat.substring(close + 2).split(" ");
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException gone) {
          // the process ended meanwhile
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return ticks * 10_000_000L;
  }
}
