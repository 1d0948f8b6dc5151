package dev.syncprims.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncprims.Fairness;
import dev.syncprims.Held;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@code Mutex} and {@code ReentrantMutex} contracts of the distributed locks, on an
 * in-process ZooKeeper server; separate clients stand for separate JVMs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@SuppressWarnings("LockNotBeforeTry") // the scenarios lock, check the state, then unlock, step by step
class DistributedMutexContractTest {
  private static TestingServer server;
  private static CuratorFramework clientA;
  private static CuratorFramework clientB;
  private static CuratorFramework clientC;
  private static final AtomicInteger BASES = new AtomicInteger();

  private ZooKeeperPrimitives jvmA;
  private ZooKeeperPrimitives jvmB;
  private ZooKeeperPrimitives jvmC;

  /** Which view of the lock a test uses. */
  enum Kind {
    MUTEX,
    REENTRANT;

    Lock of(ZooKeeperPrimitives zk, String name) {
      return this == MUTEX ? zk.mutex(name) : zk.reentrantMutex(name);
    }
  }

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
    String base = "/contract/mutex" + BASES.incrementAndGet();
    jvmA = ZooKeeperPrimitives.using(clientA, base);
    jvmB = ZooKeeperPrimitives.using(clientB, base);
    jvmC = ZooKeeperPrimitives.using(clientC, base);
  }

  private static Ownership ownership(Lock lock) {
    return lock instanceof DistributedMutex m ? m.ownership() : ((DistributedReentrantMutex) lock).ownership();
  }

  private static int queueLength(Lock lock) {
    return lock instanceof DistributedMutex m
        ? m.getQueueLength()
        : ((DistributedReentrantMutex) lock).getQueueLength();
  }

  private static boolean isLocked(Lock lock) {
    return lock instanceof DistributedMutex m ? m.isLocked() : ((DistributedReentrantMutex) lock).isLocked();
  }

  private static boolean isHeldByCurrentThread(Lock lock) {
    return lock instanceof DistributedMutex m
        ? m.isHeldByCurrentThread()
        : ((DistributedReentrantMutex) lock).isHeldByCurrentThread();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aFreeLockIsTakenAndReleasedWithAValidOwnership(Kind kind) {
    Lock lock = kind.of(jvmA, "free");
    DistributedMutex seenFromB = jvmB.mutex("free");
    assertFalse(seenFromB.isLocked());
    lock.lock();
    Ownership own = ownership(lock);
    assertTrue(own.isValid());
    own.checkValid();
    assertTrue(own.fencingToken() > 0);
    assertTrue(isHeldByCurrentThread(lock));
    assertTrue(seenFromB.isLocked(), "cluster-wide");
    assertNull(seenFromB.owner(), "the holder uses another client");
    assertEquals(0, seenFromB.getQueueLength());
    assertTrue(lock.toString().contains(Thread.currentThread().getName()), lock.toString());
    lock.unlock();
    assertFalse(isHeldByCurrentThread(lock));
    assertFalse(seenFromB.isLocked());
    assertFalse(isLocked(lock));
  }

  @Test
  void theLockReportsFifoAndRefusesConditions() {
    assertEquals(Fairness.FIFO, jvmA.mutex("f").fairness());
    assertEquals(Fairness.FIFO, jvmA.reentrantMutex("f").fairness());
    assertThrows(UnsupportedOperationException.class, () -> jvmA.mutex("f").newCondition());
    assertThrows(UnsupportedOperationException.class, () -> jvmA.reentrantMutex("f").newCondition());
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void anotherJvmCannotTakeAHeldLockAndATimedTryWaitsItsTimeout(Kind kind) throws Exception {
    Lock a = kind.of(jvmA, "excl");
    Lock b = kind.of(jvmB, "excl");
    a.lock();
    try (ZkTesting.Threads threads = new ZkTesting.Threads()) {
      threads.start("b", () -> {
        assertFalse(b.tryLock());
        assertFalse(b.tryLock(0, TimeUnit.SECONDS));
        assertFalse(b.tryLock(-5, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        assertFalse(b.tryLock(300, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(300), "waited the timeout");
      });
    }
    assertEquals(0, queueLength(a), "a timed-out waiter leaves the queue");
    a.unlock();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aWaiterInAnotherJvmGetsTheLockOnUnlockWithAGreaterToken(Kind kind) throws Exception {
    Lock a = kind.of(jvmA, "handoff");
    Lock b = kind.of(jvmB, "handoff");
    a.lock();
    long tokenA = ownership(a).fencingToken();
    List<Long> tokenB = new CopyOnWriteArrayList<>();
    try (ZkTesting.Threads threads = new ZkTesting.Threads()) {
      threads.start("b", () -> {
        b.lock();
        tokenB.add(ownership(b).fencingToken());
        b.unlock();
      });
      ZkTesting.await("b is queued", () -> queueLength(a) == 1);
      assertTrue(tokenB.isEmpty());
      a.unlock();
    }
    assertEquals(1, tokenB.size());
    assertTrue(tokenB.get(0) > tokenA, tokenB + " > " + tokenA);
  }

  @Test
  void theHolderOfAMutexIsRefusedEveryWaitingMethod() throws Exception {
    DistributedMutex m = jvmA.mutex("self");
    m.lock();
    assertThrows(IllegalStateException.class, m::lock);
    assertThrows(IllegalStateException.class, m::lockInterruptibly);
    assertThrows(IllegalStateException.class, () -> m.tryLock(1, TimeUnit.SECONDS));
    assertFalse(m.tryLock());
    assertThrows(IllegalStateException.class, m::locked);
    assertTrue(m.isHeldByCurrentThread());
    m.unlock();
    assertFalse(m.isLocked());
  }

  @Test
  void aReentrantHolderRelocksWithTheSameTokenAndTheOutermostUnlockReleases() throws Exception {
    DistributedReentrantMutex r = jvmA.reentrantMutex("re");
    DistributedMutex other = jvmB.mutex("re");
    r.lock();
    long token = r.ownership().fencingToken();
    assertTrue(r.tryLock());
    assertTrue(r.tryLock(1, TimeUnit.SECONDS));
    r.lockInterruptibly();
    assertEquals(4, r.getHoldCount());
    assertEquals(token, r.ownership().fencingToken());
    r.unlock();
    r.unlock();
    r.unlock();
    assertTrue(other.isLocked());
    r.unlock();
    assertEquals(0, r.getHoldCount());
    assertFalse(other.isLocked());
  }

  @Test
  void mutexAndReentrantMutexOfOneNameAreOneLock() throws Exception {
    DistributedMutex m = jvmA.mutex("same");
    DistributedReentrantMutex r = jvmA.reentrantMutex("same");
    m.lock();
    try (ZkTesting.Threads threads = new ZkTesting.Threads()) {
      threads.start("other-thread", () -> {
        assertFalse(r.tryLock());
        assertFalse(jvmB.reentrantMutex("same").tryLock());
        assertSame(null, r.owner() == Thread.currentThread() ? r.owner() : null);
      });
    }
    assertTrue(r.isHeldByCurrentThread(), "the reentrant view sees the same holder");
    m.unlock();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void unlockByAnotherThreadOrOfAFreeLockThrowsAndChangesNothing(Kind kind) throws Exception {
    Lock lock = kind.of(jvmA, "foreign");
    assertThrows(IllegalMonitorStateException.class, lock::unlock);
    lock.lock();
    try (ZkTesting.Threads threads = new ZkTesting.Threads()) {
      threads.start("foreign", () -> {
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
        Lock sameName = kind.of(jvmA, "foreign");
        assertThrows(IllegalMonitorStateException.class, sameName::unlock);
        assertThrows(IllegalMonitorStateException.class, () -> ownership(lock));
      });
    }
    assertTrue(isHeldByCurrentThread(lock));
    assertTrue(jvmB.mutex("foreign").isLocked());
    lock.unlock();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void anInterruptStatusOnEntryThrowsAndLeavesNoNode(Kind kind) {
    Lock lock = kind.of(jvmA, "intr");
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, lock::lockInterruptibly);
    assertFalse(Thread.interrupted(), "cleared");
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> lock.tryLock(1, TimeUnit.SECONDS));
    assertFalse(Thread.interrupted(), "cleared");
    assertFalse(isLocked(lock));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void anInterruptWhileWaitingThrowsAndLeavesTheQueue(Kind kind) throws Exception {
    Lock a = kind.of(jvmA, "intr-wait");
    Lock b = kind.of(jvmB, "intr-wait");
    a.lock();
    try (ZkTesting.Threads threads = new ZkTesting.Threads()) {
      Thread waiter = threads.start("b", () -> {
        assertThrows(InterruptedException.class, b::lockInterruptibly);
        assertFalse(Thread.currentThread().isInterrupted());
      });
      ZkTesting.await("b is queued", () -> queueLength(a) == 1);
      waiter.interrupt();
      ZkTesting.Threads.join(waiter);
    }
    ZkTesting.await("b's node is gone", () -> queueLength(a) == 0);
    a.unlock();
    assertFalse(isLocked(a));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void lockWaitsThroughAnInterruptAndReturnsWithTheStatusSet(Kind kind) throws Exception {
    Lock a = kind.of(jvmA, "unintr");
    Lock b = kind.of(jvmB, "unintr");
    a.lock();
    try (ZkTesting.Threads threads = new ZkTesting.Threads()) {
      Thread waiter = threads.start("b", () -> {
        b.lock();
        assertTrue(Thread.interrupted(), "status kept");
        b.unlock();
      });
      ZkTesting.await("b is queued", () -> queueLength(a) == 1);
      waiter.interrupt();
      ZkTesting.await("b is queued again after the interrupt",
          () -> queueLength(a) == 1 && waiter.isAlive());
      a.unlock();
    }
    assertFalse(isLocked(a));
  }

  @Test
  void waitersOfThreeJvmsAreServedInArrivalOrder() throws Exception {
    DistributedMutex a = jvmA.mutex("fifo");
    a.lock();
    List<String> order = new CopyOnWriteArrayList<>();
    List<ZooKeeperPrimitives> jvms = List.of(jvmB, jvmC, jvmA);
    try (ZkTesting.Threads threads = new ZkTesting.Threads()) {
      for (int i = 0; i < jvms.size(); i++) {
        DistributedMutex m = jvms.get(i).mutex("fifo");
        String id = "w" + i;
        threads.start(id, () -> {
          m.lock();
          order.add(id);
          m.unlock();
        });
        int queued = i + 1;
        ZkTesting.await(id + " is queued", () -> a.getQueueLength() == queued);
      }
      a.unlock();
    }
    assertEquals(List.of("w0", "w1", "w2"), order);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void lockedReturnsAHandleThatUnlocksExactlyOnce(Kind kind) {
    Held h = kind == Kind.MUTEX ? jvmA.mutex("held").locked() : jvmA.reentrantMutex("held").locked();
    DistributedMutex seen = jvmB.mutex("held");
    assertTrue(seen.isLocked());
    h.close();
    assertFalse(seen.isLocked());
    assertThrows(IllegalMonitorStateException.class, h::close);
    DistributedReentrantMutex r = jvmA.reentrantMutex("held2");
    try (Held outer = r.locked()) {
      Held inner = r.locked();
      inner.close();
      assertThrows(IllegalStateException.class, inner::close);
      assertEquals(1, r.getHoldCount());
      assertTrue(outer != null);
    }
    assertEquals(0, r.getHoldCount());
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void theMonitoringQueriesSeeTheThreadsOfThisJvmAndRejectForeignConditions(Kind kind) throws Exception {
    Lock a = kind.of(jvmA, "monitoring");
    DistributedMutex m = jvmA.mutex("monitoring");
    DistributedReentrantMutex r = jvmA.reentrantMutex("monitoring");
    jvmB.mutex("monitoring").lock();
    try {
      try (ZkTesting.Threads threads = new ZkTesting.Threads()) {
        Thread waiter = threads.start("waiter", () -> {
          a.lock();
          a.unlock();
        });
        ZkTesting.await("the waiter is queued", () -> m.hasQueuedThread(waiter) && r.hasQueuedThread(waiter));
        assertFalse(m.hasQueuedThread(Thread.currentThread()));
        assertThrows(NullPointerException.class, () -> m.hasQueuedThread(null));
        assertThrows(NullPointerException.class, () -> r.hasQueuedThread(null));
        jvmB.mutex("monitoring").unlock();
        ZkTesting.Threads.join(waiter);
        assertFalse(m.hasQueuedThread(waiter));
      }
    } finally {
      if (jvmB.mutex("monitoring").isHeldByCurrentThread()) {
        jvmB.mutex("monitoring").unlock();
      }
    }
    java.util.concurrent.locks.Condition foreign = new java.util.concurrent.locks.ReentrantLock().newCondition();
    assertThrows(IllegalArgumentException.class, () -> m.hasWaiters(foreign));
    assertThrows(IllegalArgumentException.class, () -> r.getWaitQueueLength(foreign));
    assertThrows(NullPointerException.class, () -> m.getWaitQueueLength(null));
    assertThrows(NullPointerException.class, () -> r.hasWaiters(null));
  }

  @Test
  void aNullUnitIsRejectedFirst() {
    DistributedMutex m = jvmA.mutex("nulls");
    Thread.currentThread().interrupt();
    assertThrows(NullPointerException.class, () -> m.tryLock(1, null));
    assertTrue(Thread.interrupted(), "checked before the interrupt status");
    assertThrows(NullPointerException.class, () -> jvmA.reentrantMutex("nulls").tryLock(1, null));
  }

  @Test
  void manyThreadsOfTwoJvmsNeverHoldTogether() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    int[] counter = {0};
    List<ZooKeeperPrimitives> jvms = new ArrayList<>(List.of(jvmA, jvmA, jvmB, jvmB));
    try (ZkTesting.Threads threads = new ZkTesting.Threads()) {
      for (int t = 0; t < jvms.size(); t++) {
        DistributedMutex m = jvms.get(t).mutex("count");
        threads.start("t" + t, () -> {
          for (int i = 0; i < 25; i++) {
            m.lock();
            try {
              assertEquals(1, inside.incrementAndGet());
              counter[0]++;
              inside.decrementAndGet();
            } finally {
              m.unlock();
            }
          }
        });
      }
    }
    assertEquals(100, counter[0]);
  }
}
