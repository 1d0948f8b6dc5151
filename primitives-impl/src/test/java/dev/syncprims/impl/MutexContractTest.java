package dev.syncprims.impl;

import static dev.syncprims.impl.TestThreads.awaitCondition;
import static dev.syncprims.impl.TestThreads.awaitParked;
import static dev.syncprims.impl.TestThreads.awaitTerminated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncprims.Fairness;
import dev.syncprims.Held;
import dev.syncprims.Mutex;
import dev.syncprims.ReentrantMutex;
import dev.syncprims.impl.LockUnderTest.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract that {@link Mutex} and {@link ReentrantMutex} share, run on both in both fairness
 * modes, and the self-deadlock detection that only {@link Mutex} has. Re-locking by the holder of
 * a {@link ReentrantMutex} is in {@link ReentrantMutexContractTest}, conditions in {@link
 * MutexConditionTest}.
 *
 * <p>No test sleeps to order threads: a test waits until the other thread is visibly queued
 * ({@code getQueueLength()}) and parked ({@code Thread.getState()}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MutexContractTest {

  static Stream<Arguments> kindsAndFairness() {
    return LockUnderTest.kindsAndFairness();
  }

  /** Every kind, fairness and acquire method satisfying {@code filter}. */
  private static Stream<Arguments> withMethods(Predicate<Acquire> filter) {
    return LockUnderTest.kindsAndFairness()
        .flatMap(
            a ->
                Stream.of(Acquire.values())
                    .filter(filter)
                    .map(m -> Arguments.of(a.get()[0], a.get()[1], m)));
  }

  static Stream<Arguments> everyMethod() {
    return withMethods(m -> true);
  }

  static Stream<Arguments> waitingMethods() {
    return withMethods(m -> m.waits);
  }

  static Stream<Arguments> interruptibleMethods() {
    return withMethods(m -> m.interruptible);
  }

  static Stream<Arguments> interruptibleWaitingMethods() {
    return withMethods(m -> m.interruptible && m.waits);
  }

  static Stream<Arguments> uninterruptibleMethods() {
    return withMethods(m -> !m.interruptible);
  }

  static Stream<Arguments> nonWaitingMethods() {
    return withMethods(m -> !m.waits);
  }

  // -----------------------------------------------------------------------------------------
  // Creation and queries

  @ParameterizedTest
  @MethodSource("kindsAndFairness")
  void aNewLockIsFreeAndReportsItsFairness(Kind kind, Fairness fairness) {
    LockUnderTest lock = kind.create(fairness);
    assertFree(lock);
    assertEquals(fairness, lock.fairness());
  }

  @Test
  void theFactoriesDefaultToBarging() {
    assertEquals(Fairness.BARGING, Primitives.mutex().fairness());
    assertEquals(Fairness.BARGING, Primitives.reentrantMutex().fairness());
    assertEquals(Fairness.BARGING, new QueuedMutex().fairness());
    assertEquals(Fairness.BARGING, new QueuedReentrantMutex().fairness());
    assertFalse(Primitives.mutex().isLocked());
    assertFalse(Primitives.reentrantMutex().isLocked());
  }

  @Test
  void aNullFairnessIsRejectedNamingTheParameter() {
    Fairness none = nullFairness();
    for (Runnable create :
        List.<Runnable>of(
            () -> Primitives.mutex(none),
            () -> Primitives.reentrantMutex(none),
            () -> new QueuedMutex(none),
            () -> new QueuedReentrantMutex(none))) {
      NullPointerException e = assertThrows(NullPointerException.class, create::run);
      assertNotNull(e.getMessage());
      assertTrue(e.getMessage().contains("fairness"), e.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("everyMethod")
  void everyAcquireMethodTakesAFreeLock(Kind kind, Fairness fairness, Acquire method)
      throws InterruptedException {
    LockUnderTest lock = kind.create(fairness);
    Acquire.Release release = method.acquire(lock);
    assertNotNull(release, method + " failed on a free lock");
    assertTrue(lock.isLocked());
    assertTrue(lock.isHeldByCurrentThread());
    assertSame(Thread.currentThread(), lock.owner());
    assertEquals(1, lock.holdCount());
    assertFalse(lock.hasQueuedThreads());
    assertEquals(0, lock.getQueueLength());
    release.release();
    assertFree(lock);
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @ParameterizedTest
  @MethodSource("kindsAndFairness")
  void queriesAndToStringFromAnotherThread(Kind kind, Fairness fairness) throws Exception {
    LockUnderTest lock = kind.create(fairness);
    assertTrue(lock.toString().contains("unlocked"), lock.toString());
    assertTrue(lock.toString().contains("0 queued"), lock.toString());
    try (TestThreads threads = new TestThreads("queries")) {
      Holder holder = new Holder(threads, lock);
      assertTrue(lock.isLocked());
      assertFalse(lock.isHeldByCurrentThread());
      assertSame(holder.thread, lock.owner());
      assertEquals(0, lock.holdCount());
      assertFalse(lock.hasQueuedThreads());
      assertEquals(0, lock.getQueueLength());
      assertTrue(lock.toString().contains(holder.thread.getName()), lock.toString());

      Thread w1 = startQueued(threads, "w1", lock, Acquire.LOCK, 1);
      assertTrue(lock.hasQueuedThreads());
      Thread w2 = startQueued(threads, "w2", lock, Acquire.LOCK_INTERRUPTIBLY, 2);
      assertEquals(2, lock.getQueueLength());
      assertTrue(lock.toString().contains("2 queued"), lock.toString());
      assertTrue(lock.toString().contains(holder.thread.getName()), lock.toString());
      assertSame(holder.thread, lock.owner());

      holder.release();
      awaitTerminated(w1);
      awaitTerminated(w2);
    }
    assertFree(lock);
  }

  // -----------------------------------------------------------------------------------------
  // Misuse

  @ParameterizedTest
  @MethodSource("kindsAndFairness")
  void unlockByAnotherThreadThrowsAndChangesNothing(Kind kind, Fairness fairness)
      throws Exception {
    LockUnderTest lock = kind.create(fairness);
    lock.lock();
    try (TestThreads threads = new TestThreads("foreign")) {
      Thread waiter = startQueued(threads, "waiter", lock, Acquire.LOCK, 1);
      Thread unlocker =
          threads.start(
              "unlocker",
              () -> {
                assertThrows(IllegalMonitorStateException.class, lock::unlock);
                assertFalse(lock.isHeldByCurrentThread());
              });
      awaitTerminated(unlocker);
      assertTrue(lock.isHeldByCurrentThread());
      assertSame(Thread.currentThread(), lock.owner());
      assertEquals(1, lock.holdCount());
      assertEquals(1, lock.getQueueLength());
      assertTrue(waiter.isAlive());
      lock.unlock();
      awaitTerminated(waiter);
    }
    assertFree(lock);
  }

  @ParameterizedTest
  @MethodSource("kindsAndFairness")
  @SuppressWarnings("LockNotBeforeTry") // nothing to protect between lock and unlock
  void unlockOfAFreeLockThrowsAndChangesNothing(Kind kind, Fairness fairness)
      throws InterruptedException {
    LockUnderTest lock = kind.create(fairness);
    assertThrows(IllegalMonitorStateException.class, lock::unlock);
    assertFree(lock);
    lock.lock();
    lock.unlock();
    assertThrows(IllegalMonitorStateException.class, lock::unlock);
    assertFree(lock);
    assertTrue(lock.tryLock(0, TimeUnit.NANOSECONDS));
    lock.unlock();
  }

  @ParameterizedTest
  @MethodSource("kindsAndFairness")
  void aNullUnitIsRejectedFirstNamingTheParameter(Kind kind, Fairness fairness) {
    LockUnderTest lock = kind.create(fairness);
    TimeUnit none = nullUnit();
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> lock.tryLock(1, none));
    assertTrue(String.valueOf(e.getMessage()).contains("unit"), e.getMessage());
    assertFree(lock);

    // Arguments are checked before the interrupted status, which stays set.
    Thread.currentThread().interrupt();
    e = assertThrows(NullPointerException.class, () -> lock.tryLock(1, none));
    assertTrue(Thread.interrupted(), "the interrupted status was cleared");
    assertTrue(String.valueOf(e.getMessage()).contains("unit"), e.getMessage());
    assertFree(lock);
  }

  // -----------------------------------------------------------------------------------------
  // Contention: failing, timing out, waiting

  @ParameterizedTest
  @MethodSource("nonWaitingMethods")
  void nonWaitingMethodsFailAtOnceWhenAnotherThreadHoldsTheLock(
      Kind kind, Fairness fairness, Acquire method) throws Exception {
    LockUnderTest lock = kind.create(fairness);
    try (TestThreads threads = new TestThreads("held")) {
      Holder holder = new Holder(threads, lock);
      assertNull(method.acquire(lock));
      assertFalse(lock.isHeldByCurrentThread());
      assertSame(holder.thread, lock.owner());
      assertEquals(0, lock.getQueueLength());
      assertFalse(lock.hasQueuedThreads());
      holder.release();
    }
    assertFree(lock);
  }

  @ParameterizedTest
  @MethodSource("kindsAndFairness")
  void timedTryLockTimesOutWhenAnotherThreadHoldsTheLock(Kind kind, Fairness fairness)
      throws Exception {
    LockUnderTest lock = kind.create(fairness);
    try (TestThreads threads = new TestThreads("timeout")) {
      Holder holder = new Holder(threads, lock);
      long timeout = TimeUnit.MILLISECONDS.toNanos(20);
      long start = System.nanoTime();
      assertFalse(lock.tryLock(timeout, TimeUnit.NANOSECONDS));
      long elapsed = System.nanoTime() - start;
      assertTrue(elapsed >= timeout, "returned after " + elapsed + " ns, before the timeout");
      assertFalse(lock.isHeldByCurrentThread());
      assertSame(holder.thread, lock.owner());
      assertEquals(0, lock.getQueueLength());
      assertFalse(lock.hasQueuedThreads());
      assertFalse(Thread.currentThread().isInterrupted());
      holder.release();
    }
    assertFree(lock);
  }

  @ParameterizedTest
  @MethodSource("waitingMethods")
  void waitingMethodsAcquireWhenTheHolderUnlocks(Kind kind, Fairness fairness, Acquire method)
      throws Exception {
    LockUnderTest lock = kind.create(fairness);
    AtomicBoolean unlocked = new AtomicBoolean();
    lock.lock();
    try (TestThreads threads = new TestThreads("waiting")) {
      Thread waiter =
          threads.start(
              "waiter",
              () -> {
                Acquire.Release release = method.acquire(lock);
                assertNotNull(release, method + " gave up");
                assertTrue(unlocked.get(), "acquired before the holder unlocked");
                assertTrue(lock.isHeldByCurrentThread());
                assertSame(Thread.currentThread(), lock.owner());
                assertEquals(1, lock.holdCount());
                release.release();
              });
      awaitQueued(lock, 1);
      awaitParked(waiter);
      assertTrue(waiter.isAlive());
      unlocked.set(true);
      lock.unlock();
    }
    assertFree(lock);
  }

  // -----------------------------------------------------------------------------------------
  // Interrupts

  @ParameterizedTest
  @MethodSource("interruptibleMethods")
  void interruptStatusOnEntryThrowsAndIsClearedEvenIfTheLockIsFree(
      Kind kind, Fairness fairness, Acquire method) {
    LockUnderTest lock = kind.create(fairness);
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> method.acquire(lock));
    assertFalse(Thread.interrupted(), "the interrupted status was not cleared");
    assertFree(lock);
  }

  @ParameterizedTest
  @MethodSource("uninterruptibleMethods")
  void uninterruptibleMethodsAcquireAndKeepTheInterruptStatus(
      Kind kind, Fairness fairness, Acquire method) throws InterruptedException {
    LockUnderTest lock = kind.create(fairness);
    Thread.currentThread().interrupt();
    Acquire.Release release;
    try {
      release = method.acquire(lock);
    } finally {
      assertTrue(Thread.interrupted(), "the interrupted status was cleared");
    }
    assertNotNull(release);
    assertTrue(lock.isHeldByCurrentThread());
    release.release();
    assertFree(lock);
  }

  @ParameterizedTest
  @MethodSource("interruptibleWaitingMethods")
  void interruptWhileWaitingThrowsClearsTheStatusAndLeavesTheQueue(
      Kind kind, Fairness fairness, Acquire method) throws Exception {
    LockUnderTest lock = kind.create(fairness);
    lock.lock();
    try (TestThreads threads = new TestThreads("interrupted")) {
      Thread waiter =
          threads.start(
              "waiter",
              () -> {
                assertThrows(InterruptedException.class, () -> method.acquire(lock));
                assertFalse(Thread.currentThread().isInterrupted(), "status not cleared");
                assertFalse(lock.isHeldByCurrentThread());
              });
      awaitQueued(lock, 1);
      awaitParked(waiter);
      waiter.interrupt();
      awaitTerminated(waiter);
      assertTrue(lock.isHeldByCurrentThread());
      assertEquals(0, lock.getQueueLength());
      assertFalse(lock.hasQueuedThreads());
      lock.unlock();
    }
    assertFree(lock);
  }

  @ParameterizedTest
  @MethodSource("kindsAndFairness")
  void lockKeepsWaitingThroughAnInterruptAndReturnsWithTheStatusSet(
      Kind kind, Fairness fairness) throws Exception {
    LockUnderTest lock = kind.create(fairness);
    AtomicBoolean unlocked = new AtomicBoolean();
    lock.lock();
    try (TestThreads threads = new TestThreads("uninterruptible")) {
      List<Thread> waiters = new ArrayList<>();
      int n = 0;
      for (Acquire method : List.of(Acquire.LOCK, Acquire.LOCKED)) {
        Thread waiter =
            threads.start(
                method.name(),
                () -> {
                  Acquire.Release release = method.acquire(lock);
                  assertTrue(Thread.interrupted(), "the interrupt was lost");
                  assertTrue(unlocked.get(), "returned before the holder unlocked");
                  assertTrue(lock.isHeldByCurrentThread());
                  released(release);
                });
        waiters.add(waiter);
        awaitQueued(lock, ++n);
        awaitParked(waiter);
      }
      for (Thread waiter : waiters) {
        waiter.interrupt();
      }
      // Both are still queued once they have absorbed the interrupt and parked again.
      for (Thread waiter : waiters) {
        awaitParked(waiter);
      }
      assertEquals(2, lock.getQueueLength());
      unlocked.set(true);
      lock.unlock();
    }
    assertFree(lock);
  }

  // -----------------------------------------------------------------------------------------
  // Fairness

  @ParameterizedTest
  @EnumSource(Kind.class)
  void fifoHandsTheLockOverInArrivalOrder(Kind kind) throws Exception {
    LockUnderTest lock = kind.create(Fairness.FIFO);
    List<Acquire> methods =
        List.of(
            Acquire.LOCK,
            Acquire.LOCK_INTERRUPTIBLY,
            Acquire.TRY_LOCK_ONE_HOUR,
            Acquire.LOCKED,
            Acquire.TRY_LOCK_MAX_VALUE_NANOS,
            Acquire.LOCK,
            Acquire.LOCK_INTERRUPTIBLY,
            Acquire.TRY_LOCK_ONE_HOUR);
    ConcurrentLinkedQueue<Integer> order = new ConcurrentLinkedQueue<>();
    lock.lock();
    try (TestThreads threads = new TestThreads("fifo")) {
      for (int i = 0; i < methods.size(); i++) {
        int id = i;
        Acquire method = methods.get(i);
        Thread t =
            threads.start(
                id + "-" + method,
                () -> {
                  Acquire.Release release = method.acquire(lock);
                  order.add(id);
                  released(release);
                });
        awaitQueued(lock, i + 1);
        awaitParked(t);
      }
      lock.unlock();
    }
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < methods.size(); i++) {
      expected.add(i);
    }
    assertEquals(expected, new ArrayList<>(order));
    assertFree(lock);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void fifoUnlockHandsTheLockDirectlyToTheFirstWaiter(Kind kind) throws Exception {
    LockUnderTest lock = kind.create(Fairness.FIFO);
    unlockWithOneParkedWaiter(
        lock,
        () -> {},
        waiter -> {
          // No window in which the lock is free: the waiter owns it as soon as unlock returns.
          assertSame(waiter, lock.owner());
          assertTrue(lock.isLocked());
          assertEquals(0, lock.getQueueLength());
          assertFalse(lock.tryLock());
          assertFalse(lock.tryLock(0, TimeUnit.NANOSECONDS));
        });
  }

  /**
   * Eventual fairness under BARGING: once the parked head has waited past the bound, the next
   * unlock gives it the lock with no window in which an arriving thread could take it.
   */
  @ParameterizedTest
  @EnumSource(Kind.class)
  void bargingUnlockHandsTheLockToAnOverdueHead(Kind kind) throws Exception {
    LockUnderTest lock = kind.create(Fairness.BARGING);
    unlockWithOneParkedWaiter(
        lock,
        () -> {
          long parkedBy = System.nanoTime();
          awaitCondition(
              "the head has waited past the bound",
              () -> System.nanoTime() - parkedBy > 3 * BargingEntryQueue.FAIRNESS_BOUND_NANOS);
        },
        waiter -> {
          // Handed over: the lock was never free, so this thread cannot take it back.
          assertSame(waiter, lock.owner());
          assertEquals(0, lock.getQueueLength());
          assertFalse(lock.tryLock());
        });
  }

  /** What a hand-off test checks right after the unlock, while the waiter still holds the lock. */
  private interface AfterUnlock {
    void check(Thread waiter) throws Exception;
  }

  /**
   * Locks {@code lock}, starts a waiter that queues and parks for it (and, once it has the lock,
   * holds it until told to let go), runs {@code beforeUnlock}, unlocks, runs {@code afterUnlock}
   * while the waiter still holds the lock, then lets it go and checks that the lock ends free.
   */
  private static void unlockWithOneParkedWaiter(
      LockUnderTest lock, Runnable beforeUnlock, AfterUnlock afterUnlock) throws Exception {
    CountDownLatch letGo = new CountDownLatch(1);
    lock.lock();
    try (TestThreads threads = new TestThreads("handoff")) {
      Thread waiter =
          threads.start(
              "waiter",
              () -> {
                lock.lock();
                try {
                  letGo.await();
                } finally {
                  lock.unlock();
                }
              });
      awaitQueued(lock, 1);
      awaitParked(waiter);
      beforeUnlock.run();
      lock.unlock();
      try {
        afterUnlock.check(waiter);
      } finally {
        letGo.countDown();
      }
    }
    assertFree(lock);
  }

  /**
   * A queued thread is served while two threads lock and unlock in a tight loop. Under BARGING
   * this is the bound on overtaking (eventual fairness); it holds under FIFO a fortiori. A
   * functional check only: how long the wait took is for the benchmarks.
   */
  @ParameterizedTest
  @MethodSource("kindsAndFairness")
  void aQueuedThreadIsEventuallyServedWhileOthersHammerTheLock(Kind kind, Fairness fairness)
      throws Exception {
    LockUnderTest lock = kind.create(fairness);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong rounds = new AtomicLong();
    AtomicBoolean served = new AtomicBoolean();
    long[] guarded = {0};
    try (TestThreads threads = new TestThreads("eventual")) {
      try {
        for (int i = 0; i < 2; i++) {
          threads.start(
              "hammer" + i,
              () -> {
                while (!stop.get()) {
                  lock.lock();
                  try {
                    guarded[0]++;
                  } finally {
                    lock.unlock();
                  }
                  rounds.incrementAndGet();
                }
              });
        }
        awaitCondition("the hammers are running", () -> rounds.get() > 10_000);
        threads.start(
            "queued",
            () -> {
              lock.lock();
              try {
                served.set(true);
              } finally {
                lock.unlock();
              }
            });
        awaitCondition("the queued thread is served", served::get);
      } finally {
        stop.set(true);
      }
    }
    assertFree(lock);
    assertTrue(guarded[0] >= 10_000);
  }

  // -----------------------------------------------------------------------------------------
  // locked() and Held

  @ParameterizedTest
  @MethodSource("kindsAndFairness")
  void lockedReturnsAHandleThatUnlocksExactlyOnce(Kind kind, Fairness fairness)
      throws Exception {
    LockUnderTest lock = kind.create(fairness);
    try (Held h = lock.locked()) {
      assertTrue(lock.isHeldByCurrentThread());
      assertNotNull(h);
    }
    assertFree(lock);

    Held handle = lock.locked();
    handle.close();
    assertThrows(IllegalStateException.class, handle::close);
    assertFree(lock);

    // A second close must not release what another thread holds now.
    try (TestThreads threads = new TestThreads("held")) {
      Holder holder = new Holder(threads, lock);
      assertThrows(IllegalStateException.class, handle::close);
      assertSame(holder.thread, lock.owner());
      assertTrue(lock.isLocked());
      holder.release();
    }
    assertFree(lock);
  }

  @ParameterizedTest
  @MethodSource("kindsAndFairness")
  void aHandleClosedByAnotherThreadThrowsAndChangesNothing(Kind kind, Fairness fairness)
      throws Exception {
    LockUnderTest lock = kind.create(fairness);
    Held handle = lock.locked();
    try (TestThreads threads = new TestThreads("closer")) {
      threads.start("closer", () -> assertThrows(IllegalMonitorStateException.class, handle::close));
    }
    assertTrue(lock.isHeldByCurrentThread());
    assertEquals(1, lock.holdCount());
    handle.close(); // still good for its one release
    assertFree(lock);
    assertThrows(IllegalStateException.class, handle::close);
  }

  // -----------------------------------------------------------------------------------------
  // Mutex only: the holder may not lock again

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void theHolderOfAMutexGetsIllegalStateExceptionFromEveryMethodThatWouldWait(
      Fairness fairness) throws InterruptedException {
    LockUnderTest lock = Kind.MUTEX.create(fairness);
    lock.lock();
    try {
      for (Acquire method : Acquire.values()) {
        if (method.detectsSelfDeadlock) {
          assertThrows(IllegalStateException.class, () -> method.acquire(lock), method.name());
        } else {
          assertNull(method.acquire(lock), method.name());
        }
        assertTrue(lock.isHeldByCurrentThread(), method.name());
        assertEquals(0, lock.getQueueLength(), method.name());
      }
    } finally {
      lock.unlock(); // once frees it: the failed attempts added nothing
    }
    assertFree(lock);
    assertThrows(IllegalMonitorStateException.class, lock::unlock);
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void theInterruptStatusIsCheckedBeforeSelfDeadlock(Fairness fairness) {
    LockUnderTest lock = Kind.MUTEX.create(fairness);
    lock.lock();
    try {
      for (Acquire method : Acquire.values()) {
        if (!method.interruptible) {
          continue;
        }
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> method.acquire(lock), method.name());
        assertFalse(Thread.interrupted(), method.name());
        assertTrue(lock.isHeldByCurrentThread(), method.name());
      }
    } finally {
      lock.unlock();
    }
    assertFree(lock);
  }

  // -----------------------------------------------------------------------------------------

  /** A thread that holds the lock until {@link #release()}. */
  static final class Holder {
    final Thread thread;
    private final CountDownLatch letGo = new CountDownLatch(1);

    Holder(TestThreads threads, LockUnderTest lock) {
      thread =
          threads.start(
              "holder",
              () -> {
                lock.lock();
                try {
                  letGo.await();
                } finally {
                  lock.unlock();
                }
              });
      awaitCondition("the holder holds the lock", () -> lock.owner() == thread);
    }

    void release() {
      letGo.countDown();
    }
  }

  /** Starts a thread that acquires with {@code method} and waits until {@code n} are queued. */
  static Thread startQueued(
      TestThreads threads, String name, LockUnderTest lock, Acquire method, int n) {
    Thread t =
        threads.start(
            name,
            () -> {
              Acquire.Release release = method.acquire(lock);
              released(release);
            });
    awaitQueued(lock, n);
    awaitParked(t);
    return t;
  }

  static void awaitQueued(LockUnderTest lock, int n) {
    awaitCondition(n + " threads queued on " + lock, () -> lock.getQueueLength() == n);
  }

  static void assertFree(LockUnderTest lock) {
    assertFalse(lock.isLocked(), lock.toString());
    assertFalse(lock.isHeldByCurrentThread());
    assertNull(lock.owner());
    assertEquals(0, lock.holdCount());
    assertFalse(lock.hasQueuedThreads());
    assertEquals(0, lock.getQueueLength());
  }

  /** Releases what an acquire method took, failing if it took nothing. */
  static void released(Acquire.@Nullable Release release) {
    if (release == null) {
      throw new AssertionError("the acquire method gave up");
    }
    release.release();
  }

  private static @Nullable Fairness nullFairness() {
    return null;
  }

  private static @Nullable TimeUnit nullUnit() {
    return null;
  }
}
