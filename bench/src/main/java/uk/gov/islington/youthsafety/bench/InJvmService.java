package uk.gov.islington.youthsafety.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What the benches that start the real App in their own JVM share: the settings they start from,
 * and the CPU time of the service's own threads, the bench's client threads left out.
 */
public final class InJvmService {

  private InJvmService() {}

  /**
   * A throw-away data directory (its name starting with {@code name}) and a random port on
   * loopback; each bench adds its own settings.
   */
  public static Map<String, String> settings(String name) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("DATA_DIR", Files.createTempDirectory(name).toString());
    env.put("PORT", "0");
    env.put("HOST", "127.0.0.1");
    return env;
  }

  /**
   * CPU so far, in nanoseconds, of the event loops, the worker pool and the SQL client's threads.
   */
  public static long cpu() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t != null
          && (t.getThreadName().startsWith("vert.x-eventloop")
              || t.getThreadName().startsWith("vert.x-worker")
              || t.getThreadName().startsWith("vert.x-internal"))) {
        long cpu = threads.getThreadCpuTime(t.getThreadId());
        if (cpu > 0) {
          sum += cpu;
        }
      }
    }
    return sum;
  }

  /**
   * The service's CPU per request, in microseconds, over {@code n} sequential calls of {@code
   * request} after {@code n / 4} unmeasured ones; each call answers its HTTP status, which must be
   * 200.
   */
  public static double cpuPerRequest(int n, Callable<Integer> request) throws Exception {
    for (int i = 0; i < n / 4; i++) {
      check(request.call());
    }
    long before = cpu();
    for (int i = 0; i < n; i++) {
      check(request.call());
    }
    return (cpu() - before) / 1000.0 / n;
  }

  private static void check(int status) {
    if (status != 200) {
      throw new IllegalStateException("answered " + status);
    }
  }
}
