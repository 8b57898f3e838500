package uk.gov.islington.youthsafety.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A small SMTP server whose answers a test writes: per recipient, the reply to RCPT TO (250, or 550
 * "no such mailbox", 451 "try later"), and on demand it holds the reply to a message's end of DATA
 * until released, as a server that has stopped answering. A message counts as accepted only once
 * its 250 has been written, as for a real server. GreenMail cannot refuse a recipient; this can.
 *
 * <p>Like the relays councils use (Postfix, Exchange), it offers PIPELINING (RFC 2920): a client
 * may send MAIL, RCPT and DATA at once, the replies to a group go back together, and a DATA after
 * no accepted recipient is refused with 554.
 */
public final class ScriptedSmtp implements AutoCloseable {

  /** One accepted message: its recipients and its raw text (headers and body). */
  public record Message(List<String> recipients, String raw) {}

  private final ServerSocket server;
  private final Thread acceptor;
  private final List<Message> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Map<String, AtomicInteger> attemptsByRecipient = new ConcurrentHashMap<>();
  private final AtomicInteger holding = new AtomicInteger();
  private volatile Function<String, String> rcptReply = r -> "250 OK";
  private volatile CountDownLatch hold;
  private volatile boolean open = true;
  private volatile boolean dropHeld;

  public ScriptedSmtp() throws IOException {
    server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "scripted-smtp");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** The reply line to RCPT TO for a recipient, e.g. {@code "550 5.1.1 no such mailbox"}. */
  public ScriptedSmtp replyToRecipient(Function<String, String> reply) {
    this.rcptReply = reply;
    return this;
  }

  /** From now on, the end of each message's DATA waits for {@link #release} before its reply. */
  public void holdData() {
    dropHeld = false;
    hold = new CountDownLatch(1);
  }

  /** Lets held messages go (their connections may be gone by then: those are not accepted). */
  public void release() {
    CountDownLatch h = hold;
    hold = null;
    if (h != null) {
      h.countDown();
    }
  }

  /** Closes the connections of held messages without answering: none of them is accepted. */
  public void dropHeld() {
    dropHeld = true;
    release();
  }

  public int holdingCount() {
    return holding.get();
  }

  public List<Message> accepted() {
    synchronized (accepted) {
      return List.copyOf(accepted);
    }
  }

  public int acceptedCount() {
    return accepted.size();
  }

  /** RCPT TO commands seen for a recipient, whatever the answer. */
  public int attempts(String recipient) {
    AtomicInteger n = attemptsByRecipient.get(recipient.toLowerCase(java.util.Locale.ROOT));
    return n == null ? 0 : n.get();
  }

  private void acceptLoop() {
    while (open) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve(s), "scripted-smtp-conn");
        t.setDaemon(true);
        // it stands in for the council's mail relay, whose CPU is not the service's in production:
        // in the benchmark it yields to the API (with -XX:ThreadPriorityPolicy=1), as the fake FCM
        // does
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket;
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream())) {
      write(out, "220 scripted.test ESMTP", in);
      List<String> recipients = new ArrayList<>();
      String line;
      while ((line = in.readLine()) != null) {
        String upper = line.toUpperCase(java.util.Locale.ROOT);
        if (upper.startsWith("EHLO") || upper.startsWith("HELO")) {
          write(out, "250-scripted.test\r\n250 PIPELINING", in);
        } else if (upper.startsWith("MAIL FROM")) {
          recipients.clear();
          write(out, "250 OK", in);
        } else if (upper.startsWith("RCPT TO")) {
          String to =
              line.substring(line.indexOf('<') + 1, line.lastIndexOf('>'))
                  .toLowerCase(java.util.Locale.ROOT);
          attemptsByRecipient.computeIfAbsent(to, k -> new AtomicInteger()).incrementAndGet();
          String reply = rcptReply.apply(to);
          if (reply.startsWith("250")) {
            recipients.add(to);
          }
          write(out, reply, in);
        } else if (upper.equals("DATA") && recipients.isEmpty()) {
          write(out, "554 5.5.1 no valid recipients", in);
        } else if (upper.equals("DATA")) {
          write(out, "354 go ahead", in);
          StringBuilder raw = new StringBuilder();
          String d;
          while ((d = in.readLine()) != null && !d.equals(".")) {
            raw.append(d.startsWith("..") ? d.substring(1) : d).append("\r\n");
          }
          CountDownLatch h = hold;
          if (h != null) {
            holding.incrementAndGet();
            try {
              h.await();
            } finally {
              holding.decrementAndGet();
            }
            if (dropHeld) {
              return;
            }
          }
          write(out, "250 accepted", in);
          out.flush();
          accepted.add(new Message(List.copyOf(recipients), raw.toString()));
          recipients.clear();
        } else if (upper.equals("QUIT")) {
          write(out, "221 bye", in);
          return;
        } else {
          // RSET, NOOP and anything else
          recipients.clear();
          write(out, "250 OK", in);
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client went away: whatever it had not seen acknowledged is not accepted
    }
  }

  /** Writes a reply; it goes out once no more pipelined commands wait to be read. */
  private static void write(OutputStream out, String line, BufferedReader in) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    if (!in.ready()) {
      out.flush();
    }
  }

  @Override
  public void close() throws IOException {
    open = false;
    release();
    server.close();
  }
}
