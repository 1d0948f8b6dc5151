package dev.syncprims.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncprims.Fairness;
import dev.syncprims.Held;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code CountingSemaphore} contract of the distributed semaphore, on an in-process ZooKeeper
 * server; separate clients stand for separate JVMs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DistributedSemaphoreContractTest {
  private static TestingServer server;
  private static CuratorFramework clientA;
  private static CuratorFramework clientB;
  private static CuratorFramework clientC;
  private static final AtomicInteger BASES = new AtomicInteger();

  private ZooKeeperPrimitives jvmA;
  private ZooKeeperPrimitives jvmB;
  private ZooKeeperPrimitives jvmC;

  @BeforeAll
  static void startServer() throws Exception {
    server = new TestingServer(true);
    clientA = ZkTesting.client(server.getConnectString());
    clientB = ZkTesting.client(server.getConnectString());
    clientC = ZkTesting.client(server.getConnectString());
  }

  @AfterAll
  static void stopServer() throws Exception {
    clientA.close();
    clientB.close();
    clientC.close();
    server.close();
  }

  @BeforeEach
  void freshBasePath() {
    String base = "/contract/semaphore" + BASES.incrementAndGet();
    jvmA = ZooKeeperPrimitives.using(clientA, base);
    jvmB = ZooKeeperPrimitives.using(clientB, base);
    jvmC = ZooKeeperPrimitives.using(clientC, base);
  }

  @Test
  void permitsAreCountedClusterWide() throws Exception {
    DistributedSemaphore a = jvmA.semaphore("pool", 3);
    DistributedSemaphore b = jvmB.semaphore("pool", 3);
    assertEquals(3, a.maxPermits());
    assertEquals(Fairness.FIFO, a.fairness());
    assertEquals(3, b.availablePermits());
    a.acquire(2);
    assertEquals(2, a.heldPermits());
    assertEquals(1, b.availablePermits());
    assertTrue(b.tryAcquire());
    assertFalse(b.tryAcquire(), "pool empty");
    assertFalse(a.tryAcquire(200, TimeUnit.MILLISECONDS));
    assertEquals(0, a.availablePermits());
    a.release(2);
    b.release();
    assertEquals(3, a.availablePermits());
    assertEquals(0, a.heldPermits());
    assertEquals(0, b.heldPermits());
  }

  @Test
  void anyThreadOfTheJvmMayReleaseItsLeases() throws Exception {
    DistributedSemaphore a = jvmA.semaphore("any", 2);
    a.acquire(2);
    try (ZkTesting.Threads threads = new ZkTesting.Threads()) {
      threads.start("other", () -> a.release(2));
    }
    assertEquals(2, a.availablePermits());
  }

  @Test
  void releasingMoreThanTheJvmHoldsThrowsAndChangesNothing() throws Exception {
    DistributedSemaphore a = jvmA.semaphore("over", 3);
    DistributedSemaphore b = jvmB.semaphore("over", 3);
    b.acquire(2);
    a.acquire(1);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.release(2));
    assertTrue(e.getMessage().contains("release(2)"), e.getMessage());
    assertEquals(1, a.heldPermits());
    assertEquals(0, a.availablePermits());
    assertThrows(IllegalStateException.class, () -> a.release(4));
    assertThrows(IllegalArgumentException.class, () -> a.release(-1));
    a.release(0);
    assertEquals(1, a.heldPermits());
    a.release();
    b.release(2);
    assertEquals(3, a.availablePermits());
  }

  @Test
  void badPermitArgumentsAreRejectedBeforeAnythingElse() throws Exception {
    DistributedSemaphore a = jvmA.semaphore("args", 2);
    assertThrows(IllegalArgumentException.class, () -> a.acquire(-1));
    assertThrows(IllegalArgumentException.class, () -> a.acquire(3));
    assertThrows(IllegalArgumentException.class, () -> a.tryAcquire(3));
    assertThrows(IllegalArgumentException.class, () -> a.tryAcquire(3, 1, TimeUnit.SECONDS));
    assertThrows(IllegalArgumentException.class, () -> a.acquireUninterruptibly(-2));
    assertThrows(NullPointerException.class, () -> a.tryAcquire(1, 1, null));
    a.acquire(0);
    assertTrue(a.tryAcquire(0));
    assertEquals(0, a.heldPermits());
    assertEquals(2, a.availablePermits());
  }

  @Test
  void anInterruptStatusOnEntryThrowsClearsAndTakesNothing() {
    DistributedSemaphore a = jvmA.semaphore("intr", 1);
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, a::acquire);
    assertFalse(Thread.interrupted());
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> a.tryAcquire(1, TimeUnit.SECONDS));
    assertFalse(Thread.interrupted());
    assertEquals(1, a.availablePermits());
    Thread.currentThread().interrupt();
    a.acquireUninterruptibly();
    assertTrue(Thread.interrupted(), "status kept");
    a.release();
  }

  @Test
  void aMultiPermitHeadIsNotOvertakenAndTakesAllOrNothing() throws Exception {
    DistributedSemaphore a = jvmA.semaphore("head", 2);
    DistributedSemaphore b = jvmB.semaphore("head", 2);
    DistributedSemaphore c = jvmC.semaphore("head", 2);
    a.acquire(1);
    try (ZkTesting.Threads threads = new ZkTesting.Threads()) {
      threads.start("b-wants-2", () -> b.acquire(2));
      ZkTesting.await("b is queued", () -> a.getQueueLength() == 1);
      assertTrue(a.hasQueuedThreads());
      assertFalse(c.tryAcquire(), "a later request for one does not overtake the head");
      assertFalse(c.tryAcquire(1, 200, TimeUnit.MILLISECONDS));
      assertEquals(0, c.heldPermits());
      a.release(1);
    }
    assertEquals(2, b.heldPermits());
    assertEquals(0, a.availablePermits());
    b.release(2);
    assertEquals(2, a.availablePermits());
  }

  @Test
  void aTimedOutOrInterruptedHeadGivesBackWhatItHadTaken() throws Exception {
    DistributedSemaphore a = jvmA.semaphore("partial", 3);
    DistributedSemaphore b = jvmB.semaphore("partial", 3);
    a.acquire(2);
    assertFalse(b.tryAcquire(3, 300, TimeUnit.MILLISECONDS));
    assertEquals(0, b.heldPermits());
    ZkTesting.await("the pool is as before", () -> a.availablePermits() == 1);
    try (ZkTesting.Threads threads = new ZkTesting.Threads()) {
      Thread waiter = threads.start("b", () -> assertThrows(InterruptedException.class, () -> b.acquire(3)));
      // Wait until b holds the queue and has a lease node waiting for the pool, so that the
      // interrupt ends the wait for a release (an interrupt that lands inside a request to
      // ZooKeeper leaves the node to Curator's background delete instead).
      ZkTesting.await("b is queued and waits for leases",
          () -> a.getQueueLength() == 1 && a.availablePermits() == 0 && waitingState(threads, "b"));
      waiter.interrupt();
      ZkTesting.Threads.join(waiter);
    }
    assertEquals(0, b.heldPermits());
    ZkTesting.await("the pool is as before", () -> a.availablePermits() == 1 && a.getQueueLength() == 0);
    a.release(2);
    assertEquals(3, b.availablePermits());
  }

  private static boolean waitingState(ZkTesting.Threads threads, String name) {
    Thread t = threads.find(name);
    Thread.State st = t.getState();
    return st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING;
  }

  @Test
  void twoJvmsAskingForAllPermitsAtOnceNeverDeadlock() throws Exception {
    DistributedSemaphore a = jvmA.semaphore("all", 2);
    DistributedSemaphore b = jvmB.semaphore("all", 2);
    AtomicInteger inside = new AtomicInteger();
    try (ZkTesting.Threads threads = new ZkTesting.Threads()) {
      for (DistributedSemaphore s : List.of(a, b)) {
        threads.start("t-" + s.hashCode(), () -> {
          for (int i = 0; i < 15; i++) {
            s.acquire(2);
            assertEquals(1, inside.incrementAndGet(), "two permits of two: exclusive");
            inside.decrementAndGet();
            s.release(2);
          }
        });
      }
    }
    assertEquals(2, a.availablePermits());
  }

  @Test
  void requestsAreServedInArrivalOrder() throws Exception {
    DistributedSemaphore a = jvmA.semaphore("order", 1);
    a.acquire();
    List<String> order = new CopyOnWriteArrayList<>();
    try (ZkTesting.Threads threads = new ZkTesting.Threads()) {
      List<ZooKeeperPrimitives> jvms = List.of(jvmB, jvmC);
      for (int i = 0; i < jvms.size(); i++) {
        DistributedSemaphore s = jvms.get(i).semaphore("order", 1);
        String id = "w" + i;
        threads.start(id, () -> {
          s.acquire();
          order.add(id);
          s.release();
        });
        int queued = i + 1;
        ZkTesting.await(id + " is queued", () -> a.getQueueLength() == queued);
      }
      a.release();
    }
    assertEquals(List.of("w0", "w1"), order);
  }

  @Test
  void acquiredReturnsAHandleThatReleasesExactlyOnce() throws Exception {
    DistributedSemaphore a = jvmA.semaphore("held", 3);
    Held h = a.acquired(2);
    assertEquals(1, a.availablePermits());
    h.close();
    assertEquals(3, a.availablePermits());
    assertThrows(IllegalStateException.class, h::close);
    try (Held one = a.acquired()) {
      assertEquals(1, a.heldPermits());
      assertTrue(one != null);
    }
    assertEquals(0, a.heldPermits());
  }

  @Test
  void drainTakesWhatIsAvailable() throws Exception {
    DistributedSemaphore a = jvmA.semaphore("drain", 3);
    DistributedSemaphore b = jvmB.semaphore("drain", 3);
    b.acquire();
    assertEquals(2, a.drainPermits());
    assertEquals(2, a.heldPermits());
    assertEquals(0, a.drainPermits());
    a.release(2);
    b.release();
  }

  @Test
  void theStoredMaximumIsSharedAndADifferentOneIsRefused() {
    DistributedSemaphore a = jvmA.semaphore("max", 4);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> jvmB.semaphore("max", 5));
    assertTrue(e.getMessage().contains("maxPermits=4"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> jvmA.semaphore("max", 3));
    assertEquals(4, jvmC.semaphore("max", 4).maxPermits());
    assertEquals(4, a.availablePermits());
  }
}
