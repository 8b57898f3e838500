package uk.gov.islington.youthsafety.api.console;

import io.nayuki.qrcodegen.QrCode;

/**
 * A QR code drawn on the server as inline SVG: the secret it carries never goes to a third party.
 */
final class QrCodeSvg {

  private QrCodeSvg() {}

  static String of(String text, String label) {
    QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
    int border = 4;
    int size = qr.size + border * 2;
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < qr.size; y++) {
      for (int x = 0; x < qr.size; x++) {
        if (qr.getModule(x, y)) {
          path.append('M').append(x + border).append(',').append(y + border).append("h1v1h-1z");
        }
      }
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\""
        + label
        + "\" width=\"240\" height=\"240\""
        + " viewBox=\"0 0 "
        + size
        + " "
        + size
        + "\" shape-rendering=\"crispEdges\">"
        + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/><path d=\""
        + path
        + "\" fill=\"#000000\"/></svg>";
  }
}
