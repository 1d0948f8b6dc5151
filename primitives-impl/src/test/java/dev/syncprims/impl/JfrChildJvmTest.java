package dev.syncprims.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncprims.Mutex;
import dev.syncprims.childjvm.ContendedMain;
import dev.syncprims.childjvm.DeadlockMain;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library's JFR support as applications meet it, each case in a JVM of its own (the programs
 * are {@link ContendedMain} and {@link DeadlockMain}; the library and its API are taken from where
 * this test loaded them, as modules on the module path or on the class path):
 *
 * <ul>
 *   <li>where {@code jdk.jfr} is not resolved ({@code --limit-modules}), on the module path and
 *       on the class path, a contended mutex works;
 *   <li>where it is there but nothing records, a contended wait loads no event class (loading one
 *       would bring up JFR's metadata);
 *   <li>with {@code -XX:StartFlightRecording} and {@code docs/syncprims.jfc}, on the module path
 *       (where the option resolves {@code jdk.jfr}), the wait is recorded;
 *   <li>with deadlock detection on (a JVM-wide property, hence a JVM of its own), a refused wait
 *       is recorded as {@code dev.syncprims.DeadlockDetected}.
 * </ul>
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JfrChildJvmTest {

  /** How long a child JVM may run: it starts, contends once, and exits. */
  private static final long CHILD_SECONDS = 90;

  /** What a child JVM printed (standard output and error) and its exit code. */
  private static final class Run {
    final int exitCode;
    final String output;

    Run(int exitCode, String output) {
      this.exitCode = exitCode;
      this.output = output;
    }

    Run assertOk() {
      assertEquals(0, exitCode, () -> "exit code of the child JVM; it printed:\n" + output);
      assertTrue(output.contains("\nok") || output.startsWith("ok"), () -> "no \"ok\" in:\n" + output);
      return this;
    }
  }

  /** Runs {@code java} with {@code args}; fails if it does not end within {@link #CHILD_SECONDS}. */
  private static Run java(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1"); // a short program: start fast, spare the machine
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              try (InputStream in = p.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                return "(output not read: " + e + ")";
              }
            });
    if (!p.waitFor(CHILD_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(
          "the child JVM did not end within " + CHILD_SECONDS + " s: " + command + "\n" + output.join());
    }
    return new Run(p.exitValue(), output.join());
  }

  /** Where {@code c} was loaded from: a directory of classes or a jar. */
  private static String location(Class<?> c) {
    try {
      return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  /** The library's modules: primitives-impl and primitives-api. */
  private static String libraryPath() {
    return location(Primitives.class) + File.pathSeparator + location(Mutex.class);
  }

  /** The child programs. */
  private static String programPath() {
    return location(ContendedMain.class);
  }

  /** The repository's {@code docs/syncprims.jfc}: the tests run in the module's directory. */
  private static Path settingsFile() {
    Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("docs/syncprims.jfc"))) {
      dir = dir.getParent();
    }
    assertTrue(dir != null, "no docs/syncprims.jfc above " + System.getProperty("user.dir"));
    return dir.resolve("docs/syncprims.jfc");
  }

  private static List<RecordedEvent> events(Path file, String name) throws IOException {
    List<RecordedEvent> found = new ArrayList<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      if (e.getEventType().getName().equals(name)) {
        found.add(e);
      }
    }
    return found;
  }

  @Test
  void aContendedMutexWorksOnTheModulePathWithoutJfr() throws Exception {
    Run run =
        java(
            Arrays.asList(
                "--module-path", libraryPath(),
                "--add-modules", "dev.syncprims.impl",
                "--limit-modules", "java.base,dev.syncprims.impl",
                "-cp", programPath(),
                ContendedMain.class.getName(), "30"));

    run.assertOk();
    assertTrue(run.output.contains("jdk.jfr resolved: false"), run.output);
  }

  @Test
  void aContendedMutexWorksOnTheClassPathWithoutJfr() throws Exception {
    Run run =
        java(
            Arrays.asList(
                "--limit-modules", "java.base",
                "-cp", libraryPath() + File.pathSeparator + programPath(),
                ContendedMain.class.getName(), "30"));

    run.assertOk();
    assertTrue(run.output.contains("jdk.jfr resolved: false"), run.output);
  }

  @Test
  void withoutARecordingAContendedWaitLoadsNoEventClass() throws Exception {
    Run run =
        java(
            Arrays.asList(
                "-Xlog:class+load=info:stdout",
                "-cp", libraryPath() + File.pathSeparator + programPath(),
                ContendedMain.class.getName(), "0"));

    run.assertOk();
    assertTrue(run.output.contains("jdk.jfr resolved: true"), "jdk.jfr is there");
    assertTrue(
        run.output.contains(" " + JfrEvents.class.getName() + " "),
        "the wait asked JfrEvents whether to record");
    // By name: a class literal would load the event class in this JVM too.
    for (String event : List.of("ContendedEvent", "TimerLateEvent", "DeadlockDetectedEvent")) {
      String name = JfrEvents.class.getPackageName() + "." + event;
      assertFalse(run.output.contains(" " + name + " "), name + " was loaded");
    }
    assertFalse(run.output.contains("jdk.jfr.internal.MetadataRepository "), "JFR was brought up");
  }

  @Test
  void aRecordingWithTheSettingsFileRecordsTheWaitOnTheModulePath(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("contended.jfr");
    Run run =
        java(
            Arrays.asList(
                "-XX:StartFlightRecording:settings=" + settingsFile() + ",filename=" + file,
                "--module-path", libraryPath(),
                "--add-modules", "dev.syncprims.impl",
                "-cp", programPath(),
                ContendedMain.class.getName(), "50"));

    run.assertOk();
    assertTrue(run.output.contains("jdk.jfr resolved: true"), run.output);
    List<RecordedEvent> contended = new ArrayList<>();
    for (RecordedEvent e : events(file, ContendedEvent.NAME)) {
      if ("child-waiter".equals(e.getThread().getJavaName())) {
        contended.add(e);
      }
    }
    assertEquals(1, contended.size(), () -> "one Contended event by child-waiter: " + contended);
    RecordedEvent e = contended.get(0);
    assertEquals(QueuedMutex.class.getName(), e.getClass("primitiveClass").getName());
    assertEquals("main", e.getThread("owner").getJavaName());
    assertTrue(e.getString("primitive").startsWith("QueuedMutex@"), e.getString("primitive"));
    assertTrue(e.getBoolean("acquired"));
    assertTrue(e.getDuration().toMillis() >= 50, "held 50 ms after the waiter parked: " + e);
  }

  @Test
  void aRefusedDeadlockIsRecorded(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("deadlock.jfr");
    Run run =
        java(
            Arrays.asList(
                "-D" + DeadlockDetection.PROPERTY + "=true",
                "-XX:StartFlightRecording:settings=" + settingsFile() + ",filename=" + file,
                "-cp", libraryPath() + File.pathSeparator + programPath(),
                DeadlockMain.class.getName()));

    run.assertOk();
    List<RecordedEvent> found = events(file, DeadlockDetectedEvent.NAME);
    assertEquals(1, found.size(), () -> "one DeadlockDetected event: " + found + "\n" + run.output);
    RecordedEvent e = found.get(0);
    assertEquals("main", e.getThread().getJavaName(), "recorded by the refused thread");
    assertEquals(2, e.getInt("cycleLength"));
    assertEquals("\"main\", \"child-first\"", e.getString("threads"));
    assertTrue(run.output.contains(e.getString("message")), "the exception's message: " + e);
    String primitives = e.getString("primitives");
    assertTrue(
        primitives.matches("QueuedMutex@\\p{XDigit}+\\[locked by \"child-first\".*; QueuedMutex@.*"),
        primitives);
  }
}
