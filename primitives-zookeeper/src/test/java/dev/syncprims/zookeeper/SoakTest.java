package dev.syncprims.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.test.TestingServer;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several clients mixing lock, timed tryLock, acquire(n) and release(n) while sessions are killed
 * at random; then the invariants: the fenced counter lost no update, the pool is full again, and
 * no lock or lease node is left in ZooKeeper.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SoakTest {
  private static final int CLIENTS = 3;
  private static final int THREADS_PER_CLIENT = 2;
  private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(15);
  private static final int KILLS = 6;
  private static final int PERMITS = 3;
  private static final String BASE = "/soak";

  /**
   * A counter behind a fencing check: a read registers the reader's token, and a write with a
   * token below the highest registered is refused. Exclusion among valid holders and fencing of
   * stale ones together mean that no update is lost.
   */
  static final class FencedCounter {
    private long highest = Long.MIN_VALUE;
    private long value;

    synchronized long read(long token) {
      highest = Math.max(highest, token);
      return value;
    }

    synchronized boolean write(long token, long newValue) {
      if (token < highest) {
        return false;
      }
      highest = token;
      value = newValue;
      return true;
    }

    synchronized long value() {
      return value;
    }
  }

  @Test
  void randomOperationsAndSessionKillsKeepTheInvariants() throws Exception {
    long seed = System.nanoTime();
    System.out.println("SoakTest seed " + seed);
    try (TestingServer server = new TestingServer(true)) {
      String connect = server.getConnectString();
      List<CuratorFramework> clients = new ArrayList<>();
      List<ZooKeeperPrimitives> jvms = new ArrayList<>();
      AtomicInteger lostSessions = new AtomicInteger();
      for (int i = 0; i < CLIENTS; i++) {
        CuratorFramework c = ZkTesting.client(connect, 6_000);
        clients.add(c);
        c.getConnectionStateListenable().addListener((cf, state) -> {
          if (state == ConnectionState.LOST) {
            lostSessions.incrementAndGet();
          }
        });
        jvms.add(ZooKeeperPrimitives.using(c, BASE));
      }
      try {
        FencedCounter counter = new FencedCounter();
        AtomicLong accepted = new AtomicLong();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger lost = new AtomicInteger();
        AtomicInteger lockOps = new AtomicInteger();
        AtomicInteger leaseOps = new AtomicInteger();
        long end = System.nanoTime() + RUN_NANOS;
        try (ZkTesting.Threads threads = new ZkTesting.Threads()) {
          for (int c = 0; c < CLIENTS; c++) {
            ZooKeeperPrimitives zk = jvms.get(c);
            for (int t = 0; t < THREADS_PER_CLIENT; t++) {
              SplittableRandom rnd = new SplittableRandom(seed + 31L * c + t);
              threads.start("c" + c + "t" + t, () -> {
                DistributedMutex mutex = zk.mutex("counter");
                DistributedReentrantMutex reentrant = zk.reentrantMutex("counter");
                DistributedSemaphore pool = zk.semaphore("pool", PERMITS);
                while (System.nanoTime() - end < 0) {
                  try {
                    if (rnd.nextBoolean()) {
                      boolean got;
                      if (rnd.nextBoolean()) {
                        mutex.lock();
                        got = true;
                      } else {
                        got = reentrant.tryLock(rnd.nextInt(1, 200), TimeUnit.MILLISECONDS);
                      }
                      if (got) {
                        lockOps.incrementAndGet();
                        try {
                          long token = mutex.ownership().fencingToken();
                          long v = counter.read(token);
                          Thread.sleep(rnd.nextInt(5, 30)); // hold a while: a kill may land here
                          if (counter.write(token, v + 1)) {
                            accepted.incrementAndGet();
                          } else {
                            refused.incrementAndGet();
                          }
                        } finally {
                          mutex.unlock();
                        }
                      }
                    } else {
                      int n = rnd.nextInt(1, PERMITS + 1);
                      boolean got = rnd.nextBoolean()
                          ? pool.tryAcquire(n, rnd.nextInt(1, 200), TimeUnit.MILLISECONDS)
                          : acquire(pool, n);
                      if (got) {
                        leaseOps.incrementAndGet();
                        Thread.sleep(rnd.nextInt(5, 30));
                        pool.release(n);
                      }
                    }
                  } catch (OwnershipLostException e) {
                    lost.incrementAndGet(); // a killed session: the hold or the leases are gone
                  }
                }
              });
            }
          }
          SplittableRandom killerRnd = new SplittableRandom(seed);
          threads.start("killer", () -> {
            for (int k = 0; k < KILLS; k++) {
              long at = end - RUN_NANOS + (k + 1) * RUN_NANOS / (KILLS + 2);
              while (System.nanoTime() - at < 0) {
                Thread.sleep(20); // pacing the faults, not ordering threads
              }
              // Half of the kills aim at the client holding the lock at that moment, if any.
              int v = killerRnd.nextInt(CLIENTS);
              if (killerRnd.nextBoolean()) {
                for (int i = 0; i < CLIENTS; i++) {
                  if (jvms.get(i).mutex("counter").owner() != null) {
                    v = i;
                  }
                }
              }
              CuratorFramework victim = clients.get(v);
              ZkTesting.expireSession(victim, connect);
            }
          });
        }
        System.out.printf("SoakTest: %d lock holds (%d writes accepted, %d refused), %d lease holds,"
            + " %d operations ended by a lost session, %d sessions lost%n",
            lockOps.get(), accepted.get(), refused.get(), leaseOps.get(), lost.get(), lostSessions.get());
        assertTrue(lockOps.get() > 0 && leaseOps.get() > 0, "both primitives were exercised");
        assertEquals(accepted.get(), counter.value(), "no update lost");
        ZkTesting.await("every killed session was seen lost", () -> lostSessions.get() >= KILLS);

        for (CuratorFramework c : clients) {
          assertTrue(c.blockUntilConnected(30, TimeUnit.SECONDS));
        }
        for (ZooKeeperPrimitives zk : jvms) {
          assertEquals(0, zk.semaphore("pool", PERMITS).heldPermits());
        }
        ZkTesting.await("the pool is full again",
            () -> jvms.get(0).semaphore("pool", PERMITS).availablePermits() == PERMITS);
        List<String> leftovers = new ArrayList<>();
        ZkTesting.await("no lock or lease node is left", () -> {
          leftovers.clear();
          collectEphemeral(clients.get(0), BASE, leftovers);
          return leftovers.isEmpty();
        });
        assertTrue(!jvms.get(0).mutex("counter").isLocked());
      } finally {
        for (CuratorFramework c : clients) {
          c.close();
        }
      }
    }
  }

  private static boolean acquire(DistributedSemaphore pool, int n) throws InterruptedException {
    pool.acquire(n);
    return true;
  }

  /** Adds every ephemeral node under {@code path} (locks, leases, queue entries) to {@code out}. */
  private static void collectEphemeral(CuratorFramework client, String path, List<String> out) {
    try {
      Stat stat = client.checkExists().forPath(path);
      if (stat == null) {
        return;
      }
      if (stat.getEphemeralOwner() != 0) {
        out.add(path);
      }
      for (String child : client.getChildren().forPath(path)) {
        collectEphemeral(client, ZKPaths.makePath(path, child), out);
      }
    } catch (org.apache.zookeeper.KeeperException.NoNodeException e) {
      // deleted while walking: not a leftover
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
