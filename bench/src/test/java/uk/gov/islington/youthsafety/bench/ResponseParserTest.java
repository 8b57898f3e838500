package uk.gov.islington.youthsafety.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseParserTest {

  private static final String CONTENT_LENGTH =
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
          + "content-length: 15\r\n\r\n{\"status\":\"UP\"}";
  private static final String CHUNKED =
      "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5;name=value\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: t\r\n\r\n";
  private static final String NOT_MODIFIED =
      "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n" + "Content-Length: 6954\r\n\r\n";

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Feeds {@code response} whole and checks that exactly all of it was one complete response. */
  private static ResponseParser parseWhole(String response) throws Exception {
    ResponseParser p = new ResponseParser();
    byte[] b = bytes(response);
    assertEquals(b.length, p.feed(b, 0, b.length));
    assertTrue(p.complete());
    return p;
  }

  @Test
  void contentLengthBodyEndsAfterItsLength() throws Exception {
    ResponseParser p = parseWhole(CONTENT_LENGTH);
    assertEquals(200, p.status());
    assertFalse(p.closeAfter());
  }

  @Test
  void chunkedBodyWithExtensionsAndTrailersEndsAfterTheLastChunk() throws Exception {
    ResponseParser p = parseWhole(CHUNKED);
    assertEquals(201, p.status());
    assertFalse(p.closeAfter());
  }

  @Test
  void notModifiedHasNoBodyWhateverItsContentLength() throws Exception {
    ResponseParser p = parseWhole(NOT_MODIFIED);
    assertEquals(304, p.status());
  }

  @Test
  void noContentAndAnswersToHeadHaveNoBody() throws Exception {
    assertEquals(204, parseWhole("HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n").status());
    ResponseParser head = new ResponseParser();
    head.reset(true);
    byte[] b = bytes("HTTP/1.1 200 OK\r\nContent-Length: 6954\r\n\r\n");
    assertEquals(b.length, head.feed(b, 0, b.length));
    assertTrue(head.complete());
  }

  @Test
  void interimContinueIsSkipped() throws Exception {
    ResponseParser p = parseWhole("HTTP/1.1 100 Continue\r\n\r\n" + CONTENT_LENGTH);
    assertEquals(200, p.status());
  }

  @Test
  void everySplitAcrossReadsGivesTheSameAnswer() throws Exception {
    for (String response : new String[] {CONTENT_LENGTH, CHUNKED, NOT_MODIFIED}) {
      byte[] b = bytes(response);
      for (int cut = 0; cut <= b.length; cut++) {
        ResponseParser p = new ResponseParser();
        assertEquals(cut, p.feed(b, 0, cut));
        assertEquals(cut == b.length, p.complete(), response + " cut at " + cut);
        assertEquals(b.length - cut, p.feed(b, cut, b.length - cut));
        assertTrue(p.complete(), response + " cut at " + cut);
      }
      ResponseParser oneByOne = new ResponseParser();
      for (int i = 0; i < b.length; i++) {
        assertFalse(oneByOne.complete());
        assertEquals(1, oneByOne.feed(b, i, 1));
      }
      assertTrue(oneByOne.complete());
    }
  }

  @Test
  void stopsAtTheEndOfTheResponseAndIsReusable() throws Exception {
    ResponseParser p = new ResponseParser();
    byte[] two = bytes(CONTENT_LENGTH + NOT_MODIFIED);
    int used = p.feed(two, 0, two.length);
    assertEquals(bytes(CONTENT_LENGTH).length, used);
    assertTrue(p.complete());
    p.reset(false);
    assertEquals(two.length - used, p.feed(two, used, two.length - used));
    assertEquals(304, p.status());
  }

  @Test
  void connectionCloseAndHttp10AreNotKeptAlive() throws Exception {
    assertTrue(
        parseWhole("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")
            .closeAfter());
    assertTrue(parseWhole("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok").closeAfter());
    assertFalse(
        parseWhole("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok")
            .closeAfter());
  }

  @Test
  void bodyWithoutLengthRunsToTheEndOfTheConnection() throws Exception {
    ResponseParser p = new ResponseParser();
    byte[] b = bytes("HTTP/1.1 200 OK\r\n\r\nsome bytes");
    assertEquals(b.length, p.feed(b, 0, b.length));
    assertFalse(p.complete());
    assertTrue(p.endOfInput());
    assertTrue(p.complete());
    assertTrue(p.closeAfter());
  }

  @Test
  void aConnectionClosedMidResponseIsAnErrorAndOneClosedWhileIdleIsNot() throws Exception {
    ResponseParser p = new ResponseParser();
    byte[] b = bytes(CONTENT_LENGTH);
    p.feed(b, 0, b.length - 3);
    assertThrows(ResponseParser.MalformedResponse.class, p::endOfInput);
    assertFalse(new ResponseParser().endOfInput());
  }

  @Test
  void malformedResponsesAreRefused() {
    for (String bad :
        new String[] {
          "HTTP/2 200 OK\r\n\r\n",
          "HTTP/1.1 2x0 OK\r\n\r\n",
          "HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n",
          "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n"
        }) {
      byte[] b = bytes(bad);
      assertThrows(
          ResponseParser.MalformedResponse.class,
          () -> new ResponseParser().feed(b, 0, b.length),
          bad);
    }
  }
}
