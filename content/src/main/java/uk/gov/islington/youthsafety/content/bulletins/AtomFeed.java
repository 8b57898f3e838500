package uk.gov.islington.youthsafety.content.bulletins;

import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import uk.gov.islington.youthsafety.notifications.push.PushMessage;

/**
 * The bulletin archive as an Atom feed (RFC 4287), for feed readers.
 *
 * <ul>
 *   <li>Ids are tag URIs (RFC 4151) of the bulletin's id, not of the address the feed is served at,
 *       so they never change when the service moves: a reader never shows a bulletin twice.
 *   <li>A sent bulletin cannot change, so an entry's {@code updated} is when it was published; the
 *       feed's is the newest entry's. The same bulletins always render the same bytes.
 *   <li>The full text goes as {@code content type="text"} (no markup to sanitise), with a short
 *       {@code summary}, the audiences as categories, and the bulletin's page as the alternate
 *       link.
 * </ul>
 */
public final class AtomFeed {

  static final String ID_PREFIX = "tag:islington.gov.uk,2026:youth-safety-bulletin";
  private static final String ATOM = "http://www.w3.org/2005/Atom";
  // a feed with no entry yet still needs an updated time: a fixed one keeps it stable
  private static final Instant EMPTY_FEED_UPDATED = Instant.parse("2026-01-01T00:00:00Z");
  private static final int SUMMARY_BYTES = 300;

  private AtomFeed() {}

  /**
   * @param bulletins newest first, as the archive lists them
   * @param baseUrl where the public pages are
   */
  public static String render(List<Bulletin> bulletins, String baseUrl) {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
      x.writeStartDocument("UTF-8", "1.0");
      x.writeStartElement("feed");
      x.writeDefaultNamespace(ATOM);
      x.writeAttribute("xml:lang", "en-GB");
      element(x, "id", ID_PREFIX);
      element(x, "title", "Islington Youth Safety Bulletin");
      element(
          x,
          "subtitle",
          "Islington Council's bulletin for parents, carers, young people and professionals.");
      element(
          x,
          "updated",
          time(bulletins.isEmpty() ? EMPTY_FEED_UPDATED : bulletins.get(0).publishedAt()));
      link(x, "self", baseUrl + "/bulletins.atom", "application/atom+xml");
      link(x, "alternate", baseUrl + "/bulletins", "text/html");
      x.writeStartElement("author");
      element(x, "name", "Islington Council");
      x.writeEndElement();
      for (Bulletin b : bulletins) {
        x.writeStartElement("entry");
        element(x, "id", ID_PREFIX + ":" + b.id());
        element(x, "title", (b.urgent() ? "Urgent: " : "") + b.title());
        element(x, "published", time(b.publishedAt()));
        element(x, "updated", time(b.publishedAt()));
        link(x, "alternate", baseUrl + "/bulletins/" + b.id(), "text/html");
        if (b.link() != null) {
          link(x, "related", b.link(), null);
        }
        for (String audience : b.audiences()) {
          x.writeEmptyElement("category");
          x.writeAttribute("term", audience);
        }
        element(x, "summary", PushMessage.preview(b.body(), SUMMARY_BYTES));
        x.writeStartElement("content");
        x.writeAttribute("type", "text");
        x.writeCharacters(b.body());
        x.writeEndElement();
        x.writeEndElement();
      }
      x.writeEndElement();
      x.writeEndDocument();
      x.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("the feed could not be written", e);
    }
    return out.toString();
  }

  private static void element(XMLStreamWriter x, String name, String text)
      throws XMLStreamException {
    x.writeStartElement(name);
    x.writeCharacters(text);
    x.writeEndElement();
  }

  private static void link(XMLStreamWriter x, String rel, String href, String type)
      throws XMLStreamException {
    x.writeEmptyElement("link");
    x.writeAttribute("rel", rel);
    x.writeAttribute("href", href);
    if (type != null) {
      x.writeAttribute("type", type);
    }
  }

  private static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
