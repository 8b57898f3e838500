package uk.gov.islington.youthsafety.api.reports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local SMTP server that refuses every recipient for good (550), as a mail server does for an
 * address that does not exist, or ({@link #deferring}) defers every one (451), as a mail server
 * that cannot take mail for now does. GreenMail accepts everything, so the refusal is spoken here.
 */
final class RefusingSmtp implements AutoCloseable {

  private final ServerSocket server;
  final AtomicInteger refusals = new AtomicInteger();

  private final String reply;

  RefusingSmtp() throws IOException {
    this("550 5.1.1 No such mailbox here");
  }

  static RefusingSmtp deferring() throws IOException {
    return new RefusingSmtp("451 4.3.0 Try again later");
  }

  private RefusingSmtp(String reply) throws IOException {
    this.reply = reply;
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "refusing-smtp");
    accept.setDaemon(true);
    accept.start();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> converse(s), "refusing-smtp-session");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void converse(Socket socket) {
    try (socket;
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = socket.getOutputStream()) {
      say(out, "220 refusing.test ESMTP");
      String line;
      while ((line = in.readLine()) != null) {
        String verb = line.length() < 4 ? line : line.substring(0, 4).toUpperCase(Locale.ROOT);
        switch (verb) {
          case "EHLO" -> say(out, "250-refusing.test\r\n250 8BITMIME");
          case "HELO", "MAIL", "RSET", "NOOP" -> say(out, "250 OK");
          case "RCPT" -> {
            refusals.incrementAndGet();
            say(out, reply);
          }
          case "QUIT" -> {
            say(out, "221 Bye");
            return;
          }
          default -> say(out, "502 5.5.2 Not implemented");
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private static void say(OutputStream out, String reply) throws IOException {
    out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Settings that make the service e-mail reports through this server. */
  Map<String, String> settings() {
    return Smtp.settings(server.getLocalPort());
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
