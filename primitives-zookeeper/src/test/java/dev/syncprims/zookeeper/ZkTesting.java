package dev.syncprims.zookeeper;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import java.util.concurrent.CountDownLatch;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * What the tests of this module share: clients that stand for separate JVMs, waits that order
 * threads without sleeping, and threads whose failures reach the test.
 */
final class ZkTesting {
  private ZkTesting() {}

  /** How long a test waits for something it expects before failing instead of hanging. */
  static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(40);

  /**
   * A started client with a short retry policy (3 retries, 200 ms apart), so that a wait that
   * ZooKeeper cannot serve ends within seconds.
   */
  static CuratorFramework client(String connectString, int sessionTimeoutMs) {
    CuratorFramework c =
        CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .sessionTimeoutMs(sessionTimeoutMs)
            .connectionTimeoutMs(2_000)
            .retryPolicy(new RetryNTimes(3, 200))
            .build();
    c.start();
    try {
      if (!c.blockUntilConnected(30, TimeUnit.SECONDS)) {
        fail("client did not connect to " + connectString);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return c;
  }

  static CuratorFramework client(String connectString) {
    return client(connectString, 10_000);
  }

  /** Ends the client's session on the server, as a long pause or a partition would. */
  static void expireSession(CuratorFramework c, String connectString) throws Exception {
    // The session to end is the one the client has once connected (not one being replaced).
    if (!c.getZookeeperClient().blockUntilConnectedOrTimedOut()) {
      await("the client to end is connected", () -> c.getZookeeperClient().isConnected());
    }
    ZooKeeper victim = c.getZookeeperClient().getZooKeeper();
    CountDownLatch answered = new CountDownLatch(1);
    // A second handle on the same session, closed at once: the server ends the session, deletes
    // its ephemeral nodes, and the victim learns it is expired when it next talks to the server.
    // If the server says the session is already gone, there is nothing left to end.
    ZooKeeper sameSession = new ZooKeeper(connectString, 10_000, e -> {
      if (e.getState() == Watcher.Event.KeeperState.SyncConnected
          || e.getState() == Watcher.Event.KeeperState.Expired) {
        answered.countDown();
      }
    }, victim.getSessionId(), victim.getSessionPasswd());
    try {
      if (!answered.await(20, TimeUnit.SECONDS)) {
        fail("the server did not answer a second handle on the session to end");
      }
    } finally {
      sameSession.close();
    }
  }

  /** Waits until {@code condition} holds; fails with {@code what} after {@link #PATIENCE_NANOS}. */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + PATIENCE_NANOS;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("gave up waiting until " + what);
      }
      try {
        Thread.sleep(5); // polling ZooKeeper or a thread state; never used to order threads
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting until " + what, e);
      }
    }
  }

  /** The threads a test starts; close() joins them and rethrows the first failure. */
  static final class Threads implements AutoCloseable {
    /** Code run by a test thread; whatever it throws fails the test. */
    interface Body {
      void run() throws Exception;
    }

    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

    Thread start(String name, Body body) {
      Thread t =
          new Thread(
              () -> {
                try {
                  body.run();
                } catch (Throwable e) {
                  failures.add(e);
                }
              },
              name);
      t.setDaemon(true);
      threads.add(t);
      t.start();
      return t;
    }

    /** The thread started with {@code name}. */
    Thread find(String name) {
      return threads.stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
    }

    /** Joins {@code t}, failing after the patience. */
    static void join(Thread t) throws InterruptedException {
      t.join(TimeUnit.NANOSECONDS.toMillis(PATIENCE_NANOS));
      if (t.isAlive()) {
        fail(t.getName() + " did not finish");
      }
    }

    @Override
    public void close() {
      long deadline = System.nanoTime() + PATIENCE_NANOS;
      List<String> stuck = new ArrayList<>();
      for (Thread t : threads) {
        long left = deadline - System.nanoTime();
        try {
          t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while joining " + t.getName(), e);
        }
        if (t.isAlive()) {
          stuck.add(t.getName());
          t.interrupt();
        }
      }
      AssertionError error = null;
      if (!stuck.isEmpty()) {
        error = new AssertionError("threads did not finish: " + stuck);
      }
      for (Throwable f : failures) {
        if (error == null) {
          error = new AssertionError("a test thread failed: " + f, f);
        } else {
          error.addSuppressed(f);
        }
      }
      if (error != null) {
        throw error;
      }
    }
  }
}
