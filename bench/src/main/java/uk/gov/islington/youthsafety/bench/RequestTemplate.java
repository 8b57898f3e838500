package uk.gov.islington.youthsafety.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The bytes of every request, encoded once: one request line per path (cycled), then the headers
 * and the body. When a header value or the body holds {@code {uuid}}, the static parts around it
 * are encoded once and a fresh random UUID (the same one for every place in one request) is written
 * in per request; {@code Content-Length} stays right because a UUID is always 36 bytes.
 */
final class RequestTemplate {

  static final String UUID_MARK = "{uuid}";
  private static final int UUID_LENGTH = 36;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** Whole requests, one per path, when nothing is substituted. */
  private final byte[][] whole;

  /** Otherwise: the request line and Host per path, then the rest split at each {uuid}. */
  private final byte[][] lines;

  private final byte[][] parts;
  private final boolean head;
  private final int maxLength;

  private RequestTemplate(
      byte[][] whole, byte[][] lines, byte[][] parts, boolean head, int maxLength) {
    this.whole = whole;
    this.lines = lines;
    this.parts = parts;
    this.head = head;
    this.maxLength = maxLength;
  }

  /**
   * @param hostHeader the Host header's value, e.g. {@code 127.0.0.1:8080}
   * @param paths request targets (path and query), cycled
   * @param headers name and value pairs, sent as given; values may hold {@code {uuid}}
   * @param body the body or null; may hold {@code {uuid}}
   */
  static RequestTemplate of(
      String method, String hostHeader, List<String> paths, List<String[]> headers, String body) {
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("no paths");
    }
    boolean hostGiven = headers.stream().anyMatch(h -> h[0].equalsIgnoreCase("host"));
    StringBuilder rest = new StringBuilder();
    for (String[] h : headers) {
      if (h.length != 2 || h[0].isBlank()) {
        throw new IllegalArgumentException("a header is 'Name: value'");
      }
      if (h[0].equalsIgnoreCase("content-length") || h[0].equalsIgnoreCase("transfer-encoding")) {
        throw new IllegalArgumentException(h[0] + " is set by the load generator");
      }
      rest.append(h[0]).append(": ").append(h[1]).append("\r\n");
    }
    String upper = method.toUpperCase(Locale.ROOT);
    if (body != null) {
      int length =
          body.getBytes(StandardCharsets.UTF_8).length
              + count(body, UUID_MARK) * (UUID_LENGTH - UUID_MARK.length());
      rest.append("Content-Length: ").append(length).append("\r\n\r\n").append(body);
    } else if (upper.equals("POST") || upper.equals("PUT") || upper.equals("PATCH")) {
      rest.append("Content-Length: 0\r\n\r\n");
    } else {
      rest.append("\r\n");
    }
    byte[][] lines = new byte[paths.size()][];
    for (int i = 0; i < lines.length; i++) {
      String path = paths.get(i);
      if (path.isEmpty() || path.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
        throw new IllegalArgumentException("not a request target: " + path);
      }
      lines[i] =
          (upper + " " + path + " HTTP/1.1\r\n" + (hostGiven ? "" : "Host: " + hostHeader + "\r\n"))
              .getBytes(StandardCharsets.US_ASCII);
    }
    List<byte[]> split = new ArrayList<>();
    String s = rest.toString();
    for (int from = 0; ; ) {
      int at = s.indexOf(UUID_MARK, from);
      split.add(s.substring(from, at < 0 ? s.length() : at).getBytes(StandardCharsets.UTF_8));
      if (at < 0) {
        break;
      }
      from = at + UUID_MARK.length();
    }
    byte[][] parts = split.toArray(new byte[0][]);
    int restLength = (parts.length - 1) * UUID_LENGTH;
    for (byte[] p : parts) {
      restLength += p.length;
    }
    int max = 0;
    for (byte[] l : lines) {
      max = Math.max(max, l.length + restLength);
    }
    boolean head = upper.equals("HEAD");
    if (parts.length > 1) {
      return new RequestTemplate(null, lines, parts, head, max);
    }
    byte[][] whole = new byte[lines.length][];
    for (int i = 0; i < lines.length; i++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(max);
      out.writeBytes(lines[i]);
      out.writeBytes(parts[0]);
      whole[i] = out.toByteArray();
    }
    return new RequestTemplate(whole, null, null, head, max);
  }

  /** The longest request in bytes. */
  int maxLength() {
    return maxLength;
  }

  boolean head() {
    return head;
  }

  /**
   * Puts request number {@code n} (paths cycled) into {@code out}, which has room for {@link
   * #maxLength()}.
   */
  void put(long n, ByteBuffer out) {
    if (whole != null) {
      out.put(whole[(int) (n % whole.length)]);
      return;
    }
    out.put(lines[(int) (n % lines.length)]);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long hi = random.nextLong();
    long lo = random.nextLong();
    for (int i = 0; i < parts.length; i++) {
      out.put(parts[i]);
      if (i + 1 < parts.length) {
        putUuid(hi, lo, out);
      }
    }
  }

  /** A version-4 (random) UUID in its usual 8-4-4-4-12 form. */
  private static void putUuid(long hi, long lo, ByteBuffer out) {
    hi = (hi & 0xffffffffffff0fffL) | 0x0000000000004000L;
    lo = (lo & 0x3fffffffffffffffL) | 0x8000000000000000L;
    hex(hi >>> 32, 8, out);
    out.put((byte) '-');
    hex(hi >>> 16, 4, out);
    out.put((byte) '-');
    hex(hi, 4, out);
    out.put((byte) '-');
    hex(lo >>> 48, 4, out);
    out.put((byte) '-');
    hex(lo, 12, out);
  }

  private static void hex(long v, int digits, ByteBuffer out) {
    for (int i = digits - 1; i >= 0; i--) {
      out.put(HEX[(int) (v >>> (4 * i)) & 0xf]);
    }
  }

  private static int count(String s, String mark) {
    int n = 0;
    for (int at = s.indexOf(mark); at >= 0; at = s.indexOf(mark, at + mark.length())) {
      n++;
    }
    return n;
  }
}
