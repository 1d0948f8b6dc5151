package dev.syncprims.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
  void renderingTwiceGivesTheSamePage(@TempDir Path docs) throws IOException {
    String first = Files.readString(ReportRenderer.render(Fixture.directory(), docs));
    String svg = Files.readString(docs.resolve("benchmarks/throughput-baseline.svg"));

    String second = Files.readString(ReportRenderer.render(Fixture.directory(), docs));

    assertEquals(first, second);
    assertEquals(svg, Files.readString(docs.resolve("benchmarks/throughput-baseline.svg")));
  }
}
