package dev.syncprims.impl;

import static dev.syncprims.impl.SemaphoreTestSupport.awaitParked;
import static dev.syncprims.impl.SemaphoreTestSupport.awaitTrue;
import static dev.syncprims.impl.SemaphoreTestSupport.letTimePass;
import static dev.syncprims.impl.SemaphoreTestSupport.start;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncprims.CountingSemaphore;
import dev.syncprims.Fairness;
import dev.syncprims.Held;
import dev.syncprims.impl.SemaphoreTestSupport.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The contract of {@link CountingSemaphore}, unbounded and bounded, in both fairness modes. */
@Timeout(value = 60, unit = SECONDS)
class CountingSemaphoreTest {

  @AfterEach
  void noInterruptLeaks() {
    assertFalse(Thread.interrupted(), "a test left the interrupted status set");
  }

  // ---------------------------------------------------------------------------------------------
  // Construction and queries

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void factoriesAndQueries(Fairness f) {
    CountingSemaphore u = Primitives.countingSemaphore(3, f);
    assertEquals(3, u.availablePermits());
    assertEquals(Integer.MAX_VALUE, u.maxPermits());
    assertSame(f, u.fairness());
    assertTrue(u.isAvailable());
    assertFalse(u.hasQueuedThreads());
    assertEquals(0, u.getQueueLength());
    assertTrue(u.toString().contains("3 permits available, 0 queued, " + f), u.toString());

    CountingSemaphore b = Primitives.boundedSemaphore(2, 4, f);
    assertEquals(2, b.availablePermits());
    assertEquals(4, b.maxPermits());
    assertTrue(b.toString().contains("2 of max 4 permits available"), b.toString());

    assertSame(Fairness.BARGING, Primitives.countingSemaphore(1).fairness());
    assertSame(Fairness.BARGING, Primitives.boundedSemaphore(1, 1).fairness());
  }

  @Test
  void badConstructionArguments() {
    assertThrows(NullPointerException.class, () -> Primitives.countingSemaphore(1, null));
    NullPointerException npe =
        assertThrows(NullPointerException.class, () -> Primitives.boundedSemaphore(1, 2, null));
    assertEquals("fairness", npe.getMessage());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Primitives.boundedSemaphore(-1, 4));
    assertTrue(e.getMessage().contains("negative permits: -1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Primitives.boundedSemaphore(5, 4));
    assertTrue(e.getMessage().contains("permits=5 exceed maxPermits=4"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Primitives.boundedSemaphore(0, -1));
    assertTrue(e.getMessage().contains("maxPermits must not be negative"), e.getMessage());
    assertEquals(0, Primitives.boundedSemaphore(0, 0).maxPermits());
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void negativePermitArgumentsAreRejectedAndChangeNothing(Fairness f) {
    CountingSemaphore s = Primitives.boundedSemaphore(2, 4, f);
    assertThrows(IllegalArgumentException.class, () -> s.acquire(-1));
    assertThrows(IllegalArgumentException.class, () -> s.acquireUninterruptibly(-1));
    assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(-1));
    assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(-1, 1, SECONDS));
    assertThrows(IllegalArgumentException.class, () -> s.release(-1));
    assertThrows(IllegalArgumentException.class, () -> s.acquired(-1));
    assertThrows(
        IllegalArgumentException.class, () -> s.release(Integer.MIN_VALUE), "no overflow trick");
    NullPointerException npe =
        assertThrows(NullPointerException.class, () -> s.tryAcquire(1, 1, null));
    assertEquals("unit", npe.getMessage());
    // null is checked before range
    assertThrows(NullPointerException.class, () -> s.tryAcquire(-1, 1, null));
    // arguments are checked before the interrupted status
    Thread.currentThread().interrupt();
    assertThrows(IllegalArgumentException.class, () -> s.acquire(-1));
    assertTrue(Thread.interrupted());
    assertEquals(2, s.availablePermits());
  }

  // ---------------------------------------------------------------------------------------------
  // Taking and giving back

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void multiPermitAcquireAndRelease(Fairness f) throws InterruptedException {
    CountingSemaphore s = Primitives.countingSemaphore(5, f);
    s.acquire(2);
    assertEquals(3, s.availablePermits());
    s.acquireUninterruptibly(3);
    assertEquals(0, s.availablePermits());
    assertFalse(s.isAvailable());
    assertFalse(s.tryAcquire());
    s.release(4);
    assertFalse(s.tryAcquire(5), "not enough: takes nothing");
    assertEquals(4, s.availablePermits());
    assertTrue(s.tryAcquire(4));
    s.release();
    assertTrue(s.tryAcquire(1, 0, NANOSECONDS));
    s.release(2);
    assertTrue(s.tryAcquire(2, 1, SECONDS));
    assertEquals(0, s.availablePermits());
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void zeroPermitsSucceedAtOnceEvenBelowZero(Fairness f) throws InterruptedException {
    CountingSemaphore s = Primitives.countingSemaphore(-2, f);
    s.acquire(0);
    s.acquireUninterruptibly(0);
    assertTrue(s.tryAcquire(0));
    assertTrue(s.tryAcquire(0, 0, NANOSECONDS));
    s.release(0);
    assertEquals(-2, s.availablePermits());
    Held zero = s.acquired(0);
    assertEquals(-2, s.availablePermits());
    zero.close();
    assertEquals(-2, s.availablePermits());
    // but the interrupt check still comes first
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> s.acquire(0));
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void negativeInitialCountNeedsReleasesFirst(Fairness f) throws Exception {
    CountingSemaphore s = Primitives.countingSemaphore(-2, f);
    assertEquals(-2, s.availablePermits());
    assertFalse(s.isAvailable());
    assertFalse(s.tryAcquire());
    Worker<Void> w =
        start(
            "acquirer",
            () -> {
              s.acquire();
              return null;
            });
    awaitTrue("the acquirer is queued", () -> s.getQueueLength() == 1);
    s.release(2);
    assertEquals(0, s.availablePermits());
    assertEquals(1, s.getQueueLength(), "0 permits: still waiting");
    s.release();
    w.join();
    assertEquals(0, s.availablePermits());
    assertFalse(s.hasQueuedThreads());
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void drainPermits(Fairness f) {
    CountingSemaphore s = Primitives.countingSemaphore(5, f);
    assertEquals(5, s.drainPermits());
    assertEquals(0, s.availablePermits());
    assertEquals(0, s.drainPermits());
    CountingSemaphore n = Primitives.countingSemaphore(-3, f);
    assertEquals(-3, n.drainPermits(), "a deficit is reset and returned");
    assertEquals(0, n.availablePermits());
  }

  // ---------------------------------------------------------------------------------------------
  // Bounds

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void boundedRejectsOverReleaseAndChangesNothing(Fairness f) throws InterruptedException {
    CountingSemaphore s = Primitives.boundedSemaphore(2, 4, f);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.release(3));
    assertTrue(e.getMessage().startsWith("release(3) would exceed maxPermits=4"), e.getMessage());
    assertEquals(2, s.availablePermits());
    s.release(2);
    assertEquals(4, s.availablePermits());
    assertThrows(IllegalStateException.class, s::release);
    assertThrows(IllegalStateException.class, () -> s.release(Integer.MAX_VALUE));
    assertEquals(4, s.availablePermits());
    s.release(0); // allowed even when full
    s.acquire(4);
    s.release(4);
    assertEquals(4, s.availablePermits());
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void unboundedRejectsOverflowAndChangesNothing(Fairness f) {
    CountingSemaphore s = Primitives.countingSemaphore(Integer.MAX_VALUE - 1, f);
    assertThrows(IllegalStateException.class, () -> s.release(2));
    s.release();
    assertEquals(Integer.MAX_VALUE, s.availablePermits());
    IllegalStateException e = assertThrows(IllegalStateException.class, s::release);
    assertTrue(e.getMessage().contains("overflow"), e.getMessage());
    assertEquals(Integer.MAX_VALUE, s.availablePermits());
    CountingSemaphore low = Primitives.countingSemaphore(Integer.MIN_VALUE, f);
    low.release(Integer.MAX_VALUE);
    assertEquals(-1, low.availablePermits());
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void boundedRequestAboveTheBoundWaitsAndTimesOut(Fairness f) throws InterruptedException {
    CountingSemaphore s = Primitives.boundedSemaphore(2, 2, f);
    assertFalse(s.tryAcquire(3));
    assertFalse(s.tryAcquire(3, 1, MILLISECONDS));
    assertEquals(2, s.availablePermits());
    assertEquals(0, s.getQueueLength());
  }

  // ---------------------------------------------------------------------------------------------
  // Waiting, releasing from another thread

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void releaseFromAnotherThreadWakesMultiPermitWaiter(Fairness f) throws Exception {
    CountingSemaphore s = Primitives.boundedSemaphore(0, 3, f);
    Worker<Void> w =
        start(
            "acquire(3)",
            () -> {
              s.acquire(3);
              return null;
            });
    awaitTrue("queued", () -> s.getQueueLength() == 1);
    Worker<Void> releaser =
        start(
            "releaser",
            () -> {
              s.release();
              s.release(2);
              return null;
            });
    releaser.join();
    w.join();
    assertEquals(0, s.availablePermits());
    assertEquals(0, s.getQueueLength());
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void oneReleaseServesSeveralWaiters(Fairness f) throws Exception {
    CountingSemaphore s = Primitives.countingSemaphore(0, f);
    List<Worker<Void>> ws = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int need = i % 2 + 1;
      ws.add(
          start(
              "acquire(" + need + ")#" + i,
              () -> {
                s.acquire(need);
                return null;
              }));
      int queued = i + 1;
      awaitTrue(queued + " queued", () -> s.getQueueLength() == queued);
    }
    s.release(6); // 1 + 2 + 1 + 2
    for (Worker<Void> w : ws) {
      w.join();
    }
    assertEquals(0, s.availablePermits());
    assertEquals(0, s.getQueueLength());
  }

  // ---------------------------------------------------------------------------------------------
  // Interrupts

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void interruptBeforeWaitingThrowsEvenWithPermits(Fairness f) {
    CountingSemaphore s = Primitives.countingSemaphore(3, f);
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, s::acquire);
    assertFalse(Thread.currentThread().isInterrupted(), "cleared");
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> s.acquire(2));
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> s.tryAcquire(1, 0, NANOSECONDS));
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> s.tryAcquire(2, 1, SECONDS));
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, s::acquired);
    assertFalse(Thread.currentThread().isInterrupted());
    assertEquals(3, s.availablePermits(), "nothing taken");

    Thread.currentThread().interrupt();
    assertTrue(s.tryAcquire(), "untimed tryAcquire ignores the status");
    s.acquireUninterruptibly(2);
    assertTrue(Thread.interrupted(), "...and so does acquireUninterruptibly; still set");
    assertEquals(0, s.availablePermits());
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void interruptWhileWaitingThrowsAndLeavesTheQueue(Fairness f) throws Exception {
    CountingSemaphore s = Primitives.countingSemaphore(1, f);
    Worker<Void> untimed =
        start(
            "acquire(2)",
            () -> {
              s.acquire(2);
              return null;
            });
    awaitTrue("queued", () -> s.getQueueLength() == 1);
    awaitParked(untimed.thread);
    untimed.thread.interrupt();
    assertInstanceOf(InterruptedException.class, untimed.joinFailure());
    assertFalse(untimed.thread.isInterrupted());

    Worker<Boolean> timed = start("tryAcquire(2, 1 min)", () -> s.tryAcquire(2, 1, TimeUnit.MINUTES));
    awaitTrue("queued", () -> s.getQueueLength() == 1);
    awaitParked(timed.thread);
    timed.thread.interrupt();
    assertInstanceOf(InterruptedException.class, timed.joinFailure());

    assertEquals(0, s.getQueueLength());
    assertEquals(1, s.availablePermits(), "the waiters took nothing away");
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void uninterruptibleWaitKeepsWaitingAndReturnsWithStatusSet(Fairness f) throws Exception {
    CountingSemaphore s = Primitives.countingSemaphore(0, f);
    Worker<Boolean> w =
        start(
            "acquireUninterruptibly(2)",
            () -> {
              s.acquireUninterruptibly(2);
              return Thread.interrupted();
            });
    awaitTrue("queued", () -> s.getQueueLength() == 1);
    awaitParked(w.thread);
    w.thread.interrupt();
    // still waiting: it parks again, still queued
    awaitParked(w.thread);
    assertEquals(1, s.getQueueLength());
    s.release(2);
    assertEquals(true, w.join(), "returned with the interrupted status set");
    assertEquals(0, s.availablePermits());
  }

  // ---------------------------------------------------------------------------------------------
  // Timeouts

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void timeoutsAtAndBelowZeroDoNotWait(Fairness f) throws InterruptedException {
    CountingSemaphore s = Primitives.countingSemaphore(1, f);
    for (long t : new long[] {0L, -1L, Long.MIN_VALUE}) {
      assertFalse(s.tryAcquire(2, t, NANOSECONDS));
      assertFalse(s.tryAcquire(2, t, TimeUnit.DAYS));
      assertEquals(0, s.getQueueLength());
      assertTrue(s.tryAcquire(1, t, NANOSECONDS));
      s.release();
    }
    assertEquals(1, s.availablePermits());
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void timedWaitTimesOutTakingNothing(Fairness f) throws InterruptedException {
    CountingSemaphore s = Primitives.countingSemaphore(1, f);
    long start = System.nanoTime();
    assertFalse(s.tryAcquire(2, 20, MILLISECONDS));
    assertTrue(System.nanoTime() - start >= MILLISECONDS.toNanos(20), "waited the timeout");
    assertEquals(1, s.availablePermits());
    assertEquals(0, s.getQueueLength());
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void hugeTimeoutsWaitUntilReleased(Fairness f) throws Exception {
    CountingSemaphore s = Primitives.countingSemaphore(0, f);
    Worker<Boolean> a = start("MAX ns", () -> s.tryAcquire(1, Long.MAX_VALUE, NANOSECONDS));
    awaitTrue("queued", () -> s.getQueueLength() == 1);
    Worker<Boolean> b = start("MAX days", () -> s.tryAcquire(1, Long.MAX_VALUE, TimeUnit.DAYS));
    awaitTrue("queued", () -> s.getQueueLength() == 2);
    awaitParked(a.thread);
    awaitParked(b.thread);
    s.release(2);
    assertEquals(true, a.join());
    assertEquals(true, b.join());
  }

  // ---------------------------------------------------------------------------------------------
  // Fairness

  @Test
  void fifoLargeHeadIsNotOvertakenBySmallerLaterRequests() throws Exception {
    CountingSemaphore s = Primitives.countingSemaphore(0, Fairness.FIFO);
    Worker<Void> big =
        start(
            "acquire(3)",
            () -> {
              s.acquire(3);
              return null;
            });
    awaitTrue("big queued", () -> s.getQueueLength() == 1);
    Worker<Void> small =
        start(
            "acquire(1)",
            () -> {
              s.acquire(1);
              return null;
            });
    awaitTrue("small queued", () -> s.getQueueLength() == 2);

    s.release(); // a FIFO release grants in the releasing thread: the result is visible at once
    assertEquals(2, s.getQueueLength(), "small did not overtake big");
    assertEquals(1, s.availablePermits(), "the permit stays counted while big waits for more");
    assertFalse(s.tryAcquire(1, 0, NANOSECONDS), "a timeout-0 try respects the queue under FIFO");
    s.release();
    assertEquals(2, s.getQueueLength());
    assertEquals(2, s.availablePermits());
    s.release();
    big.join();
    assertEquals(1, s.getQueueLength(), "small still waits");
    assertEquals(0, s.availablePermits());
    s.release();
    small.join();
    assertEquals(0, s.getQueueLength());
    assertEquals(0, s.availablePermits());
  }

  @Test
  void fifoServesInArrivalOrder() throws Exception {
    CountingSemaphore s = Primitives.countingSemaphore(0, Fairness.FIFO);
    List<Worker<Void>> ws = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ws.add(
          start(
              "waiter" + i,
              () -> {
                s.acquire();
                return null;
              }));
      int queued = i + 1;
      awaitTrue(queued + " queued", () -> s.getQueueLength() == queued);
    }
    for (int i = 0; i < ws.size(); i++) {
      s.release();
      ws.get(i).join(); // the longest waiting one got it
      for (int j = i + 1; j < ws.size(); j++) {
        assertTrue(ws.get(j).thread.isAlive(), "waiter" + j + " still waits");
      }
    }
  }

  @Test
  void fifoTimedOutHeadTakesNothingAndTheNextHeadProceeds() throws Exception {
    CountingSemaphore s = Primitives.countingSemaphore(2, Fairness.FIFO);
    Worker<Boolean> big = start("tryAcquire(3, 200 ms)", () -> s.tryAcquire(3, 200, MILLISECONDS));
    awaitTrue("big queued", () -> s.getQueueLength() == 1);
    Worker<Void> small =
        start(
            "acquire(1)",
            () -> {
              s.acquire(1);
              return null;
            });
    awaitTrue("small queued", () -> s.getQueueLength() == 2);
    assertEquals(false, big.join(), "big timed out");
    small.join(); // the new head was signalled and took one of the two permits
    assertEquals(1, s.availablePermits());
    assertEquals(0, s.getQueueLength());
  }

  @Test
  void fifoInterruptedHeadTakesNothingAndTheNextHeadProceeds() throws Exception {
    CountingSemaphore s = Primitives.countingSemaphore(1, Fairness.FIFO);
    Worker<Void> big =
        start(
            "acquire(2)",
            () -> {
              s.acquire(2);
              return null;
            });
    awaitTrue("big queued", () -> s.getQueueLength() == 1);
    Worker<Void> small =
        start(
            "acquire(1)",
            () -> {
              s.acquire(1);
              return null;
            });
    awaitTrue("small queued", () -> s.getQueueLength() == 2);
    awaitParked(big.thread);
    big.thread.interrupt();
    assertInstanceOf(InterruptedException.class, big.joinFailure());
    small.join();
    assertEquals(0, s.availablePermits());
    assertEquals(0, s.getQueueLength());
  }

  @Test
  void untimedTryAcquireMayBargeEvenUnderFifo() throws Exception {
    CountingSemaphore s = Primitives.countingSemaphore(1, Fairness.FIFO);
    Worker<Void> big =
        start(
            "acquire(2)",
            () -> {
              s.acquire(2);
              return null;
            });
    awaitTrue("big queued", () -> s.getQueueLength() == 1);
    assertTrue(s.tryAcquire());
    s.release(2);
    big.join();
  }

  @Test
  void bargingOverdueHeadIsHandedTheReleasedPermitsDirectly() throws Exception {
    CountingSemaphore s = Primitives.countingSemaphore(1, Fairness.BARGING);
    Worker<Void> w =
        start(
            "acquire(2)",
            () -> {
              s.acquire(2);
              return null;
            });
    awaitTrue("queued", () -> s.getQueueLength() == 1);
    letTimePass(3 * BargingEntryQueue.FAIRNESS_BOUND_NANOS);
    s.release(); // 1 + 1 satisfy the overdue head: handed over, never visible to arrivals
    assertEquals(0, s.availablePermits());
    assertEquals(0, s.getQueueLength());
    assertFalse(s.tryAcquire(), "nothing left for an arriving thread");
    w.join();
  }

  @Test
  void bargingOverdueHeadNeedingMoreLeavesThePermitsCounted() throws Exception {
    CountingSemaphore s = Primitives.countingSemaphore(0, Fairness.BARGING);
    Worker<Void> w =
        start(
            "acquire(3)",
            () -> {
              s.acquire(3);
              return null;
            });
    awaitTrue("queued", () -> s.getQueueLength() == 1);
    letTimePass(3 * BargingEntryQueue.FAIRNESS_BOUND_NANOS);
    s.release();
    assertEquals(1, s.availablePermits());
    assertEquals(1, s.getQueueLength());
    s.release(2);
    w.join();
    assertEquals(0, s.availablePermits());
  }

  @Test
  void bargingHeadThatAskedForSeveralPermitsIsServedBeforeLaterArrivals() throws Exception {
    CountingSemaphore s = Primitives.countingSemaphore(0, Fairness.BARGING);
    Worker<Void> big =
        start(
            "acquire(3)",
            () -> {
              s.acquire(3);
              return null;
            });
    awaitTrue("queued", () -> s.getQueueLength() == 1);
    // The head parks until it becomes due, wakes, and asks for its hand-off.
    awaitTrue("the head asked", () -> requestOf(s) == 3);
    s.release();
    s.release();
    assertEquals(2, s.availablePermits(), "released permits stay counted while the head waits");
    assertFalse(s.tryAcquire(1, 0, NANOSECONDS), "a later arrival does not take them");
    Worker<Boolean> arrival = start("arrival", () -> s.tryAcquire(1, 20, SECONDS));
    awaitTrue("the arrival queues behind the head", () -> s.getQueueLength() == 2);
    assertEquals(2, s.availablePermits());
    s.release(); // completes the request: all three go to the head
    big.join();
    assertEquals(0, s.availablePermits());
    s.release();
    assertTrue(arrival.join());
    assertEquals(0, s.availablePermits());
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void aReleaseOfPermitsNobodyHoldsIsRejectedEvenWhenAWaiterWouldTakeThem(Fairness f)
      throws Exception {
    CountingSemaphore s = Primitives.boundedSemaphore(2, 2, f);
    assertTrue(s.tryAcquire(1));
    Worker<Void> big =
        start(
            "acquire(2)",
            () -> {
              s.acquire(2);
              return null;
            });
    awaitTrue("queued", () -> s.getQueueLength() == 1);
    if (f == Fairness.BARGING) {
      awaitTrue("the head asked for its hand-off", () -> requestOf(s) == 2);
    }
    // One permit is out, so releasing two would make three of a bound of two, although the
    // waiter would take two of them at once.
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.release(2));
    assertTrue(e.getMessage().contains("maxPermits=2"), e.getMessage());
    assertEquals(1, s.availablePermits(), "nothing changed");
    assertEquals(1, s.getQueueLength(), "nothing changed");
    s.release(1); // the permit that was out: now the waiter's two are there
    big.join();
    assertEquals(0, s.availablePermits());
  }

  /** The hand-off request the head of {@code s}'s queue has published (BARGING), 0 if none. */
  private static int requestOf(CountingSemaphore s) {
    try {
      java.lang.reflect.Field f = QueuedSemaphore.class.getDeclaredField("queue");
      f.setAccessible(true);
      Object q = f.get(s);
      return q == null ? 0 : ((BargingEntryQueue) q).request();
    } catch (ReflectiveOperationException e) {
      throw new LinkageError("QueuedSemaphore.queue", e);
    }
  }

  @Test
  void bargingArrivalMayOvertakeAFreshHead() throws Exception {
    CountingSemaphore s = Primitives.countingSemaphore(1, Fairness.BARGING);
    Worker<Void> big =
        start(
            "acquire(2)",
            () -> {
              s.acquire(2);
              return null;
            });
    awaitTrue("big queued", () -> s.getQueueLength() == 1);
    assertTrue(s.tryAcquire(1, 0, NANOSECONDS), "BARGING: a timeout-0 try may take it");
    s.release(2);
    big.join();
    assertEquals(0, s.availablePermits());
  }

  // ---------------------------------------------------------------------------------------------
  // Handles

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void acquiredHandleReleasesOnceFromAnyThread(Fairness f) throws Exception {
    CountingSemaphore s = Primitives.boundedSemaphore(3, 3, f);
    try (Held h = s.acquired(2)) {
      assertEquals(1, s.availablePermits(), h.toString());
    }
    assertEquals(3, s.availablePermits());
    Held h = s.acquired(3);
    assertEquals(0, s.availablePermits());
    start(
            "closer",
            () -> {
              h.close();
              return null;
            })
        .join();
    assertEquals(3, s.availablePermits());
    IllegalStateException e = assertThrows(IllegalStateException.class, h::close);
    assertTrue(e.getMessage().contains("already closed"), e.getMessage());
    assertEquals(3, s.availablePermits());
    Held one = s.acquired();
    assertEquals(2, s.availablePermits());
    one.close();
    assertEquals(3, s.availablePermits());
  }
}
