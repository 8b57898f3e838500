package uk.gov.islington.youthsafety.api.reports;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real local SMTP server (GreenMail) on a fixed free port, so it can be stopped and started again
 * there.
 */
public final class Smtp implements AutoCloseable {

  final int port;
  private GreenMail server;

  private Smtp(int port) {
    this.port = port;
  }

  public static Smtp onFreePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return new Smtp(s.getLocalPort());
    }
  }

  public int port() {
    return port;
  }

  public Smtp start() {
    server = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
    server.start();
    return this;
  }

  public void stop() {
    if (server != null) {
      server.stop();
      server = null;
    }
  }

  public List<MimeMessage> received() {
    return server == null ? List.of() : List.of(server.getReceivedMessages());
  }

  public static String body(MimeMessage m) {
    return GreenMailUtil.getBody(m).replace("=\r\n", "").replace("\r\n", "\n");
  }

  /** Settings that make the service e-mail reports through this server, retrying quickly. */
  public Map<String, String> settings() {
    return settings(port);
  }

  /** Settings that make the service e-mail reports through the SMTP server on this local port. */
  static Map<String, String> settings(int port) {
    Map<String, String> env = new HashMap<>();
    env.put("REPORT_EMAIL_TRANSPORT", "smtp");
    env.put("SMTP_HOST", "127.0.0.1");
    env.put("SMTP_PORT", Integer.toString(port));
    env.put("SMTP_STARTTLS", "disabled");
    env.put("SMTP_CONNECT_TIMEOUT", "2s");
    env.put("REPORT_EMAIL_FROM", "youth-safety-reports@example.test");
    env.put("REPORT_EMAIL_RETRY_INITIAL", "200ms");
    env.put("REPORT_EMAIL_RETRY_MAX", "1s");
    env.put("REPORT_SUBMIT_RATE_CAPACITY", "1000");
    return env;
  }

  @Override
  public void close() {
    stop();
  }
}
