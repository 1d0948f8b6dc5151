package dev.syncprims.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs {@link ExitWithThreads} in a child JVM per mode. Nothing here waits for time to pass: the
 * worker waits for a line that the test writes (or never writes), so whether the JVM can exit is
 * decided by the daemon flag alone, and the timeout only ends a test that has already failed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExitWithThreadsTest {
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void destroyLeftovers() throws InterruptedException {
    for (Process p : started) {
      if (p.isAlive()) {
        p.destroyForcibly();
        p.waitFor();
      }
    }
  }

  private Process start(String mode) throws IOException {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                ExitWithThreads.class.getName(),
                mode)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    started.add(p);
    return p;
  }

  private static BufferedReader output(Process p) {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }

  /** The lines printed after "main returns", up to the end of the output. */
  private static List<String> rest(BufferedReader out) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      lines.add(line);
    }
    return lines;
  }

  @Test
  void aNonDaemonThreadKeepsTheJvmUpAfterMainReturns() throws Exception {
    Process p = start("non-daemon");
    BufferedReader out = output(p);

    assertEquals(ExitWithThreads.MAIN_RETURNS, out.readLine());
    // The worker waits for a line nobody has written yet: the JVM cannot have exited.
    assertTrue(p.isAlive(), "the JVM exited although a non-daemon thread was running");

    try (OutputStream in = p.getOutputStream()) {
      in.write("go\n".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(List.of(ExitWithThreads.WORKER_FINISHED), rest(out));
    assertEquals(0, p.waitFor());
  }

  @Test
  void aDaemonThreadIsAbandonedWhenMainReturns() throws Exception {
    Process p = start("daemon");
    BufferedReader out = output(p);

    assertEquals(ExitWithThreads.MAIN_RETURNS, out.readLine());
    // Standard input stays open and empty: the worker is still waiting when the JVM exits.
    assertEquals(List.of(), rest(out));
    assertEquals(0, p.waitFor());
    p.getOutputStream().close();
  }

  @Test
  void aPendingTimeoutDoesNotKeepTheJvmUp() throws Exception {
    Process p = start("timer");
    BufferedReader out = output(p);

    assertEquals(ExitWithThreads.MAIN_RETURNS, out.readLine());
    List<String> after = rest(out);
    assertEquals(0, p.waitFor());
    assertFalse(after.contains(ExitWithThreads.TIMER_TASK_RAN), after.toString());
    assertEquals(List.of(), after);
  }
}
