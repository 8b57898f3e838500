package uk.gov.islington.youthsafety.bench;

import java.io.IOException;

/**
 * An HTTP/1.1 response parser that reads just enough to find where each response ends: the status
 * line, {@code Content-Length}, {@code Transfer-Encoding: chunked} (with extensions and trailers),
 * no body for 204, 304 and answers to HEAD, a body up to the end of the connection when there is
 * neither, interim 1xx answers skipped, and whether the connection stays open afterwards ({@code
 * Connection: close}, HTTP/1.0 without keep-alive). Bodies are skipped by count, never scanned;
 * header and chunk-size lines may be split anywhere across reads.
 *
 * <p>One instance per connection, one response at a time: {@link #feed} consumes bytes up to the
 * end of the current response, then {@link #complete()} is true until {@link #reset}.
 */
final class ResponseParser {

  /** A response that is not HTTP/1.x as this client understands it. */
  static final class MalformedResponse extends IOException {
    MalformedResponse(String message) {
      super(message);
    }
  }

  private static final int STATUS = 0;
  private static final int HEADERS = 1;
  private static final int BODY = 2;
  private static final int CHUNK_SIZE = 3;
  private static final int CHUNK_DATA = 4;
  private static final int CHUNK_END = 5;
  private static final int TRAILERS = 6;
  private static final int UNTIL_CLOSE = 7;
  private static final int DONE = 8;

  private static final int MAX_LINE = 16 * 1024;
  private static final byte[] CONTENT_LENGTH = ascii("content-length");
  private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
  private static final byte[] CONNECTION = ascii("connection");
  private static final byte[] CHUNKED = ascii("chunked");
  private static final byte[] CLOSE = ascii("close");
  private static final byte[] KEEP_ALIVE = ascii("keep-alive");

  private final byte[] line = new byte[MAX_LINE];
  private int lineLength;
  private int state;
  private boolean started;
  private boolean noBody;
  private int status;
  private boolean http10;
  private boolean closeHeader;
  private boolean keepAliveHeader;
  private boolean chunked;
  private long contentLength;
  private long remaining;
  private boolean untilClose;

  ResponseParser() {
    reset(false);
  }

  /**
   * Ready for the next response; {@code headRequest}: it answers a HEAD (no body whatever the
   * headers).
   */
  void reset(boolean headRequest) {
    noBody = headRequest;
    state = STATUS;
    lineLength = 0;
    started = false;
    status = 0;
    resetHeaders();
  }

  private void resetHeaders() {
    http10 = false;
    closeHeader = false;
    keepAliveHeader = false;
    chunked = false;
    contentLength = -1;
    remaining = 0;
    untilClose = false;
  }

  boolean complete() {
    return state == DONE;
  }

  /** True once any byte of the current response has been read. */
  boolean started() {
    return started;
  }

  int status() {
    return status;
  }

  /** Whether the server closes the connection after this response (or must, to end its body). */
  boolean closeAfter() {
    return closeHeader || (http10 && !keepAliveHeader) || untilClose;
  }

  /**
   * Consumes {@code buf[offset, offset + length)} up to the end of the current response at most.
   *
   * @return how many bytes were consumed: fewer than {@code length} only when the response is
   *     complete and more bytes follow (which, without pipelining, the caller treats as an error)
   */
  int feed(byte[] buf, int offset, int length) throws MalformedResponse {
    int p = offset;
    int end = offset + length;
    if (length > 0) {
      started = true;
    }
    while (p < end && state != DONE) {
      switch (state) {
        case BODY, CHUNK_DATA -> {
          int n = (int) Math.min(remaining, end - p);
          p += n;
          remaining -= n;
          if (remaining == 0) {
            state = state == BODY ? DONE : CHUNK_END;
          }
        }
        case UNTIL_CLOSE -> p = end;
        default -> {
          int nl = indexOf(buf, p, end, (byte) '\n');
          if (nl < 0) {
            append(buf, p, end - p);
            p = end;
          } else if (lineLength == 0) {
            line(buf, p, nl);
            p = nl + 1;
          } else {
            append(buf, p, nl - p);
            int n = lineLength;
            lineLength = 0;
            line(line, 0, n);
            p = nl + 1;
          }
        }
      }
    }
    return p - offset;
  }

  /**
   * The connection was closed by the server: completes a body that runs to the end of the
   * connection; fails a response cut short.
   *
   * @return false when nothing of a response had arrived (a kept-alive connection closed while
   *     idle)
   */
  boolean endOfInput() throws MalformedResponse {
    if (state == UNTIL_CLOSE) {
      state = DONE;
      return true;
    }
    if (state == DONE) {
      return true;
    }
    if (!started) {
      return false;
    }
    throw new MalformedResponse("connection closed in the middle of a response");
  }

  private void append(byte[] buf, int from, int n) throws MalformedResponse {
    if (lineLength + n > MAX_LINE) {
      throw new MalformedResponse("line longer than " + MAX_LINE + " bytes");
    }
    System.arraycopy(buf, from, line, lineLength, n);
    lineLength += n;
  }

  /** One line, {@code [from, to)} without its LF. */
  private void line(byte[] b, int from, int to) throws MalformedResponse {
    if (to > from && b[to - 1] == '\r') {
      to--;
    }
    switch (state) {
      case STATUS -> statusLine(b, from, to);
      case HEADERS -> {
        if (to == from) {
          endOfHeaders();
        } else {
          header(b, from, to);
        }
      }
      case CHUNK_SIZE -> chunkSize(b, from, to);
      case CHUNK_END -> {
        if (to != from) {
          throw new MalformedResponse("chunk data longer than its size");
        }
        state = CHUNK_SIZE;
      }
      case TRAILERS -> {
        if (to == from) {
          state = DONE;
        }
      }
      default -> throw new IllegalStateException("state " + state);
    }
  }

  private void statusLine(byte[] b, int from, int to) throws MalformedResponse {
    if (to == from) {
      return; // tolerate a stray CRLF before the status line
    }
    // HTTP/1.x SSS[ reason]
    if (to - from < 12
        || b[from] != 'H'
        || b[from + 1] != 'T'
        || b[from + 2] != 'T'
        || b[from + 3] != 'P'
        || b[from + 4] != '/'
        || b[from + 5] != '1'
        || b[from + 6] != '.'
        || b[from + 8] != ' '
        || (to - from > 12 && b[from + 12] != ' ')) {
      throw new MalformedResponse("not an HTTP/1.x status line");
    }
    int s = 0;
    for (int i = from + 9; i < from + 12; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        throw new MalformedResponse("status code is not three digits");
      }
      s = s * 10 + d;
    }
    status = s;
    http10 = b[from + 7] == '0';
    state = HEADERS;
  }

  private void header(byte[] b, int from, int to) throws MalformedResponse {
    int colon = indexOf(b, from, to, (byte) ':');
    if (colon < 0) {
      throw new MalformedResponse("header line without a colon");
    }
    int v = colon + 1;
    while (v < to && (b[v] == ' ' || b[v] == '\t')) {
      v++;
    }
    int nameLength = colon - from;
    if (nameLength == CONTENT_LENGTH.length && equalsIgnoreCase(b, from, CONTENT_LENGTH)) {
      long n = 0;
      int digits = 0;
      for (int i = v; i < to && b[i] != ' ' && b[i] != '\t'; i++, digits++) {
        int d = b[i] - '0';
        if (d < 0 || d > 9 || n > Long.MAX_VALUE / 10) {
          throw new MalformedResponse("bad Content-Length");
        }
        n = n * 10 + d;
      }
      if (digits == 0) {
        throw new MalformedResponse("bad Content-Length");
      }
      contentLength = n;
    } else if (nameLength == TRANSFER_ENCODING.length
        && equalsIgnoreCase(b, from, TRANSFER_ENCODING)) {
      chunked |= containsIgnoreCase(b, v, to, CHUNKED);
    } else if (nameLength == CONNECTION.length && equalsIgnoreCase(b, from, CONNECTION)) {
      closeHeader |= containsIgnoreCase(b, v, to, CLOSE);
      keepAliveHeader |= containsIgnoreCase(b, v, to, KEEP_ALIVE);
    }
  }

  private void endOfHeaders() throws MalformedResponse {
    if (status >= 100 && status < 200) {
      if (status == 101) {
        throw new MalformedResponse("101 Switching Protocols is not supported");
      }
      resetHeaders(); // interim answer (100 Continue, 103 Early Hints): the real one follows
      state = STATUS;
      return;
    }
    if (noBody || status == 204 || status == 304) {
      state = DONE;
    } else if (chunked) {
      state = CHUNK_SIZE;
    } else if (contentLength >= 0) {
      remaining = contentLength;
      state = contentLength == 0 ? DONE : BODY;
    } else {
      untilClose = true;
      state = UNTIL_CLOSE;
    }
  }

  private void chunkSize(byte[] b, int from, int to) throws MalformedResponse {
    long n = 0;
    int digits = 0;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else if (c == ';' || c == ' ' || c == '\t') {
        break; // chunk extensions
      } else {
        throw new MalformedResponse("bad chunk size");
      }
      if (++digits > 15) {
        throw new MalformedResponse("chunk size too large");
      }
      n = n * 16 + d;
    }
    if (digits == 0) {
      throw new MalformedResponse("bad chunk size");
    }
    if (n == 0) {
      state = TRAILERS;
    } else {
      remaining = n;
      state = CHUNK_DATA;
    }
  }

  private static int indexOf(byte[] b, int from, int to, byte value) {
    for (int i = from; i < to; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }

  /** {@code lower} is lower-case ASCII. */
  private static boolean equalsIgnoreCase(byte[] b, int from, byte[] lower) {
    for (int i = 0; i < lower.length; i++) {
      if ((b[from + i] | 0x20) != lower[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean containsIgnoreCase(byte[] b, int from, int to, byte[] lower) {
    for (int i = from; i + lower.length <= to; i++) {
      if (equalsIgnoreCase(b, i, lower)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
