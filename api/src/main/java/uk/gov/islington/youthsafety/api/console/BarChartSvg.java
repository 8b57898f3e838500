package uk.gov.islington.youthsafety.api.console;

import java.util.List;

/**
 * A horizontal bar chart drawn on the server as inline SVG: no script, no third party, and no style
 * attribute (the pages' Content-Security-Policy allows none). It is an image with a title and a
 * description that say what it shows; screen readers get the same numbers from the table that
 * always follows it, so the bars themselves are hidden from them.
 */
final class BarChartSvg {

  /** One bar: its label and its value. */
  record Bar(String label, int value) {}

  private static final int WIDTH = 640;
  private static final int LABEL_WIDTH = 260;
  private static final int VALUE_WIDTH = 60;
  private static final int BAR_HEIGHT = 28;
  private static final int GAP = 12;
  // GOV.UK blue on white: a contrast ratio above 4.5:1 for the bars as for the text
  private static final String BAR_COLOUR = "#1d70b8";
  private static final String TEXT_COLOUR = "#0b0c0c";

  private BarChartSvg() {}

  /**
   * @param id unique on the page: the title and description are referred to by it
   */
  static String of(String id, String title, String description, List<Bar> bars) {
    int max = bars.stream().mapToInt(Bar::value).max().orElse(0);
    int plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
    int height = bars.size() * (BAR_HEIGHT + GAP) + GAP;
    StringBuilder svg = new StringBuilder();
    svg.append(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ys-chart\" role=\"img\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(height)
        .append("\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(height)
        .append("\" aria-labelledby=\"")
        .append(id)
        .append("-title ")
        .append(id)
        .append("-desc\">")
        .append("<title id=\"")
        .append(id)
        .append("-title\">")
        .append(escape(title))
        .append("</title>")
        .append("<desc id=\"")
        .append(id)
        .append("-desc\">")
        .append(escape(description))
        .append("</desc>");
    for (int i = 0; i < bars.size(); i++) {
      Bar bar = bars.get(i);
      int y = GAP + i * (BAR_HEIGHT + GAP);
      int length =
          max == 0
              ? 0
              : Math.max(bar.value() > 0 ? 2 : 0, Math.round((float) plot * bar.value() / max));
      svg.append("<g aria-hidden=\"true\">")
          .append("<text x=\"")
          .append(LABEL_WIDTH - 8)
          .append("\" y=\"")
          .append(y + BAR_HEIGHT / 2 + 5)
          .append(
              "\" text-anchor=\"end\" font-family=\"Arial, sans-serif\" font-size=\"16\" fill=\"")
          .append(TEXT_COLOUR)
          .append("\">")
          .append(escape(shorten(bar.label())))
          .append("</text>")
          .append("<rect x=\"")
          .append(LABEL_WIDTH)
          .append("\" y=\"")
          .append(y)
          .append("\" width=\"")
          .append(length)
          .append("\" height=\"")
          .append(BAR_HEIGHT)
          .append("\" fill=\"")
          .append(BAR_COLOUR)
          .append("\"/>")
          .append("<text x=\"")
          .append(LABEL_WIDTH + length + 6)
          .append("\" y=\"")
          .append(y + BAR_HEIGHT / 2 + 5)
          .append(
              "\" font-family=\"Arial, sans-serif\" font-size=\"16\" font-weight=\"bold\" fill=\"")
          .append(TEXT_COLOUR)
          .append("\">")
          .append(bar.value())
          .append("</text>")
          .append("</g>");
    }
    return svg.append("</svg>").toString();
  }

  // the full label is in the table under the chart
  private static String shorten(String label) {
    return label.length() <= 30 ? label : label.substring(0, 29).strip() + "…";
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
