// The duty alert's figure: from the 201 of an urgent report to the duty e-mail accepted by a local
// SMTP server (the "250" after its DATA), one report at a time so each e-mail is its report's (an
// alert names no report), p50/p99 over N reports. The submission's own round trip is measured in
// the same run, as the baseline. Run with bench/alerts/run.sh; figures go to docs/benchmarks.md.
//
// The real App starts in this JVM on the embedded PostgreSQL (production settings: synchronous
// commit, fsync) in a throw-away data directory, e-mailing through SMTP to the minimal server below
// (no TLS, loopback), with REPORT_DUTY_EMAIL set.

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import uk.gov.islington.youthsafety.api.App;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.bench.InJvmService;

public class DutyAlertLatency {

  /** nanoTime of each "250" that accepted a message's DATA. */
  static final BlockingQueue<Long> ACCEPTED = new LinkedBlockingQueue<>();

  public static void main(String[] args) throws Exception {
    int reports = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    ServerSocket smtp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> serve(smtp), "bench-smtp");
    acceptor.setDaemon(true);
    acceptor.start();

    Map<String, String> env = InJvmService.settings("bench-alerts");
    env.put("MANAGEMENT_PORT", "0");
    env.put("HTTP_INSTANCES", "2");
    env.put("DEMO_CONTENT", "false");
    env.put("REPORT_SUBMIT_RATE_CAPACITY", "100000");
    env.put("REPORT_SUBMIT_RATE_PER_HOUR", "1000000");
    env.put("SMTP_HOST", "127.0.0.1");
    env.put("SMTP_PORT", Integer.toString(smtp.getLocalPort()));
    env.put("SMTP_STARTTLS", "disabled");
    env.put("REPORT_EMAIL_FROM", "youth-safety@bench.test");
    env.put("REPORT_DUTY_EMAIL", "duty@bench.test");
    App app = App.start(Config.of(env), Clock.systemUTC());
    WebClient http = WebClient.create(app.context().vertx(), new WebClientOptions().setDefaultHost("localhost")
        .setDefaultPort(app.port()).setKeepAlive(true));
    try {
      Histogram toEmail = new Histogram(3);
      Histogram submit = new Histogram(3);
      int early = 0;
      for (int k = 0; k < warmup + reports; k++) {
        ACCEPTED.clear();
        long sent = System.nanoTime();
        HttpResponse<Buffer> r = http.post("/v1/reports").putHeader("Idempotency-Key", UUID.randomUUID().toString())
            .sendJsonObject(new JsonObject().put("categoryId", "someone-being-hurt").put("immediateDanger", true)
                .put("description", "bench report " + k))
            .await(30, TimeUnit.SECONDS);
        long acknowledged = System.nanoTime();
        if (r.statusCode() != 201) {
          throw new IllegalStateException("submitReport answered " + r.statusCode());
        }
        Long accepted = ACCEPTED.poll(30, TimeUnit.SECONDS);
        if (accepted == null) {
          throw new IllegalStateException("no duty e-mail within 30 s of report " + k);
        }
        if (k >= warmup) {
          submit.recordValue(Math.max(1, (acknowledged - sent) / 1000));
          // the server may accept the e-mail before the client has read the 201: that counts as 0
          if (accepted < acknowledged) {
            early++;
          }
          toEmail.recordValue(Math.max(1, (accepted - acknowledged) / 1000));
        }
      }
      System.out.printf(Locale.ROOT, "reports=%d warmup=%d%n", reports, warmup);
      System.out.printf(Locale.ROOT, "201 -> duty e-mail accepted: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms"
              + " (accepted before the client read the 201: %d)%n",
          toEmail.getValueAtPercentile(50) / 1000.0, toEmail.getValueAtPercentile(90) / 1000.0,
          toEmail.getValueAtPercentile(99) / 1000.0, toEmail.getMaxValue() / 1000.0, early);
      System.out.printf(Locale.ROOT, "baseline, submitReport round trip: p50 %.1f ms, p99 %.1f ms%n",
          submit.getValueAtPercentile(50) / 1000.0, submit.getValueAtPercentile(99) / 1000.0);
      System.out.printf(Locale.ROOT, "ratio of p50s (e-mail after the 201 / the 201 itself): %.2f%n",
          (double) toEmail.getValueAtPercentile(50) / submit.getValueAtPercentile(50));
    } finally {
      http.close();
      app.close();
      smtp.close();
    }
  }

  /** The smallest SMTP server that accepts everything and notes when each message was accepted. */
  static void serve(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> session(s), "bench-smtp-session");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  static void session(Socket socket) {
    try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
        StandardCharsets.ISO_8859_1)); OutputStream out = socket.getOutputStream()) {
      say(out, "220 bench.test ESMTP");
      boolean data = false;
      String line;
      while ((line = in.readLine()) != null) {
        if (data) {
          if (line.equals(".")) {
            data = false;
            say(out, "250 2.0.0 queued");
            ACCEPTED.add(System.nanoTime());
          }
          continue;
        }
        String verb = line.length() < 4 ? line : line.substring(0, 4).toUpperCase(Locale.ROOT);
        switch (verb) {
          case "EHLO" -> say(out, "250-bench.test\r\n250 8BITMIME");
          case "DATA" -> {
            data = true;
            say(out, "354 go ahead");
          }
          case "QUIT" -> {
            say(out, "221 bye");
            return;
          }
          default -> say(out, "250 OK");
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  static void say(OutputStream out, String reply) throws IOException {
    out.write((reply + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }
}
