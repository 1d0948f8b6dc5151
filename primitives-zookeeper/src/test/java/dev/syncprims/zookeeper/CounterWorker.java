package dev.syncprims.zookeeper;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.syncprims.Held;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;

/**
 * A JVM of its own for {@link CrossProcessTest}: increments a counter kept in a file, under a
 * distributed mutex or under all the permits of a distributed semaphore, a given number of times.
 *
 * <p>Arguments: connect string, base path, {@code mutex} or {@code semaphore}, counter file,
 * iterations. Exit status 0 when every increment was made.
 */
public final class CounterWorker {
  private CounterWorker() {}

  /** The permits of the semaphore the workers share; each increment takes all of them. */
  static final int PERMITS = 2;

  public static void main(String[] args) throws Exception {
    String connect = args[0];
    String base = args[1];
    boolean mutex = args[2].equals("mutex");
    Path counter = Path.of(args[3]);
    int iterations = Integer.parseInt(args[4]);
    CuratorFramework client = ZkTesting.client(connect);
    try {
      ZooKeeperPrimitives zk = ZooKeeperPrimitives.using(client, base);
      client.create().creatingParentsIfNeeded().forPath(base + "/ready");
      run(zk, mutex, counter, iterations);
    } finally {
      client.close();
    }
  }

  /** The loop, shared by the child JVM and the test's own JVM. */
  static void run(ZooKeeperPrimitives zk, boolean mutex, Path counter, int iterations) throws Exception {
    DistributedMutex lock = zk.mutex("counter");
    DistributedSemaphore permits = zk.semaphore("counter", PERMITS);
    for (int i = 0; i < iterations; i++) {
      Held h = mutex ? lock.locked() : permits.acquired(PERMITS);
      try {
        increment(counter);
      } finally {
        h.close();
      }
    }
  }

  /** A read-modify-write that loses updates unless it is exclusive. */
  static void increment(Path counter) throws Exception {
    String text = Files.exists(counter) ? Files.readString(counter, US_ASCII).trim() : "";
    long value = text.isEmpty() ? 0 : Long.parseLong(text);
    Thread.sleep(0, (int) TimeUnit.MICROSECONDS.toNanos(100)); // widen the window a lost update needs
    Files.writeString(counter, Long.toString(value + 1), US_ASCII);
  }
}
