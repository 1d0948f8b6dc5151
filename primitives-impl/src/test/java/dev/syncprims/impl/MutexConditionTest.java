package dev.syncprims.impl;

import static dev.syncprims.impl.MutexContractTest.assertFree;
import static dev.syncprims.impl.MutexContractTest.awaitQueued;
import static dev.syncprims.impl.TestThreads.awaitCondition;
import static dev.syncprims.impl.TestThreads.awaitParked;
import static dev.syncprims.impl.TestThreads.awaitTerminated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncprims.Fairness;
import dev.syncprims.impl.LockUnderTest.Kind;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Mesa conditions of {@link dev.syncprims.Mutex} and {@link dev.syncprims.ReentrantMutex},
 * on both kinds in both fairness modes: waiting, signalling, timeouts, interrupts, and the lock
 * (and hold count) given back on every way out of a wait.
 *
 * <p>A waiter is known to be waiting, without sleeping, by the test thread locking the mutex:
 * the waiter held it when it announced itself, and frees it only inside {@code await}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
// A wait of these conditions never ends spuriously, so the tests call await once, not in a
// loop: a spurious return would be a bug they must see.
@SuppressWarnings("WaitNotInLoop")
class MutexConditionTest {

  /** The ways to wait on a condition, each with a long (or no) timeout. */
  enum Await {
    AWAIT(true, false),
    AWAIT_UNINTERRUPTIBLY(false, false),
    AWAIT_NANOS(true, true),
    AWAIT_TIME_UNIT(true, true),
    AWAIT_UNTIL(true, true);

    final boolean interruptible;
    final boolean timed;

    Await(boolean interruptible, boolean timed) {
      this.interruptible = interruptible;
      this.timed = timed;
    }

    /** Waits for a signal, with a timeout of an hour where the method takes one. */
    boolean awaitSignal(Condition c) throws InterruptedException {
      return awaitFor(c, TimeUnit.HOURS.toNanos(1));
    }

    /**
     * Waits at most {@code nanos} (the untimed methods ignore it); returns true if the result
     * reports a signal, false if it reports a timeout.
     */
    @SuppressWarnings("JavaUtilDate") // awaitUntil takes a Date
    boolean awaitFor(Condition c, long nanos) throws InterruptedException {
      return switch (this) {
        case AWAIT -> {
          c.await();
          yield true;
        }
        case AWAIT_UNINTERRUPTIBLY -> {
          c.awaitUninterruptibly();
          yield true;
        }
        case AWAIT_NANOS -> c.awaitNanos(nanos) > 0;
        case AWAIT_TIME_UNIT -> c.await(nanos, TimeUnit.NANOSECONDS);
        case AWAIT_UNTIL ->
            c.awaitUntil(
                new Date(System.currentTimeMillis() + TimeUnit.NANOSECONDS.toMillis(nanos)));
      };
    }
  }

  static Stream<Arguments> kindsAndFairness() {
    return LockUnderTest.kindsAndFairness();
  }

  private static Stream<Arguments> withAwaits(Predicate<Await> filter) {
    return LockUnderTest.kindsAndFairness()
        .flatMap(
            a ->
                Stream.of(Await.values())
                    .filter(filter)
                    .map(w -> Arguments.of(a.get()[0], a.get()[1], w)));
  }

  static Stream<Arguments> everyAwait() {
    return withAwaits(w -> true);
  }

  static Stream<Arguments> interruptibleAwaits() {
    return withAwaits(w -> w.interruptible);
  }

  static Stream<Arguments> timedAwaits() {
    return withAwaits(w -> w.timed);
  }

  /**
   * The timed awaits whose result says whether they were signalled. That of {@code awaitNanos}
   * is the time left, which may be {@code <= 0} after a signal if the lock came back late.
   */
  static Stream<Arguments> timedAwaitsReportingSignal() {
    return withAwaits(w -> w.timed && w != Await.AWAIT_NANOS);
  }

  // -----------------------------------------------------------------------------------------
  // Ownership

  @ParameterizedTest
  @MethodSource("kindsAndFairness")
  void everyMethodButNewConditionRequiresTheLock(Kind kind, Fairness fairness) throws Exception {
    LockUnderTest lock = kind.create(fairness);
    Condition c = lock.newCondition();
    assertEverythingThrowsImse(c);
    assertFree(lock);
    try (TestThreads threads = new TestThreads("not-held")) {
      MutexContractTest.Holder holder = new MutexContractTest.Holder(threads, lock);
      assertEverythingThrowsImse(c);
      assertSame(holder.thread, lock.owner());
      assertEquals(0, lock.getQueueLength());
      holder.release();
    }
    assertFree(lock);
  }

  @SuppressWarnings("JavaUtilDate") // awaitUntil takes a Date
  private static void assertEverythingThrowsImse(Condition c) {
    assertThrows(IllegalMonitorStateException.class, c::await);
    assertThrows(IllegalMonitorStateException.class, c::awaitUninterruptibly);
    assertThrows(IllegalMonitorStateException.class, () -> c.awaitNanos(1_000_000));
    assertThrows(IllegalMonitorStateException.class, () -> c.awaitNanos(0));
    assertThrows(IllegalMonitorStateException.class, () -> c.await(1, TimeUnit.SECONDS));
    assertThrows(IllegalMonitorStateException.class, () -> c.await(-1, TimeUnit.SECONDS));
    assertThrows(
        IllegalMonitorStateException.class,
        () -> c.awaitUntil(new Date(System.currentTimeMillis() + 1000)));
    assertThrows(IllegalMonitorStateException.class, c::signal);
    assertThrows(IllegalMonitorStateException.class, c::signalAll);
  }

  @ParameterizedTest
  @MethodSource("kindsAndFairness")
  void nullArgumentsAreRejectedNamingTheParameter(Kind kind, Fairness fairness) {
    LockUnderTest lock = kind.create(fairness);
    Condition c = lock.newCondition();
    TimeUnit noUnit = nullUnit();
    Date noDate = nullDate();
    lock.lock();
    try {
      NullPointerException e =
          assertThrows(NullPointerException.class, () -> c.await(1, noUnit));
      assertTrue(String.valueOf(e.getMessage()).contains("unit"), e.getMessage());
      e = assertThrows(NullPointerException.class, () -> c.awaitUntil(noDate));
      assertTrue(String.valueOf(e.getMessage()).contains("deadline"), e.getMessage());
      assertTrue(lock.isHeldByCurrentThread());
    } finally {
      lock.unlock();
    }
    assertFree(lock);
  }

  // -----------------------------------------------------------------------------------------
  // Signals

  @ParameterizedTest
  @MethodSource("everyAwait")
  void aSignalEndsTheWaitWithTheLockHeld(Kind kind, Fairness fairness, Await await)
      throws Exception {
    LockUnderTest lock = kind.create(fairness);
    Condition c = lock.newCondition();
    AtomicBoolean signalled = new AtomicBoolean();
    try (TestThreads threads = new TestThreads("signal")) {
      Waiter w =
          new Waiter(
              threads,
              lock,
              "waiter",
              () -> {
                assertTrue(await.awaitSignal(c), await + " reported a timeout");
                assertTrue(signalled.get(), "returned before the signal");
              });
      lock.lock(); // the waiter has released it inside await
      try {
        assertEquals(1, waitQueueLength(c));
        assertTrue(w.thread.isAlive());
        signalled.set(true);
        c.signal();
        assertEquals(0, waitQueueLength(c));
        // Signal and continue: the signaller keeps the lock; the waiter queues for it.
        assertTrue(lock.isHeldByCurrentThread());
        awaitQueued(lock, 1);
      } finally {
        lock.unlock();
      }
      awaitTerminated(w.thread);
    }
    assertFree(lock);
  }

  @ParameterizedTest
  @MethodSource("kindsAndFairness")
  void signalWakesTheLongestWaitingThreadFirst(Kind kind, Fairness fairness) throws Exception {
    LockUnderTest lock = kind.create(fairness);
    Condition c = lock.newCondition();
    ConcurrentLinkedQueue<Integer> woken = new ConcurrentLinkedQueue<>();
    int n = 4;
    try (TestThreads threads = new TestThreads("order")) {
      List<Thread> waiters = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int id = i;
        Await await = Await.values()[i % Await.values().length];
        waiters.add(
            new Waiter(
                    threads,
                    lock,
                    "waiter" + id,
                    () -> {
                      assertTrue(await.awaitSignal(c));
                      woken.add(id);
                    })
                .thread);
        lockAndAssertWaiting(lock, c, i + 1);
        lock.unlock();
      }
      for (int i = 0; i < n; i++) {
        lock.lock();
        try {
          c.signal();
          assertEquals(n - i - 1, waitQueueLength(c));
        } finally {
          lock.unlock();
        }
        awaitTerminated(waiters.get(i));
        assertEquals(i + 1, woken.size());
      }
    }
    assertEquals(List.of(0, 1, 2, 3), new ArrayList<>(woken));
    assertFree(lock);
  }

  @ParameterizedTest
  @MethodSource("kindsAndFairness")
  void signalAllWakesEveryWaiter(Kind kind, Fairness fairness) throws Exception {
    LockUnderTest lock = kind.create(fairness);
    Condition c = lock.newCondition();
    AtomicLong woken = new AtomicLong();
    int n = Await.values().length;
    try (TestThreads threads = new TestThreads("all")) {
      for (int i = 0; i < n; i++) {
        Await await = Await.values()[i];
        new Waiter(
            threads,
            lock,
            await.name(),
            () -> {
              assertTrue(await.awaitSignal(c));
              woken.incrementAndGet();
            });
        lockAndAssertWaiting(lock, c, i + 1);
        lock.unlock();
      }
      lock.lock();
      try {
        c.signalAll();
        assertEquals(0, waitQueueLength(c));
        awaitQueued(lock, n);
        assertEquals(0, woken.get());
      } finally {
        lock.unlock();
      }
    }
    assertEquals(n, woken.get());
    assertFree(lock);
  }

  @ParameterizedTest
  @MethodSource("kindsAndFairness")
  void aSignalWithNoWaitersDoesNothing(Kind kind, Fairness fairness) {
    LockUnderTest lock = kind.create(fairness);
    Condition c = lock.newCondition();
    lock.lock();
    try {
      c.signal();
      c.signalAll();
      assertTrue(lock.isHeldByCurrentThread());
      assertEquals(1, lock.holdCount());
      assertEquals(0, lock.getQueueLength());
      assertEquals(0, waitQueueLength(c));
    } finally {
      lock.unlock();
    }
    assertFree(lock);
  }

  @ParameterizedTest
  @MethodSource("kindsAndFairness")
  void conditionsOfOneLockAreIndependent(Kind kind, Fairness fairness) throws Exception {
    LockUnderTest lock = kind.create(fairness);
    Condition notEmpty = lock.newCondition();
    Condition notFull = lock.newCondition();
    try (TestThreads threads = new TestThreads("independent")) {
      Waiter w = new Waiter(threads, lock, "waiter", notFull::await);
      lockAndAssertWaiting(lock, notFull, 1);
      try {
        notEmpty.signalAll();
        notEmpty.signal();
        assertEquals(1, waitQueueLength(notFull));
        assertEquals(0, lock.getQueueLength());
        notFull.signal();
      } finally {
        lock.unlock();
      }
      awaitTerminated(w.thread);
    }
    assertFree(lock);
  }

  // -----------------------------------------------------------------------------------------
  // Timeouts

  @ParameterizedTest
  @MethodSource("timedAwaits")
  void aTimedAwaitTimesOutWithTheLockHeld(Kind kind, Fairness fairness, Await await)
      throws InterruptedException {
    LockUnderTest lock = kind.create(fairness);
    Condition c = lock.newCondition();
    long timeout = TimeUnit.MILLISECONDS.toNanos(20);
    lock.lock();
    try {
      long start = System.nanoTime();
      assertFalse(await.awaitFor(c, timeout), await + " reported a signal");
      long elapsed = System.nanoTime() - start;
      // awaitUntil has millisecond resolution: allow it one millisecond.
      long slack = await == Await.AWAIT_UNTIL ? TimeUnit.MILLISECONDS.toNanos(1) : 0;
      assertTrue(elapsed >= timeout - slack, "returned after " + elapsed + " ns");
      assertTrue(lock.isHeldByCurrentThread());
      assertEquals(1, lock.holdCount());
      assertEquals(0, waitQueueLength(c));
    } finally {
      lock.unlock();
    }
    assertFree(lock);
  }

  @ParameterizedTest
  @MethodSource("kindsAndFairness")
  @SuppressWarnings("JavaUtilDate") // awaitUntil takes a Date
  void aTimeoutOfZeroOrLessReturnsAtOnceWithoutReleasingTheLock(Kind kind, Fairness fairness)
      throws Exception {
    LockUnderTest lock = kind.create(fairness);
    Condition c = lock.newCondition();
    AtomicBoolean waiterAcquired = new AtomicBoolean();
    lock.lock();
    try (TestThreads threads = new TestThreads("no-wait")) {
      Thread waiter =
          threads.start(
              "waiter",
              () -> {
                lock.lock();
                try {
                  waiterAcquired.set(true);
                } finally {
                  lock.unlock();
                }
              });
      try {
        awaitQueued(lock, 1);
        awaitParked(waiter);
        List<Timed> calls =
            List.of(
                () -> c.awaitNanos(0) <= 0,
                () -> c.awaitNanos(-1) <= 0,
                () -> c.awaitNanos(Long.MIN_VALUE) <= 0,
                () -> !c.await(0, TimeUnit.MILLISECONDS),
                () -> !c.await(-1, TimeUnit.SECONDS),
                () -> !c.await(Long.MIN_VALUE, TimeUnit.NANOSECONDS),
                () -> !c.awaitUntil(new Date(System.currentTimeMillis() - 1000)),
                () -> !c.awaitUntil(new Date(0)));
        for (int i = 0; i < calls.size(); i++) {
          assertTrue(calls.get(i).reportsTimeout(), "call " + i + " did not report a timeout");
          // Had the lock been released, the FIFO waiter would have been handed it, and under
          // BARGING it would at least have been signalled off the queue's waiting state.
          assertTrue(lock.isHeldByCurrentThread(), "call " + i);
          assertEquals(1, lock.holdCount(), "call " + i);
          assertEquals(1, lock.getQueueLength(), "call " + i);
          assertFalse(waiterAcquired.get(), "call " + i);
          assertEquals(0, waitQueueLength(c), "call " + i);
        }
      } finally {
        lock.unlock();
      }
      awaitTerminated(waiter);
    }
    assertTrue(waiterAcquired.get());
    assertFree(lock);
  }

  /** A call of a timed await that should report a timeout. */
  @FunctionalInterface
  private interface Timed {
    boolean reportsTimeout() throws InterruptedException;
  }

  @ParameterizedTest
  @MethodSource("timedAwaitsReportingSignal")
  void aSignalBeforeTheDeadlineWinsEvenIfTheLockComesBackAfterIt(
      Kind kind, Fairness fairness, Await await) throws Exception {
    LockUnderTest lock = kind.create(fairness);
    Condition c = lock.newCondition();
    long timeout = TimeUnit.MILLISECONDS.toNanos(50);
    AtomicLong startedAt = new AtomicLong();
    try (TestThreads threads = new TestThreads("signal-then-deadline")) {
      Waiter w =
          new Waiter(
              threads,
              lock,
              "waiter",
              () -> {
                startedAt.set(System.nanoTime());
                assertTrue(await.awaitFor(c, timeout), "the signal was lost to the deadline");
              });
      lockAndAssertWaiting(lock, c, 1);
      try {
        c.signal();
        // Keep the lock until well past the waiter's deadline.
        awaitCondition(
            "the waiter's deadline passed",
            () -> System.nanoTime() - startedAt.get() > 2 * timeout);
      } finally {
        lock.unlock();
      }
      awaitTerminated(w.thread);
    }
    assertFree(lock);
  }

  // -----------------------------------------------------------------------------------------
  // Interrupts

  @ParameterizedTest
  @MethodSource("interruptibleAwaits")
  void anInterruptStatusOnEntryThrowsAndIsClearedWithTheLockStillHeld(
      Kind kind, Fairness fairness, Await await) {
    LockUnderTest lock = kind.create(fairness);
    Condition c = lock.newCondition();
    lock.lock();
    try {
      for (long timeout : new long[] {TimeUnit.HOURS.toNanos(1), 0}) {
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> await.awaitFor(c, timeout));
        assertFalse(Thread.interrupted(), "the interrupted status was not cleared");
        assertTrue(lock.isHeldByCurrentThread());
        assertEquals(1, lock.holdCount());
        assertEquals(0, waitQueueLength(c));
      }
    } finally {
      lock.unlock();
    }
    assertFree(lock);
  }

  @ParameterizedTest
  @MethodSource("interruptibleAwaits")
  void anInterruptDuringTheWaitThrowsOnlyOnceTheLockIsHeldAgain(
      Kind kind, Fairness fairness, Await await) throws Exception {
    LockUnderTest lock = kind.create(fairness);
    Condition c = lock.newCondition();
    AtomicBoolean unlocked = new AtomicBoolean();
    try (TestThreads threads = new TestThreads("interrupted")) {
      Waiter w =
          new Waiter(
              threads,
              lock,
              "waiter",
              () -> {
                assertThrows(InterruptedException.class, () -> await.awaitSignal(c));
                assertFalse(Thread.currentThread().isInterrupted(), "status not cleared");
                assertTrue(lock.isHeldByCurrentThread(), "threw without the lock");
                assertTrue(unlocked.get(), "threw before the holder unlocked");
              });
      lockAndAssertWaiting(lock, c, 1);
      try {
        w.thread.interrupt();
        // It leaves the condition and queues for the lock, which this thread holds.
        awaitQueued(lock, 1);
        assertEquals(0, waitQueueLength(c));
        unlocked.set(true);
      } finally {
        lock.unlock();
      }
      awaitTerminated(w.thread);
    }
    assertFree(lock);
  }

  @ParameterizedTest
  @MethodSource("everyAwait")
  void aSignalThatComesBeforeAnInterruptIsKept(Kind kind, Fairness fairness, Await await)
      throws Exception {
    LockUnderTest lock = kind.create(fairness);
    Condition c = lock.newCondition();
    try (TestThreads threads = new TestThreads("signal-then-interrupt")) {
      Waiter w =
          new Waiter(
              threads,
              lock,
              "waiter",
              () -> {
                assertTrue(await.awaitSignal(c), "the signal was lost");
                assertTrue(Thread.interrupted(), "the interrupt was lost");
              });
      lockAndAssertWaiting(lock, c, 1);
      try {
        c.signal();
        w.thread.interrupt();
      } finally {
        lock.unlock();
      }
      awaitTerminated(w.thread);
    }
    assertFree(lock);
  }

  @ParameterizedTest
  @MethodSource("kindsAndFairness")
  void awaitUninterruptiblyWaitsThroughAnInterruptForTheSignal(Kind kind, Fairness fairness)
      throws Exception {
    LockUnderTest lock = kind.create(fairness);
    Condition c = lock.newCondition();
    AtomicBoolean signalled = new AtomicBoolean();
    try (TestThreads threads = new TestThreads("uninterruptible")) {
      Waiter w =
          new Waiter(
              threads,
              lock,
              "waiter",
              () -> {
                c.awaitUninterruptibly();
                assertTrue(signalled.get(), "returned without a signal");
                assertTrue(Thread.interrupted(), "the interrupt was lost");
              });
      lockAndAssertWaiting(lock, c, 1);
      lock.unlock();
      w.thread.interrupt();
      awaitParked(w.thread);
      lock.lock();
      try {
        assertEquals(1, waitQueueLength(c), "the interrupt ended the wait");
        signalled.set(true);
        c.signal();
      } finally {
        lock.unlock();
      }
      awaitTerminated(w.thread);
    }
    assertFree(lock);
  }

  // -----------------------------------------------------------------------------------------
  // Hold count (ReentrantMutex)

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void everyWayOutOfAWaitRestoresTheHoldCount(Fairness fairness) throws Exception {
    LockUnderTest lock = Kind.REENTRANT_MUTEX.create(fairness);
    Condition c = lock.newCondition();
    int holds = 3;
    AtomicLong phase = new AtomicLong();
    try (TestThreads threads = new TestThreads("holds")) {
      Thread waiter =
          threads.start(
              "waiter",
              () -> {
                for (int i = 0; i < holds; i++) {
                  lock.lock();
                }
                try {
                  phase.set(1);
                  c.await(); // signalled
                  assertEquals(holds, lock.holdCount());
                  phase.set(2);
                  assertThrows(InterruptedException.class, c::await);
                  assertEquals(holds, lock.holdCount());
                  assertFalse(c.await(1, TimeUnit.MILLISECONDS)); // timed out
                  assertEquals(holds, lock.holdCount());
                  assertFalse(c.await(0, TimeUnit.MILLISECONDS)); // no wait at all
                  assertEquals(holds, lock.holdCount());
                } finally {
                  for (int i = 0; i < holds; i++) {
                    lock.unlock();
                  }
                }
              });
      for (int round = 1; round <= 2; round++) {
        int expected = round;
        awaitCondition("the waiter reached wait " + round, () -> phase.get() == expected);
        // Acquirable while the waiter holds it three times: await released every hold.
        lockAndAssertWaiting(lock, c, 1);
        try {
          assertEquals(1, lock.holdCount());
          if (round == 1) {
            c.signal();
          } else {
            waiter.interrupt();
            awaitQueued(lock, 1);
          }
        } finally {
          lock.unlock();
        }
      }
      awaitTerminated(waiter);
    }
    assertFree(lock);
  }

  // -----------------------------------------------------------------------------------------
  // Many rounds

  @ParameterizedTest
  @MethodSource("kindsAndFairness")
  void twoThreadsTakeTurnsThroughOneCondition(Kind kind, Fairness fairness) throws Exception {
    LockUnderTest lock = kind.create(fairness);
    Condition changed = lock.newCondition();
    int rounds = 5_000;
    long[] turn = {0};
    try (TestThreads threads = new TestThreads("turns")) {
      for (int t = 0; t < 2; t++) {
        int me = t;
        threads.start(
            "player" + t,
            () -> {
              for (int i = 0; i < rounds; i++) {
                lock.lock();
                try {
                  while (turn[0] % 2 != me) {
                    changed.await();
                  }
                  turn[0]++;
                  changed.signal();
                } finally {
                  lock.unlock();
                }
              }
            });
      }
    }
    assertEquals(2L * rounds, turn[0]);
    assertFree(lock);
  }

  // -----------------------------------------------------------------------------------------

  /**
   * A thread that locks the mutex, runs {@code body} (which waits on a condition) and unlocks.
   * The constructor returns once the thread holds the mutex, so a test that then locks the
   * mutex knows that the body has released it, that is, that it is waiting.
   */
  static final class Waiter {
    final Thread thread;

    Waiter(TestThreads threads, LockUnderTest lock, String name, TestThreads.Body body) {
      AtomicBoolean holding = new AtomicBoolean();
      thread =
          threads.start(
              name,
              () -> {
                lock.lock();
                try {
                  holding.set(true);
                  body.run();
                } finally {
                  lock.unlock();
                }
              });
      awaitCondition(name + " holds the lock", holding::get);
    }
  }

  /**
   * Locks, and checks that {@code n} threads wait on {@code c}; the caller unlocks (this method
   * does if the check fails).
   */
  private static void lockAndAssertWaiting(LockUnderTest lock, Condition c, int n) {
    lock.lock();
    try {
      assertEquals(n, waitQueueLength(c));
    } catch (Throwable e) {
      lock.unlock();
      throw e;
    }
  }

  private static int waitQueueLength(Condition c) {
    return ((OwnedLock.MesaCondition) c).waitQueueLength();
  }

  private static @Nullable TimeUnit nullUnit() {
    return null;
  }

  private static @Nullable Date nullDate() {
    return null;
  }
}
