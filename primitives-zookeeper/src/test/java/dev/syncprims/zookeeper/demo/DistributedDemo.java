package dev.syncprims.zookeeper.demo;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.syncprims.Held;
import dev.syncprims.zookeeper.DistributedMutex;
import dev.syncprims.zookeeper.DistributedSemaphore;
import dev.syncprims.zookeeper.Ownership;
import dev.syncprims.zookeeper.OwnershipLostException;
import dev.syncprims.zookeeper.ZooKeeperPrimitives;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.ZooKeeper;

/**
 * The runnable demo of the ZooKeeper module ({@code ./demo-zookeeper}): an embedded ZooKeeper
 * server and three worker JVMs that contend for one {@link DistributedMutex} and one
 * {@link DistributedSemaphore} with two permits, printing who holds what. Worker 2 then "pauses"
 * while holding the lock (as a long garbage-collection pause would make it); its session is ended
 * under it, the lock passes on, and when worker 2 wakes up and writes with its old fencing token,
 * the storage refuses it.
 *
 * <p>{@code main()} with no argument is the coordinator; {@code main("worker", n, connectString,
 * storageFile)} is a worker (with a fifth argument {@code "pause"}, the one that pauses; the
 * coordinator ends its session). A worker runs unchanged against a real ensemble: give it the
 * ensemble's connect string ({@code "zk1:2181,zk2:2181,zk3:2181"}).
 */
public final class DistributedDemo {
  private DistributedDemo() {}

  private static final String BASE = "/demo";
  private static final String PAUSED = BASE + "/paused-session";
  private static final int ROUNDS = 3;

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("worker")) {
      worker(Integer.parseInt(args[1]), args[2], Path.of(args[3]), args.length > 4 && args[4].equals("pause"));
    } else {
      coordinator();
    }
  }

  // ---- the coordinator: a ZooKeeper server, three worker JVMs, and the session killer ----

  private static void coordinator() throws Exception {
    Path storage = Files.createTempFile("fenced-storage", ".txt");
    try (TestingServer server = new TestingServer(true)) {
      String connect = server.getConnectString();
      say("coordinator", "embedded ZooKeeper at " + connect + "; starting 3 worker JVMs");
      List<Process> workers = new ArrayList<>();
      for (int n = 1; n <= 3; n++) {
        workers.add(new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=off",
                DistributedDemo.class.getName(), "worker", Integer.toString(n), connect, storage.toString(),
                n == 2 ? "pause" : "run")
            .inheritIO()
            .start());
      }
      CuratorFramework client = client(connect);
      try {
        killThePausedSession(client, connect);
      } finally {
        client.close();
      }
      int failures = 0;
      for (Process p : workers) {
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          failures++;
        } else if (p.exitValue() != 0) {
          failures++;
        }
      }
      say("coordinator", "storage holds: " + Files.readString(storage, UTF_8).replace('\n', ' '));
      say("coordinator", failures == 0 ? "done" : failures + " worker(s) failed");
      if (failures != 0) {
        System.exit(1);
      }
    } finally {
      Files.deleteIfExists(storage);
    }
  }

  /** Waits for worker 2 to announce its pause, then ends its session as a partition would. */
  private static void killThePausedSession(CuratorFramework client, String connect) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (client.checkExists().forPath(PAUSED) == null) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("worker 2 never paused");
      }
      Thread.sleep(50);
    }
    String idAndPassword = new String(client.getData().forPath(PAUSED), UTF_8);
    int space = idAndPassword.indexOf(' ');
    long sessionId = Long.parseLong(idAndPassword.substring(0, space));
    byte[] password = java.util.HexFormat.of().parseHex(idAndPassword.substring(space + 1));
    say("coordinator", "ending the session 0x" + Long.toHexString(sessionId) + " of worker 2");
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper sameSession = new ZooKeeper(connect, 10_000, e -> {
      if (e.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    }, sessionId, password);
    if (!connected.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("could not reach worker 2's session");
    }
    sameSession.close(); // closing a session ends it on the server: its ephemeral nodes go
    client.delete().forPath(PAUSED);
  }

  // ---- a worker JVM ----

  private static void worker(int n, String connect, Path storage, boolean pause) throws Exception {
    String me = "worker-" + n;
    CuratorFramework client = client(connect);
    try {
      ZooKeeperPrimitives zk = ZooKeeperPrimitives.using(client, BASE);
      DistributedMutex lock = zk.mutex("report");
      DistributedSemaphore pool = zk.semaphore("crawlers", 2);
      for (int round = 1; round <= ROUNDS; round++) {
        Held permit = pool.acquired();
        try {
          say(me, "holds a crawler permit (" + pool.availablePermits() + " of 2 left cluster-wide)");
          Thread.sleep(200);
        } finally {
          permit.close();
        }
        lock.lock();
        try {
          Ownership own = lock.ownership();
          say(me, "holds the lock, fencing token " + own.fencingToken());
          if (pause && round == 2) {
            pauseAndWriteLate(me, client, own, storage);
          } else {
            boolean written = FencedStorage.write(storage, own.fencingToken(), me + " round " + round);
            say(me, written ? "wrote to storage" : "storage REFUSED token " + own.fencingToken());
            Thread.sleep(100);
          }
        } finally {
          try {
            lock.unlock();
          } catch (OwnershipLostException e) {
            say(me, "unlock(): OwnershipLostException: " + e.getMessage());
          }
        }
      }
      say(me, "finished");
    } finally {
      client.close();
    }
  }

  /**
   * Worker 2's bad day: it stops (a long GC pause, say) while holding the lock; its session is
   * ended; the others take the lock and write. When it wakes up it writes with its old token.
   */
  private static void pauseAndWriteLate(
      String me, CuratorFramework client, Ownership own, Path storage)
      throws Exception {
    CountDownLatch lost = new CountDownLatch(1);
    own.onLost(() -> {
      say(me, "onLost: my ZooKeeper session ended; the lock is no longer mine");
      lost.countDown();
    });
    ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
    say(me, "pausing while holding the lock (as in a long GC pause)...");
    client.create().creatingParentsIfNeeded().forPath(PAUSED,
        (zk.getSessionId() + " " + java.util.HexFormat.of().formatHex(zk.getSessionPasswd())).getBytes(UTF_8));
    if (!lost.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the session was never ended");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (FencedStorage.highestToken(storage) <= own.fencingToken()) { // someone newer has written
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("nobody took the lock after worker 2");
      }
      Thread.sleep(50);
    }
    say(me, "wakes up, isValid()=" + own.isValid() + ", writes with its old token " + own.fencingToken());
    boolean written = FencedStorage.write(storage, own.fencingToken(), me + " (stale)");
    say(me, written ? "wrote to storage (this must not happen)" : "storage REFUSED stale token " + own.fencingToken());
    if (written) {
      throw new IllegalStateException("the stale write was accepted");
    }
  }

  /**
   * A file that refuses writes whose fencing token is below the highest it has accepted. The first
   * line is the highest token; a file lock makes check-and-write atomic across processes.
   */
  static final class FencedStorage {
    private FencedStorage() {}

    static boolean write(Path file, long token, String entry) throws IOException {
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw");
          FileChannel ch = raf.getChannel()) {
        FileLock fileLock = ch.lock(); // released when the channel closes
        if (!fileLock.isValid()) {
          throw new IOException("lost the lock of " + file);
        }
        String text = Files.readString(file, UTF_8);
        long highest = text.isBlank() ? Long.MIN_VALUE : Long.parseLong(text.lines().findFirst().orElseThrow());
        if (token < highest) {
          return false;
        }
        String rest = text.isBlank() ? "" : text.substring(text.indexOf('\n') + 1);
        Files.writeString(file, token + "\n" + rest + entry + " [token " + token + "]\n", UTF_8);
        return true;
      }
    }

    static long highestToken(Path file) throws IOException {
      String text = Files.readString(file, UTF_8);
      return text.isBlank() ? Long.MIN_VALUE : Long.parseLong(text.lines().findFirst().orElseThrow());
    }
  }

  private static CuratorFramework client(String connect) throws InterruptedException {
    CuratorFramework c = CuratorFrameworkFactory.builder()
        .connectString(connect)
        .sessionTimeoutMs(10_000)
        .connectionTimeoutMs(5_000)
        .retryPolicy(new ExponentialBackoffRetry(100, 5))
        .build();
    c.start();
    if (!c.blockUntilConnected(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("cannot connect to ZooKeeper at " + connect);
    }
    return c;
  }

  private static void say(String who, String what) {
    System.out.printf("%-12s %s%n", who, what);
  }
}
