package dev.syncprims.zookeeper;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two real processes: this JVM and a second one started with the test class path, each
 * incrementing a counter file under the same distributed mutex (or under all the permits of the
 * same semaphore). No update is lost.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CrossProcessTest {
  private static final int ITERATIONS = 40;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"mutex", "semaphore"})
  void twoProcessesNeverLoseAnUpdate(String mode) throws Exception {
    try (TestingServer server = new TestingServer(true)) {
      Path counter = dir.resolve("counter-" + mode);
      Path log = dir.resolve("child-" + mode + ".log");
      String base = "/cross-" + mode;
      Process child = startChild(server.getConnectString(), base, mode, counter, log);
      try {
        CuratorFramework client = ZkTesting.client(server.getConnectString());
        try {
          ZooKeeperPrimitives zk = ZooKeeperPrimitives.using(client, base);
          // Start together: the child announces that it is connected and about to loop.
          ZkTesting.await("the second JVM is ready", () -> {
            try {
              return client.checkExists().forPath(base + "/ready") != null || !child.isAlive();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
          CounterWorker.run(zk, mode.equals("mutex"), counter, ITERATIONS);
          if (!child.waitFor(90, TimeUnit.SECONDS)) {
            fail("the second JVM did not finish:\n" + Files.readString(log));
          }
          assertEquals(0, child.exitValue(), "the second JVM failed:\n" + Files.readString(log));
          assertEquals(2 * ITERATIONS, Long.parseLong(Files.readString(counter, US_ASCII).trim()));
          if (mode.equals("semaphore")) {
            assertEquals(CounterWorker.PERMITS, zk.semaphore("counter", CounterWorker.PERMITS).availablePermits());
          } else {
            assertEquals(false, zk.mutex("counter").isLocked());
          }
        } finally {
          client.close();
        }
      } finally {
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  private static Process startChild(String connect, String base, String mode, Path counter, Path log)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = List.of(
        java,
        "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
        "-Dorg.slf4j.simpleLogger.log.org.apache.zookeeper=off",
        "-Dorg.slf4j.simpleLogger.log.org.apache.curator=off",
        CounterWorker.class.getName(),
        connect, base, mode, counter.toString(), Integer.toString(ITERATIONS));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .directory(new File(System.getProperty("user.dir")))
        .start();
  }
}
