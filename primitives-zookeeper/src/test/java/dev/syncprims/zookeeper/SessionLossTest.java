package dev.syncprims.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a holder sees when its session ends or its connection drops: validity, onLost, the lock or
 * the permits passing to a waiter, a fenced resource refusing the stale holder, and waits that end.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@SuppressWarnings("LockNotBeforeTry") // the scenarios lock, end the session, then unlock, step by step
class SessionLossTest {
  private static final AtomicInteger BASES = new AtomicInteger();

  private TestingServer server;
  private CuratorFramework clientA;
  private CuratorFramework clientB;
  private ZooKeeperPrimitives jvmA;
  private ZooKeeperPrimitives jvmB;

  @BeforeEach
  void start() throws Exception {
    server = new TestingServer(true);
    clientA = ZkTesting.client(server.getConnectString());
    clientB = ZkTesting.client(server.getConnectString());
    String base = "/loss" + BASES.incrementAndGet();
    jvmA = ZooKeeperPrimitives.using(clientA, base);
    jvmB = ZooKeeperPrimitives.using(clientB, base);
  }

  @AfterEach
  void stop() throws Exception {
    clientA.close();
    clientB.close();
    server.close();
  }

  @Test
  void anExpiredHolderIsToldTheLockPassesOnAndItsFencingTokenIsRefused() throws Exception {
    DistributedMutex a = jvmA.mutex("job");
    DistributedMutex b = jvmB.mutex("job");
    FencedResource storage = new FencedResource();
    a.lock();
    Ownership ownA = a.ownership();
    assertTrue(storage.write(ownA.fencingToken(), "a: first"));
    CountDownLatch lost = new CountDownLatch(1);
    AtomicReference<Thread> lostThread = new AtomicReference<>();
    ownA.onLost(() -> {
      lostThread.set(Thread.currentThread());
      lost.countDown();
    });
    AtomicLong tokenB = new AtomicLong();
    try (ZkTesting.Threads threads = new ZkTesting.Threads()) {
      Thread waiter = threads.start("b", () -> {
        b.lock();
        try {
          Ownership ownB = b.ownership();
          tokenB.set(ownB.fencingToken());
          assertTrue(storage.write(ownB.fencingToken(), "b"));
        } finally {
          b.unlock();
        }
      });
      ZkTesting.await("b is queued", () -> b.getQueueLength() == 1);

      ZkTesting.expireSession(clientA, server.getConnectString());

      assertTrue(lost.await(30, TimeUnit.SECONDS), "onLost ran");
      assertNotSame(Thread.currentThread(), lostThread.get());
      assertFalse(ownA.isValid());
      assertThrows(OwnershipLostException.class, ownA::checkValid);
      ZkTesting.Threads.join(waiter);
    }
    assertTrue(tokenB.get() > ownA.fencingToken(), tokenB + " > " + ownA.fencingToken());
    // The stale holder, unaware, writes again: the resource refuses it.
    assertFalse(storage.write(ownA.fencingToken(), "a: stale"));
    assertEquals(List.of("a: first", "b"), storage.log());

    AtomicInteger lateRuns = new AtomicInteger();
    Thread registering = Thread.currentThread();
    ownA.onLost(() -> {
      assertSame(registering, Thread.currentThread());
      lateRuns.incrementAndGet();
    });
    assertEquals(1, lateRuns.get(), "an action registered after the loss runs at once");
    assertTrue(a.isHeldByCurrentThread(), "the holder keeps its (invalid) ownership until it unlocks");
    assertSame(ownA, a.ownership());
    assertThrows(OwnershipLostException.class, a::unlock);
    assertFalse(a.isHeldByCurrentThread());
    assertThrows(IllegalMonitorStateException.class, a::ownership);

    // The client has a new session: the lock works again for it.
    assertTrue(a.tryLock(10, TimeUnit.SECONDS));
    assertTrue(a.ownership().isValid());
    assertTrue(a.ownership().fencingToken() > tokenB.get());
    a.unlock();
  }

  @Test
  void theLeasesOfAnExpiredJvmGoBackToThePoolAndCannotBeReleasedByIt() throws Exception {
    DistributedSemaphore a = jvmA.semaphore("pool", 2);
    DistributedSemaphore b = jvmB.semaphore("pool", 2);
    a.acquire(2);
    try (ZkTesting.Threads threads = new ZkTesting.Threads()) {
      Thread waiter = threads.start("b", () -> b.acquire(1));
      ZkTesting.await("b is queued", () -> b.getQueueLength() == 1);
      ZkTesting.expireSession(clientA, server.getConnectString());
      ZkTesting.Threads.join(waiter);
    }
    assertEquals(1, b.heldPermits());
    ZkTesting.await("a's leases are forgotten", () -> a.heldPermits() == 0);
    assertThrows(OwnershipLostException.class, () -> a.release(2));
    assertThrows(OwnershipLostException.class, () -> a.release(1));
    assertEquals(0, a.heldPermits());
    assertEquals(1, b.availablePermits(), "the failed releases changed nothing");
    b.release();
    assertEquals(2, a.availablePermits());
    a.acquire(2);
    a.release(2);
  }

  @Test
  void aDroppedConnectionSuspendsTheHoldAndWaitsEndOnTimeOrAfterReconnecting() throws Exception {
    DistributedMutex a = jvmA.mutex("net");
    DistributedMutex b = jvmB.mutex("net");
    a.lock();
    Ownership ownA = a.ownership();
    List<String> outcomes = new CopyOnWriteArrayList<>();
    try (ZkTesting.Threads threads = new ZkTesting.Threads()) {
      Thread untimed = threads.start("b-untimed", () -> {
        try {
          b.lock();
          outcomes.add("acquired");
          b.unlock();
        } catch (OwnershipLostException e) {
          outcomes.add("lost");
        }
      });
      ZkTesting.await("b is queued", () -> b.getQueueLength() == 1);
      server.stop();
      ZkTesting.await("the holder sees the suspension", () -> !ownA.isValid());

      // A timed wait started while disconnected ends: within its timeout plus what the client's
      // retry policy spends on one request (4 attempts of at most 2 s here).
      long t0 = System.nanoTime();
      boolean got = jvmB.mutex("net").tryLock(500, TimeUnit.MILLISECONDS);
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertFalse(got);
      assertTrue(waitedMs < 500 + 20_000, "waited " + waitedMs + " ms");

      server.restart();
      ZkTesting.await("the holder's session is back or known lost",
          () -> ownA.isValid() || ((SessionOwnership) ownA).isLost());
      if (ownA.isValid()) {
        a.unlock();
      } else {
        assertThrows(OwnershipLostException.class, a::unlock);
      }
      ZkTesting.Threads.join(untimed);
    }
    assertEquals(1, outcomes.size(), outcomes.toString());
    if (!outcomes.get(0).equals("acquired") && !outcomes.get(0).equals("lost")) {
      fail(outcomes.toString());
    }
    assertTrue(b.tryLock(20, TimeUnit.SECONDS), "the lock works after the outage");
    b.unlock();
  }
}
