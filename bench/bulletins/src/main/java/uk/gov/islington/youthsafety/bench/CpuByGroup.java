package uk.gov.islington.youthsafety.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * Where the CPU goes during a send: nanoseconds per thread group of this JVM (our FCM sender
 * threads, the Apache HTTP/2 I/O reactor, the API's Vert.x event loops and workers, the JVM's own
 * GC, JIT and VM threads, the rest) and of the PostgreSQL processes on the machine. Threads that
 * are not the service's are counted apart ({@link #NOT_THE_SERVICE}): the health probe (the house
 * load generator's thread, "loadgen"), and, named by id ({@link #name}) since they carry the same
 * Vert.x names as the API's, the fake FCM server's event loops (Google's CPU in production) and the
 * benchmark's own HTTP client.
 */
final class CpuByGroup {

  private CpuByGroup() {}

  /** The groups that stand in for the world outside the service. */
  static final Set<String> NOT_THE_SERVICE = Set.of("fake FCM", "health probe", "benchmark client");

  private static final Map<Long, String> NAMED = new ConcurrentHashMap<>();
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Counts these threads as {@code group} from now on. */
  static void name(Collection<Long> threadIds, String group) {
    threadIds.forEach(id -> NAMED.put(id, group));
  }

  /** Nanoseconds of the service itself (with its PostgreSQL): everything but {@link #NOT_THE_SERVICE}. */
  static long serviceNanos(Map<String, Long> before, Map<String, Long> after) {
    long ns = 0;
    for (var e : after.entrySet()) {
      if (!NOT_THE_SERVICE.contains(e.getKey())) {
        ns += e.getValue() - before.getOrDefault(e.getKey(), 0L);
      }
    }
    return ns;
  }

  /** CPU nanoseconds so far per group; subtract two snapshots for an interval. */
  static Map<String, Long> snapshot() {
    Map<String, Long> out = perGroup(THREADS::getThreadCpuTime);
    long threads = out.values().stream().mapToLong(Long::longValue).sum();
    // GC, JIT compiler and VM threads are not Java threads the MXBean lists (Java threads that
    // ended between two snapshots land here too; none do during a send)
    out.put("gc+jit+vm", processNanos() - threads);
    out.put("postgres", postgresNanos());
    return out;
  }

  /** Bytes allocated so far per group of Java threads. */
  static Map<String, Long> allocated() {
    return perGroup(THREADS::getThreadAllocatedBytes);
  }

  /** A per-thread counter summed per group. */
  private static Map<String, Long> perGroup(ToLongFunction<Long> ofThread) {
    Map<String, Long> out = new TreeMap<>();
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info != null) {
        long value = ofThread.applyAsLong(info.getThreadId());
        if (value > 0) {
          out.merge(groupOf(info), value, Long::sum);
        }
      }
    }
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

  static String groupOf(ThreadInfo thread) {
    return NAMED.getOrDefault(thread.getThreadId(), group(thread.getThreadName()));
  }

  private static String group(String name) {
    if (name.startsWith("fcm-sender")) {
      return "sender";
    }
    if (name.startsWith("httpclient-dispatch") || name.startsWith("fcm-http2-io")) {
      return "apache-io";
    }
    if (name.startsWith("vert.x-eventloop")) {
      return "API event loops";
    }
    if (name.equals("loadgen")) {
      return "health probe";
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
