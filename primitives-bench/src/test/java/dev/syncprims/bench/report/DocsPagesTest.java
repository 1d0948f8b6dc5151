package dev.syncprims.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The pages of the repository as they are committed: {@code docs/benchmarks.md} keeps its
 * generated block and every chart it shows, and no page of {@code docs/} or the README links a
 * file that does not exist.
 */
class DocsPagesTest {
  /** A Markdown link or image: {@code [text](target)} or {@code ![alt](target)}. */
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

  /** The repository's root: the tests run in the module's directory. */
  private static Path root() {
    Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
      dir = dir.getParent();
    }
    assertTrue(dir != null, "no docs/ directory above " + System.getProperty("user.dir"));
    return dir;
  }

  @Test
  void theBenchmarkPageHasItsGeneratedBlock() throws IOException {
    String page = Files.readString(root().resolve("docs/benchmarks.md"), StandardCharsets.UTF_8);

    Report.checkPage(page);
    int begin = page.indexOf(Report.BEGIN);
    int end = page.indexOf(Report.END);
    assertTrue(begin >= 0, "docs/benchmarks.md has no " + Report.BEGIN);
    assertTrue(end > begin, "docs/benchmarks.md has no " + Report.END + " after its begin marker");
  }

  @Test
  void theBenchmarkPageLinksEveryChartOnDiskAndOnlyThose() throws IOException {
    Path docs = root().resolve("docs");
    String page = Files.readString(docs.resolve("benchmarks.md"), StandardCharsets.UTF_8);

    List<String> linked = new ArrayList<>();
    Matcher m = LINK.matcher(page);
    while (m.find()) {
      if (m.group(1).matches("benchmarks/throughput-.*\\.svg")) {
        linked.add(m.group(1).substring("benchmarks/".length()));
      }
    }
    List<String> onDisk;
    try (Stream<Path> files = Files.list(docs.resolve("benchmarks"))) {
      onDisk =
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.matches("throughput-.*\\.svg"))
              .sorted()
              .toList();
    }
    assertEquals(onDisk, linked.stream().sorted().toList());
  }

  @Test
  void everyRelativeLinkOfTheReadmeAndTheGuideLeadsToAFile() throws IOException {
    Path root = root();
    List<Path> pages = new ArrayList<>();
    pages.add(root.resolve("README.md"));
    try (Stream<Path> files = Files.list(root.resolve("docs"))) {
      files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    List<String> broken = new ArrayList<>();
    for (Path page : pages) {
      Matcher m = LINK.matcher(Files.readString(page, StandardCharsets.UTF_8));
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("[a-z]+:.*") || target.startsWith("#")) {
          continue; // another site, or a heading of the same page
        }
        int hash = target.indexOf('#');
        Path file = page.getParent().resolve(hash < 0 ? target : target.substring(0, hash));
        if (!Files.exists(file.normalize())) {
          broken.add(root.relativize(page) + ": " + target);
        }
      }
    }
    assertEquals(List.of(), broken);
  }
}
