package dev.syncprims.bench.report;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The fixed results directory of the report's tests, {@code src/test/resources/report-fixture}. */
final class Fixture {
  private Fixture() {}

  static Path directory() {
    URL url = Fixture.class.getResource("/report-fixture/run.properties");
    if (url == null) {
      throw new IllegalStateException("report-fixture is not on the test class path");
    }
    try {
      return Paths.get(url.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
