package uk.gov.islington.youthsafety.content.bulletins;

import java.util.List;

/**
 * The words of bulletin e-mails, as plain text and as HTML. The HTML is plain semantic markup
 * (headings, paragraphs, real links with their purpose in the text) with a language and a title,
 * readable by a screen reader and at any zoom; it loads nothing: no images, no remote style sheet,
 * no tracking pixel, no link that says who clicked it.
 */
final class BulletinEmailText {

  /** One composed e-mail's subject and its two parts. */
  record Parts(String subject, String text, String html) {}

  private static final String SIGN_OFF = "Islington Council Youth Safety Bulletin";

  private BulletinEmailText() {}

  static Parts confirmation(String confirmLink, long hoursValid) {
    String subject = "Confirm your subscription to the Youth Safety Bulletin";
    String text =
        "Someone, hopefully you, asked to get Islington's Youth Safety Bulletin by e-mail at this address.\n\n"
            + "To confirm, open this link and press \"Confirm subscription\":\n"
            + confirmLink
            + "\n\n"
            + "The link works once and for "
            + hoursValid
            + " hours. If you did not ask for this, ignore this e-mail:\n"
            + "you will get nothing more from us, and we delete the address within 7 days.\n\n"
            + SIGN_OFF
            + "\n";
    String html =
        page(
            subject,
            "<h1>Confirm your subscription</h1>\n"
                + "<p>Someone, hopefully you, asked to get Islington's Youth Safety Bulletin by e-mail at this address.</p>\n"
                + "<p><a href=\""
                + attr(confirmLink)
                + "\">Confirm your subscription to the Youth Safety Bulletin</a></p>\n"
                + "<p>The link works once and for "
                + hoursValid
                + " hours. If you did not ask for this, ignore this e-mail: "
                + "you will get nothing more from us, and we delete the address within 7 days.</p>\n",
            null,
            null);
    return new Parts(subject, text, html);
  }

  static Parts reminder(String preferencesLink, String unsubscribeLink) {
    String subject = "You already get the Youth Safety Bulletin";
    String text =
        "Someone, hopefully you, asked to subscribe this address to Islington's Youth Safety Bulletin.\n"
            + "It is subscribed already, so nothing has changed.\n\n"
            + "To change what you get: "
            + preferencesLink
            + "\n"
            + "To stop getting it: "
            + unsubscribeLink
            + "\n\n"
            + SIGN_OFF
            + "\n";
    String html =
        page(
            subject,
            "<h1>You already get the Youth Safety Bulletin</h1>\n"
                + "<p>Someone, hopefully you, asked to subscribe this address to Islington's Youth Safety Bulletin. "
                + "It is subscribed already, so nothing has changed.</p>\n",
            preferencesLink,
            unsubscribeLink);
    return new Parts(subject, text, html);
  }

  static Parts bulletin(
      Bulletin b, String webLink, String preferencesLink, String unsubscribeLink) {
    String subject = (b.urgent() ? "Urgent: " : "") + b.title() + " - Youth Safety Bulletin";
    StringBuilder text = new StringBuilder();
    text.append(b.title()).append("\n\n").append(b.body().strip()).append("\n\n");
    if (b.link() != null) {
      text.append("More: ").append(b.link()).append("\n\n");
    }
    text.append("Read this bulletin on the web: ").append(webLink).append("\n\n");
    signOff(text, preferencesLink, unsubscribeLink);
    StringBuilder body = new StringBuilder();
    if (b.urgent()) {
      body.append("<p><strong>Urgent</strong></p>\n");
    }
    body.append("<h1>").append(text(b.title())).append("</h1>\n");
    html(body, b);
    body.append("<p><a href=\"")
        .append(attr(webLink))
        .append("\">Read this bulletin on the web</a></p>\n");
    return new Parts(
        subject, text.toString(), page(subject, body.toString(), preferencesLink, unsubscribeLink));
  }

  static Parts digest(
      java.time.LocalDate weekStart,
      List<Bulletin> bulletins,
      java.util.function.Function<Bulletin, String> webLink,
      String preferencesLink,
      String unsubscribeLink) {
    String week =
        weekStart.format(
            java.time.format.DateTimeFormatter.ofPattern("d MMMM yyyy", java.util.Locale.UK));
    String subject = "Youth Safety Bulletin: the week of " + week;
    StringBuilder text =
        new StringBuilder("The Youth Safety Bulletin for the week of ").append(week).append("\n\n");
    StringBuilder body = new StringBuilder("<h1>The week of ").append(text(week)).append("</h1>\n");
    for (Bulletin b : bulletins) {
      text.append("== ")
          .append(b.urgent() ? "Urgent: " : "")
          .append(b.title())
          .append(" ==\n\n")
          .append(b.body().strip())
          .append("\n\n");
      if (b.link() != null) {
        text.append("More: ").append(b.link()).append("\n");
      }
      text.append("On the web: ").append(webLink.apply(b)).append("\n\n");
      body.append("<h2>")
          .append(b.urgent() ? "Urgent: " : "")
          .append(text(b.title()))
          .append("</h2>\n");
      html(body, b);
      body.append("<p><a href=\"")
          .append(attr(webLink.apply(b)))
          .append("\">Read &ldquo;")
          .append(text(b.title()))
          .append("&rdquo; on the web</a></p>\n");
    }
    signOff(text, preferencesLink, unsubscribeLink);
    return new Parts(
        subject, text.toString(), page(subject, body.toString(), preferencesLink, unsubscribeLink));
  }

  /** A bulletin's body as HTML paragraphs, and its link if it has one. */
  private static void html(StringBuilder body, Bulletin b) {
    for (String paragraph : paragraphs(b.body())) {
      body.append("<p>").append(text(paragraph).replace("\n", "<br>\n")).append("</p>\n");
    }
    if (b.link() != null) {
      body.append("<p>More: <a href=\"")
          .append(attr(b.link()))
          .append("\">")
          .append(text(b.link()))
          .append("</a></p>\n");
    }
  }

  /** The plain text's last lines: who sends it, and the subscriber's own links. */
  private static void signOff(StringBuilder text, String preferencesLink, String unsubscribeLink) {
    text.append("-- \n")
        .append(SIGN_OFF)
        .append("\n")
        .append("Change what you get: ")
        .append(preferencesLink)
        .append("\n")
        .append("Unsubscribe: ")
        .append(unsubscribeLink)
        .append("\n");
  }

  private static String page(
      String title, String body, String preferencesLink, String unsubscribeLink) {
    StringBuilder html =
        new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .append("<title>")
            .append(text(title))
            .append("</title>\n</head>\n")
            .append(
                "<body style=\"font-family: Arial, sans-serif; font-size: 19px; line-height: 1.4; color: #0b0c0c; "
                    + "max-width: 40em; margin: 0 auto; padding: 1em;\">\n<main>\n")
            .append(body)
            .append("</main>\n<footer>\n<p>")
            .append(SIGN_OFF)
            .append("</p>\n");
    if (preferencesLink != null) {
      html.append("<p><a href=\"")
          .append(attr(preferencesLink))
          .append("\">Change what you get</a></p>\n")
          .append("<p><a href=\"")
          .append(attr(unsubscribeLink))
          .append("\">Unsubscribe from the Youth Safety Bulletin</a></p>\n");
    }
    return html.append("</footer>\n</body>\n</html>\n").toString();
  }

  private static List<String> paragraphs(String body) {
    return List.of(body.strip().replace("\r\n", "\n").split("\n\\s*\n"));
  }

  static String text(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String attr(String s) {
    return text(s);
  }
}
