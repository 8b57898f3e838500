package uk.gov.islington.youthsafety.api.house;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every pointer into the documents leads somewhere: a Markdown link to its file and heading, and a
 * mention in code or contract such as {@code docs/operations.md, "Keys"} to that file and a heading
 * of that name (or one that begins with it). Applied migrations are left out: Flyway checksums
 * them, so their comments keep naming the documents as they were when they ran.
 */
class DocumentLinksTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern MARKDOWN_LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
  private static final Pattern MENTION =
      Pattern.compile("(docs/[\\w/.-]+\\.md)(?:,\\s*(?:\\*\\s*)?\"([^\"]+)\")?");
  private static final Pattern FENCE =
      Pattern.compile("^```.*?^```", Pattern.MULTILINE | Pattern.DOTALL);
  private static final Set<String> SOURCE_TYPES =
      Set.of(".java", ".yaml", ".sh", ".jte", ".xml", ".md", ".sql");

  private final Map<Path, List<String>> headings = new HashMap<>();

  @Test
  void markdownLinksLeadToAFileAndHeading() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path doc : files(f -> f.toString().endsWith(".md"))) {
      String text = FENCE.matcher(Files.readString(doc)).replaceAll("");
      Matcher link = MARKDOWN_LINK.matcher(text);
      while (link.find()) {
        String target = link.group(1);
        if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
          continue;
        }
        String[] parts = target.split("#", 2);
        Path file = parts[0].isEmpty() ? doc : doc.getParent().resolve(parts[0]).normalize();
        if (!Files.exists(file)) {
          broken.add(ROOT.relativize(doc) + ": " + target + " (no such file)");
        } else if (parts.length == 2
            && file.toString().endsWith(".md")
            && !anchors(file).contains(parts[1])) {
          broken.add(ROOT.relativize(doc) + ": " + target + " (no such heading)");
        }
      }
    }
    assertThat(broken).isEmpty();
  }

  @Test
  void mentionsOfADocumentNameAFileAndHeadingThatExist() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path source :
        files(
            f ->
                SOURCE_TYPES.stream().anyMatch(t -> f.toString().endsWith(t))
                    && !f.toString().contains("/db/"))) {
      Matcher mention = MENTION.matcher(Files.readString(source));
      while (mention.find()) {
        Path file = ROOT.resolve(mention.group(1));
        // a mention may wrap across lines, as comments and prose do
        String heading =
            mention.group(2) == null
                ? null
                : mention.group(2).replaceAll("\\s*\\n\\s*(?:\\*|#|--)?\\s*", " ").strip();
        if (!Files.exists(file)) {
          broken.add(ROOT.relativize(source) + ": " + mention.group(1) + " (no such file)");
        } else if (heading != null
            && headings(file).stream()
                .noneMatch(h -> h.equals(heading) || h.startsWith(heading + " "))) {
          broken.add(
              ROOT.relativize(source)
                  + ": "
                  + mention.group(1)
                  + ", \""
                  + heading
                  + "\" (no such heading)");
        }
      }
    }
    assertThat(broken).isEmpty();
  }

  private static List<Path> files(java.util.function.Predicate<Path> wanted) throws IOException {
    try (Stream<Path> all = Files.walk(ROOT)) {
      return all.filter(Files::isRegularFile)
          .filter(
              f -> {
                String relative = ROOT.relativize(f).toString();
                return !relative.startsWith(".git")
                    && !relative.contains("target/")
                    && !relative.contains("node_modules/");
              })
          .filter(wanted)
          .toList();
    }
  }

  private List<String> headings(Path markdown) throws IOException {
    List<String> found = headings.get(markdown);
    if (found == null) {
      found = new ArrayList<>();
      for (String line : FENCE.matcher(Files.readString(markdown)).replaceAll("").split("\n")) {
        if (line.matches("^#{1,6} .*")) {
          found.add(line.replaceFirst("^#+ ", "").strip());
        }
      }
      headings.put(markdown, found);
    }
    return found;
  }

  /** GitHub's anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
  private Set<String> anchors(Path markdown) throws IOException {
    Set<String> out = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String heading : headings(markdown)) {
      String slug =
          heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
      int n = seen.merge(slug, 1, Integer::sum);
      out.add(n == 1 ? slug : slug + "-" + (n - 1));
    }
    return out;
  }
}
