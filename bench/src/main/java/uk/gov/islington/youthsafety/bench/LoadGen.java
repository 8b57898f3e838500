package uk.gov.islington.youthsafety.bench;

import io.vertx.core.http.HttpMethod;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small HTTP load generator for loopback benchmarks, two modes:
 *
 * <ul>
 *   <li>closed loop ({@code --rate 0}): N connections send back to back; measures the maximum
 *       throughput;
 *   <li>open loop ({@code --rate R}): requests are scheduled at a fixed rate whatever the server
 *       does, and latency is measured from the scheduled time (no coordinated omission).
 * </ul>
 *
 * Prints one line of JSON: {@code {"name", "mode", "requests", "errors", "rps", "p50", "p90",
 * "p99", "max", "clientCpuUsPerReq"}} (latencies in milliseconds; the last is this process's own
 * CPU time per measured request, all threads, over the measured phase), plus {@code "sendLagP50"}
 * and {@code "sendLagP99"} in the open loop (ms from the intended to the actual send: the client's
 * own timer lateness, plus any wait for a free connection). Every loop is bounded by {@code
 * --duration}; targets must be loopback.
 *
 * <p>{@code --paths FILE} sends each request to the next path of the file (one per line, cycled;
 * e.g. nearby queries at varied points) on the host of {@code --url}. {@code --header 'Name:
 * value'} repeats; the value {@code {uuid}} is replaced per request (e.g. an Idempotency-Key).
 * {@code --body FILE} sends the file's content; {@code {uuid}} inside a body is replaced per
 * request too (by the same UUID as in the headers).
 *
 * <p>The engine is {@link NioEngine} (one java.nio thread, cheaper per request than the
 * Vert.x-based engine, which {@code --engine vertx} still runs for comparison). {@code --tick
 * MICROS} makes the nio engine wake at most once per tick: cheaper again, latencies overstated by
 * up to a tick (docs/benchmarks.md, "How fixed-rate latencies are measured (the house load
 * generator)").
 */
public final class LoadGen {

  private LoadGen() {}

  public static void main(String[] args) throws Exception {
    String name = "load";
    String url = null;
    String method = "GET";
    List<String[]> headers = new ArrayList<>();
    String body = null;
    List<String> paths = null;
    int connections = 16;
    double rate = 0;
    double seconds = 10;
    double warmup = 3;
    int expect = -1;
    String engine = "nio";
    double tickMicros = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--name" -> name = args[++i];
        case "--url" -> url = args[++i];
        case "--method" -> method = args[++i].toUpperCase(Locale.ROOT);
        case "--header" -> headers.add(args[++i].split(":\\s*", 2));
        case "--body" -> body = Files.readString(Path.of(args[++i]));
        case "--paths" ->
            paths =
                Files.readAllLines(Path.of(args[++i])).stream().filter(l -> !l.isBlank()).toList();
        case "--connections" -> connections = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Double.parseDouble(args[++i]);
        case "--duration" -> seconds = Double.parseDouble(args[++i]);
        case "--warmup" -> warmup = Double.parseDouble(args[++i]);
        case "--expect" -> expect = Integer.parseInt(args[++i]);
        case "--engine" -> engine = args[++i];
        case "--tick" -> tickMicros = Double.parseDouble(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (url == null) {
      throw new IllegalArgumentException("--url is required");
    }
    URI uri = URI.create(url);
    String host = uri.getHost();
    if (host == null
        || !host.equals("localhost") && !host.startsWith("127.") && !host.equals("[::1]")) {
      throw new IllegalArgumentException("benchmarks only target loopback");
    }
    int port = uri.getPort() < 0 ? 80 : uri.getPort();
    String target =
        (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    List<String> uris = paths != null ? paths : List.of(target);

    NioEngine.Result r =
        switch (engine) {
          case "nio" -> {
            String hostHeader = host + (uri.getPort() < 0 ? "" : ":" + port);
            RequestTemplate requests = RequestTemplate.of(method, hostHeader, uris, headers, body);
            InetSocketAddress address =
                new InetSocketAddress(host.replace("[", "").replace("]", ""), port);
            yield NioEngine.run(
                new NioEngine.Settings(
                    address,
                    requests,
                    connections,
                    rate,
                    (long) (warmup * 1e9),
                    (long) (seconds * 1e9),
                    expect,
                    (long) (tickMicros * 1000)));
          }
          case "vertx" ->
              VertxEngine.run(
                  host,
                  port,
                  HttpMethod.valueOf(method),
                  uris,
                  headers,
                  body,
                  connections,
                  rate,
                  (int) Math.ceil(warmup),
                  (int) Math.ceil(seconds),
                  expect);
          default -> throw new IllegalArgumentException("--engine is nio or vertx");
        };
    System.out.println(json(name, rate > 0 ? "rate " + rate : "max " + connections + " conns", r));
  }

  static String json(String name, String mode, NioEngine.Result r) {
    var h = r.latency();
    StringBuilder s = new StringBuilder(256);
    s.append(
        String.format(
            Locale.ROOT,
            "{\"name\":\"%s\",\"mode\":\"%s\",\"requests\":%d,\"errors\":%d,\"rps\":%.1f,\"p50\":%.3f,\"p90\":%.3f,"
                + "\"p99\":%.3f,\"max\":%.3f",
            name,
            mode,
            r.requests(),
            r.errors(),
            r.rps(),
            h.getValueAtPercentile(50) / 1000.0,
            h.getValueAtPercentile(90) / 1000.0,
            h.getValueAtPercentile(99) / 1000.0,
            h.getMaxValue() / 1000.0));
    if (r.cpuNanos() >= 0 && r.requests() > 0) {
      s.append(
          String.format(
              Locale.ROOT, ",\"clientCpuUsPerReq\":%.1f", r.cpuNanos() / 1000.0 / r.requests()));
    }
    if (r.sendLag() != null && r.sendLag().getTotalCount() > 0) {
      s.append(
          String.format(
              Locale.ROOT,
              ",\"sendLagP50\":%.3f,\"sendLagP99\":%.3f",
              r.sendLag().getValueAtPercentile(50) / 1000.0,
              r.sendLag().getValueAtPercentile(99) / 1000.0));
    }
    return s.append('}').toString();
  }
}
