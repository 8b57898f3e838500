package uk.gov.islington.youthsafety.api.console;

import java.util.List;

/**
 * What the layout of every console page needs: the page's title (prefixed "Error: " when the page
 * shows an error), where the assets are, who is signed in and their navigation, and the session's
 * CSRF token for the sign-out form (null when nobody is signed in), and what the service cannot do
 * as configured (shown to signed-in staff only).
 */
public record Frame(
    String title,
    boolean error,
    String assets,
    String user,
    String csrf,
    List<NavItem> nav,
    List<String> warnings) {

  public record NavItem(String label, String href, boolean current) {}

  public Frame withError(boolean isError) {
    return new Frame(title, isError, assets, user, csrf, nav, warnings);
  }
}
