package dev.syncprims.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportRendererTest {

  @Test
  void writesThePageAndTheChartsAndKeepsWhatIsWrittenByHand(@TempDir Path docs) throws IOException {
    Path charts = Files.createDirectories(docs.resolve("benchmarks"));
    Files.writeString(charts.resolve("throughput-semaphore.svg"), "<svg/>"); // no longer measured
    Files.writeString(charts.resolve("timer-lateness.svg"), "<svg/>"); // not the renderer's
    Files.writeString(
        docs.resolve("benchmarks.md"),
        "# Benchmarks\n\n" + Report.BEGIN + "\nold\n" + Report.END + "\n\n## Timer\n\nBy hand.\n");

    Path page = ReportRenderer.render(Fixture.directory(), docs);

    String md = Files.readString(page, StandardCharsets.UTF_8);
    assertTrue(md.startsWith("# Benchmarks\n\n" + Report.BEGIN + "\n"), md);
    assertTrue(md.endsWith(Report.END + "\n\n## Timer\n\nBy hand.\n"), md);
    assertFalse(md.contains("\nold\n"), md);
    assertTrue(Files.exists(charts.resolve("throughput-baseline.svg")));
    assertTrue(Files.exists(charts.resolve("throughput-mutex-work-0.svg")));
    assertTrue(Files.exists(charts.resolve("throughput-mutex-work-100.svg")));
    assertFalse(Files.exists(charts.resolve("throughput-semaphore.svg")));
    assertTrue(Files.exists(charts.resolve("timer-lateness.svg")));
  }

  @Test
  void aPageWithBrokenMarkersFailsTheCheckAndIsNotRendered(@TempDir Path docs) throws IOException {
    String cut = "# Benchmarks\n\n" + Report.BEGIN + "\nold\n\n## Semaphores\n\nBy hand.\n";
    Files.writeString(docs.resolve("benchmarks.md"), cut);

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ReportRenderer.check(docs));
    assertTrue(e.getMessage().contains("but no " + Report.END), e.getMessage());
    assertThrows(
        IllegalStateException.class, () -> ReportRenderer.render(Fixture.directory(), docs));

    assertEquals(cut, Files.readString(docs.resolve("benchmarks.md")));
    assertFalse(Files.exists(docs.resolve("benchmarks")), "no chart is written either");
  }

  @Test
  void theCheckAcceptsAMissingPageAndAGoodOne(@TempDir Path docs) throws IOException {
    assertEquals(docs.resolve("benchmarks.md"), ReportRenderer.check(docs));
    Files.writeString(
        docs.resolve("benchmarks.md"), "# B\n\n" + Report.BEGIN + "\nold\n" + Report.END + "\n");
    ReportRenderer.check(docs);
  }

  @Test
  void renderingTwiceGivesTheSamePage(@TempDir Path docs) throws IOException {
    String first = Files.readString(ReportRenderer.render(Fixture.directory(), docs));
    String svg = Files.readString(docs.resolve("benchmarks/throughput-baseline.svg"));

    String second = Files.readString(ReportRenderer.render(Fixture.directory(), docs));

    assertEquals(first, second);
    assertEquals(svg, Files.readString(docs.resolve("benchmarks/throughput-baseline.svg")));
  }
}
