package dev.syncprims.impl;

import static dev.syncprims.impl.Workers.waitUntil;
import static dev.syncprims.impl.Workers.waitUntilParked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncprims.Fairness;
import dev.syncprims.Held;
import dev.syncprims.Monitor;
import dev.syncprims.Monitor.Semantics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract of {@link Monitor}, for both semantics (and both fairness modes where it matters). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MonitorContractTest {

  static Stream<Arguments> kinds() {
    List<Arguments> all = new ArrayList<>();
    for (Semantics s : Semantics.values()) {
      for (Fairness f : Fairness.values()) {
        all.add(Arguments.of(s, f));
      }
    }
    return all.stream();
  }

  private static QueuedMonitor monitor(Semantics semantics) {
    return new QueuedMonitor(semantics, Fairness.BARGING);
  }

  // ---------------------------------------------------------------------------------------------
  // Factory, queries, toString

  @Test
  void factoriesMakeTheAskedSemanticsAndFairness() {
    assertEquals(Semantics.MESA, Primitives.mesaMonitor().semantics());
    assertEquals(Fairness.BARGING, Primitives.mesaMonitor().fairness());
    assertEquals(Fairness.FIFO, Primitives.mesaMonitor(Fairness.FIFO).fairness());
    assertEquals(Semantics.HOARE, Primitives.hoareMonitor().semantics());
    assertEquals(Fairness.BARGING, Primitives.hoareMonitor().fairness());
    assertEquals(Fairness.FIFO, Primitives.hoareMonitor(Fairness.FIFO).fairness());
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> Primitives.hoareMonitor(null));
    assertEquals("fairness", e.getMessage());
    e = assertThrows(NullPointerException.class, () -> new QueuedMonitor(null, Fairness.FIFO));
    assertEquals("semantics", e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void toStringShowsOccupantDepthQueuesSemanticsAndFairness(Semantics s, Fairness f) {
    QueuedMonitor m = new QueuedMonitor(s, f);
    assertTrue(m.toString().contains("[free, 0 entering, "), m.toString());
    assertTrue(m.toString().endsWith(s + ", " + f + "]"), m.toString());
    assertEquals(s == Semantics.HOARE, m.toString().contains("0 urgent"), m.toString());
    m.enter();
    m.enter();
    assertTrue(
        m.toString().contains("occupied by \"" + Thread.currentThread().getName() + "\" at depth 2"),
        m.toString());
    Monitor.Condition c = m.newCondition();
    assertTrue(c.toString().startsWith("Condition[0 waiting] of QueuedMonitor@"), c.toString());
    m.exit();
    m.exit();
  }

  // ---------------------------------------------------------------------------------------------
  // Entering, depth, exiting

  @ParameterizedTest
  @MethodSource("kinds")
  void reentrancyCountsDepth(Semantics s, Fairness f) throws Exception {
    QueuedMonitor m = new QueuedMonitor(s, f);
    assertFalse(m.isOccupied());
    assertEquals(0, m.getOccupiedDepth());
    m.enter();
    assertTrue(m.tryEnter());
    m.enterInterruptibly();
    assertTrue(m.tryEnter(0, TimeUnit.SECONDS));
    assertEquals(4, m.getOccupiedDepth());
    assertTrue(m.isOccupiedByCurrentThread());
    assertSame(Thread.currentThread(), m.owner());
    try (Workers w = new Workers()) {
      w.start(
          "other",
          () -> {
            assertTrue(m.isOccupied());
            assertFalse(m.isOccupiedByCurrentThread());
            assertEquals(0, m.getOccupiedDepth());
            assertFalse(m.tryEnter());
            assertFalse(m.tryEnter(1, TimeUnit.MILLISECONDS));
          });
      w.joinAll();
    }
    for (int d = 3; d >= 0; d--) {
      m.exit();
      assertEquals(d, m.getOccupiedDepth());
    }
    assertFalse(m.isOccupied());
    assertNull(m.owner());
  }

  @ParameterizedTest
  @EnumSource(Semantics.class)
  void depthBeyondTheMaximumIsRefusedWithNothingChanged(Semantics s) {
    QueuedMonitor m = monitor(s);
    for (int i = 0; i < 65_535; i++) {
      m.enter();
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, m::enter);
    assertTrue(e.getMessage().contains("65535"), e.getMessage());
    assertThrows(IllegalStateException.class, m::tryEnter);
    assertThrows(IllegalStateException.class, m::enterInterruptibly);
    assertThrows(IllegalStateException.class, () -> m.tryEnter(1, TimeUnit.SECONDS));
    assertEquals(65_535, m.getOccupiedDepth());
    for (int i = 0; i < 65_535; i++) {
      m.exit();
    }
    assertFalse(m.isOccupied());
  }

  @ParameterizedTest
  @EnumSource(Semantics.class)
  void enteredHandleExitsOnceAndOnlyOnce(Semantics s) {
    QueuedMonitor m = monitor(s);
    m.enter();
    Held h = m.entered();
    assertEquals(2, m.getOccupiedDepth());
    h.close();
    assertEquals(1, m.getOccupiedDepth());
    assertThrows(IllegalStateException.class, h::close);
    assertEquals(1, m.getOccupiedDepth());
    m.exit();
  }

  @ParameterizedTest
  @EnumSource(Semantics.class)
  void interruptedStatusWinsOnEntryEvenWhenTheMonitorIsFreeOrOurs(Semantics s) {
    QueuedMonitor m = monitor(s);
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, m::enterInterruptibly);
    assertFalse(Thread.interrupted());
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> m.tryEnter(1, TimeUnit.SECONDS));
    assertFalse(Thread.interrupted());
    m.enter();
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, m::enterInterruptibly);
    assertFalse(Thread.interrupted());
    assertEquals(1, m.getOccupiedDepth());
    // tryEnter() neither checks nor changes the status.
    Thread.currentThread().interrupt();
    assertTrue(m.tryEnter());
    assertTrue(Thread.interrupted());
    m.exit();
    m.exit();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void entrantInterruptedOrTimedOutWhileQueuedLeavesNothingBehind(Semantics s, Fairness f)
      throws Exception {
    QueuedMonitor m = new QueuedMonitor(s, f);
    m.enter();
    try (Workers w = new Workers()) {
      Thread t = w.start("interruptible", () -> assertThrows(InterruptedException.class, m::enterInterruptibly));
      waitUntil(() -> m.getQueueLength() == 1, "the entrant is queued");
      t.interrupt();
      w.start("timed", () -> assertFalse(m.tryEnter(20, TimeUnit.MILLISECONDS)));
      w.joinAll();
    }
    assertEquals(0, m.getQueueLength());
    assertFalse(m.hasQueuedThreads());
    m.exit();
  }

  // ---------------------------------------------------------------------------------------------
  // Misuse

  @ParameterizedTest
  @EnumSource(Semantics.class)
  void nonOccupantGetsIllegalMonitorStateFromEverythingButEntryAndQueries(Semantics s)
      throws Exception {
    QueuedMonitor m = monitor(s);
    Monitor.Condition c = m.newCondition();
    BooleanSupplier yes = () -> true;
    List<Runnable> misuses =
        List.of(
            m::exit,
            () -> call(c::await),
            c::awaitUninterruptibly,
            () -> call(() -> c.awaitNanos(1)),
            () -> call(() -> c.awaitNanos(0)),
            () -> call(() -> c.await(1, TimeUnit.SECONDS)),
            () -> call(() -> c.waitFor(yes)),
            () -> call(() -> c.waitFor(yes, 1, TimeUnit.SECONDS)),
            c::signal,
            c::signalAll);
    for (Runnable r : misuses) {
      IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, r::run);
      assertTrue(e.getMessage().contains("which does not occupy QueuedMonitor@"), e.getMessage());
    }
    // ... also when another thread occupies it.
    try (Workers w = new Workers()) {
      m.enter();
      w.start(
          "other",
          () -> {
            for (Runnable r : misuses) {
              assertThrows(IllegalMonitorStateException.class, r::run);
            }
            assertTrue(m.isOccupied());
            assertFalse(c.hasWaiters());
            assertEquals(0, c.getWaitQueueLength());
          });
      w.joinAll();
      m.exit();
    }
    assertFalse(m.isOccupied());
  }

  @ParameterizedTest
  @EnumSource(Semantics.class)
  void argumentsAreCheckedFirstThenTheInterruptThenTheState(Semantics s) {
    QueuedMonitor m = monitor(s);
    Monitor.Condition c = m.newCondition();
    Thread.currentThread().interrupt();
    assertEquals(
        "unit",
        assertThrows(NullPointerException.class, () -> c.await(1, null)).getMessage());
    assertEquals(
        "guard", assertThrows(NullPointerException.class, () -> c.waitFor(null)).getMessage());
    assertEquals(
        "guard",
        assertThrows(NullPointerException.class, () -> c.waitFor(null, 1, TimeUnit.SECONDS))
            .getMessage());
    assertEquals(
        "unit",
        assertThrows(NullPointerException.class, () -> c.waitFor(() -> true, 1, null))
            .getMessage());
    assertEquals(
        "unit", assertThrows(NullPointerException.class, () -> m.tryEnter(1, null)).getMessage());
    assertTrue(Thread.interrupted(), "a null argument leaves the status alone");
    // Interrupted non-occupant: InterruptedException, not IllegalMonitorStateException.
    for (Interruptible r :
        List.<Interruptible>of(
            c::await,
            () -> c.awaitNanos(0),
            () -> c.await(0, TimeUnit.SECONDS),
            () -> c.waitFor(() -> true),
            () -> c.waitFor(() -> true, 0, TimeUnit.SECONDS))) {
      Thread.currentThread().interrupt();
      assertThrows(InterruptedException.class, r::run);
      assertFalse(Thread.interrupted());
    }
  }

  interface Interruptible {
    void run() throws InterruptedException;
  }

  private static void call(Interruptible r) {
    try {
      r.run();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Waiting and signalling

  @ParameterizedTest
  @MethodSource("kinds")
  void awaitGivesUpEveryLevelAndRestoresTheDepth(Semantics s, Fairness f) throws Exception {
    QueuedMonitor m = new QueuedMonitor(s, f);
    Monitor.Condition c = m.newCondition();
    AtomicInteger depthAfter = new AtomicInteger();
    try (Workers w = new Workers()) {
      w.start(
          "waiter",
          () -> {
            m.enter();
            m.enter();
            m.enter();
            c.await();
            depthAfter.set(m.getOccupiedDepth());
            m.exit();
            m.exit();
            m.exit();
          });
      waitUntil(() -> c.getWaitQueueLength() == 1 && !m.isOccupied(), "the waiter waits");
      assertTrue(c.hasWaiters());
      m.enter();
      c.signal();
      m.exit();
      w.joinAll();
    }
    assertEquals(3, depthAfter.get());
    assertFalse(m.isOccupied());
    assertFalse(c.hasWaiters());
  }

  @ParameterizedTest
  @EnumSource(Semantics.class)
  void signalWithNoWaitersDoesNothing(Semantics s) {
    QueuedMonitor m = monitor(s);
    Monitor.Condition c = m.newCondition();
    m.enter();
    m.enter();
    c.signal();
    c.signalAll();
    assertEquals(2, m.getOccupiedDepth());
    assertEquals(0, m.urgentQueueLength());
    m.exit();
    m.exit();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void signalWakesTheLongestWaiterFirst(Semantics s, Fairness f) throws Exception {
    QueuedMonitor m = new QueuedMonitor(s, f);
    Monitor.Condition c = m.newCondition();
    List<String> woke = Collections.synchronizedList(new ArrayList<>());
    try (Workers w = new Workers()) {
      for (int i = 0; i < 3; i++) {
        String name = "w" + i;
        int expected = i + 1;
        w.start(
            name,
            () -> {
              m.enter();
              try {
                c.awaitUninterruptibly();
                woke.add(name);
              } finally {
                m.exit();
              }
            });
        waitUntil(() -> c.getWaitQueueLength() == expected, name + " waits");
      }
      for (int i = 0; i < 3; i++) {
        int expected = i + 1;
        m.enter();
        c.signal();
        m.exit();
        waitUntil(() -> woke.size() == expected, "the signalled waiter ran");
      }
      w.joinAll();
    }
    assertEquals(List.of("w0", "w1", "w2"), woke);
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void signalAllWakesEveryWaiterPresent(Semantics s, Fairness f) throws Exception {
    QueuedMonitor m = new QueuedMonitor(s, f);
    Monitor.Condition c = m.newCondition();
    List<String> woke = Collections.synchronizedList(new ArrayList<>());
    try (Workers w = new Workers()) {
      for (int i = 0; i < 4; i++) {
        String name = "w" + i;
        int expected = i + 1;
        w.start(
            name,
            () -> {
              m.enter();
              try {
                c.await();
                woke.add(name);
              } finally {
                m.exit();
              }
            });
        waitUntil(() -> c.getWaitQueueLength() == expected, name + " waits");
      }
      m.enter();
      c.signalAll();
      if (s == Semantics.HOARE) {
        // Each received the monitor in turn before signalAll returned.
        assertEquals(List.of("w0", "w1", "w2", "w3"), woke);
        assertEquals(0, m.getQueueLength());
      } else {
        assertTrue(woke.isEmpty(), "MESA: the signaller keeps the monitor");
        assertEquals(4, m.getQueueLength(), "MESA: all moved to the entry queue");
      }
      assertEquals(0, c.getWaitQueueLength());
      m.exit();
      w.joinAll();
    }
    if (s == Semantics.MESA && f == Fairness.BARGING) {
      // Moved waiters compete again like entrants, and under BARGING an entrant may overtake:
      // every one of them enters once, in no promised order.
      assertEquals(Set.of("w0", "w1", "w2", "w3"), Set.copyOf(woke));
      assertEquals(4, woke.size());
    } else {
      assertEquals(List.of("w0", "w1", "w2", "w3"), woke);
    }
  }

  @ParameterizedTest
  @EnumSource(Semantics.class)
  void signalAllDoesNotWakeAThreadThatWaitsAgain(Semantics s) throws Exception {
    QueuedMonitor m = monitor(s);
    Monitor.Condition c = m.newCondition();
    AtomicInteger wakeUps = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    try (Workers w = new Workers()) {
      w.start(
          "waits twice",
          () -> {
            m.enter();
            try {
              c.waitFor(stop::get);
              wakeUps.incrementAndGet();
            } finally {
              m.exit();
            }
          });
      waitUntil(() -> c.getWaitQueueLength() == 1, "it waits");
      m.enter();
      c.signalAll(); // HOARE: it re-checks, waits again within this call, and is not woken again
      m.exit();
      waitUntil(() -> c.getWaitQueueLength() == 1 && !m.isOccupied(), "it waits again");
      assertEquals(0, wakeUps.get());
      m.enter();
      stop.set(true);
      c.signalAll();
      m.exit();
      w.joinAll();
    }
    assertEquals(1, wakeUps.get());
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void waitForEvaluatesTheGuardFirstAndLoopsUntilItHolds(Semantics s, Fairness f)
      throws Exception {
    QueuedMonitor m = new QueuedMonitor(s, f);
    Monitor.Condition c = m.newCondition();
    int[] count = {0};
    AtomicInteger evaluations = new AtomicInteger();
    m.enter();
    c.waitFor(() -> evaluations.incrementAndGet() > 0);
    assertEquals(1, evaluations.get(), "a true guard returns without waiting");
    assertTrue(c.waitFor(() -> true, -1, TimeUnit.SECONDS), "whatever the timeout");
    m.exit();
    evaluations.set(0);
    try (Workers w = new Workers()) {
      w.start(
          "waiter",
          () -> {
            m.enter();
            try {
              c.waitFor(
                  () -> {
                    evaluations.incrementAndGet();
                    return count[0] >= 3;
                  });
              assertEquals(3, count[0]);
              assertTrue(m.isOccupiedByCurrentThread());
            } finally {
              m.exit();
            }
          });
      for (int i = 1; i <= 3; i++) {
        int evaluated = i;
        waitUntil(
            () -> c.getWaitQueueLength() == 1 && evaluations.get() == evaluated,
            "the waiter waits again");
        m.enter();
        count[0]++;
        c.signal();
        m.exit();
      }
      w.joinAll();
    }
    assertEquals(4, evaluations.get());
  }

  @ParameterizedTest
  @EnumSource(Semantics.class)
  void aThrowingGuardPropagatesWithTheDepthKept(Semantics s) {
    QueuedMonitor m = monitor(s);
    Monitor.Condition c = m.newCondition();
    m.enter();
    m.enter();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                c.waitFor(
                    () -> {
                      throw new IllegalArgumentException("guard failed");
                    }));
    assertEquals("guard failed", e.getMessage());
    assertEquals(2, m.getOccupiedDepth());
    m.exit();
    m.exit();
  }

  // ---------------------------------------------------------------------------------------------
  // Timeouts

  @ParameterizedTest
  @EnumSource(Semantics.class)
  void aTimeoutOfZeroOrLessDoesNotWaitNorGiveUpTheMonitor(Semantics s) throws Exception {
    QueuedMonitor m = monitor(s);
    Monitor.Condition c = m.newCondition();
    m.enter();
    m.enter();
    assertEquals(0L, c.awaitNanos(0));
    assertEquals(-5L, c.awaitNanos(-5));
    assertEquals(Long.MIN_VALUE, c.awaitNanos(Long.MIN_VALUE));
    assertFalse(c.await(0, TimeUnit.SECONDS));
    assertFalse(c.await(Long.MIN_VALUE, TimeUnit.DAYS));
    AtomicInteger evaluations = new AtomicInteger();
    assertFalse(c.waitFor(() -> evaluations.incrementAndGet() < 0, 0, TimeUnit.SECONDS));
    assertFalse(c.waitFor(() -> evaluations.incrementAndGet() < 0, -1, TimeUnit.SECONDS));
    assertEquals(2, evaluations.get());
    assertEquals(2, m.getOccupiedDepth());
    try (Workers w = new Workers()) {
      w.start("other", () -> assertFalse(m.tryEnter()));
      w.joinAll();
    }
    m.exit();
    m.exit();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void aTimedWaitElapsesAndRestoresTheDepth(Semantics s, Fairness f) throws Exception {
    QueuedMonitor m = new QueuedMonitor(s, f);
    Monitor.Condition c = m.newCondition();
    m.enter();
    m.enter();
    long t0 = System.nanoTime();
    long left = c.awaitNanos(TimeUnit.MILLISECONDS.toNanos(5));
    assertTrue(left <= 0, "left " + left);
    assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(5));
    assertFalse(c.await(1, TimeUnit.MILLISECONDS));
    assertFalse(c.waitFor(() -> false, 2, TimeUnit.MILLISECONDS));
    assertEquals(2, m.getOccupiedDepth());
    assertFalse(c.hasWaiters());
    m.exit();
    m.exit();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void aWaiterThatTimesOutReEntersLikeAnEntrant(Semantics s, Fairness f) throws Exception {
    QueuedMonitor m = new QueuedMonitor(s, f);
    Monitor.Condition c = m.newCondition();
    AtomicBoolean entered = new AtomicBoolean();
    AtomicBoolean done = new AtomicBoolean();
    AtomicBoolean result = new AtomicBoolean(true);
    try (Workers w = new Workers()) {
      w.start(
          "timed waiter",
          () -> {
            m.enter();
            try {
              entered.set(true);
              waitUntil(() -> m.getQueueLength() == 1, "the test queues to enter");
              result.set(c.await(5, TimeUnit.MILLISECONDS)); // lets the test in
              assertEquals(1, m.getOccupiedDepth());
            } finally {
              done.set(true);
              m.exit();
            }
          });
      waitUntil(entered::get, "the waiter occupies the monitor");
      m.enter();
      // The waiter's 5 ms pass while we occupy the monitor: it must queue to re-enter.
      waitUntil(() -> m.getQueueLength() == 1 || done.get(), "the timed-out waiter queues");
      assertEquals(0, c.getWaitQueueLength());
      m.exit();
      w.joinAll();
    }
    assertFalse(result.get());
    assertFalse(m.isOccupied());
    assertEquals(0, m.getQueueLength());
  }

  @ParameterizedTest
  @EnumSource(Semantics.class)
  void awaitNanosReportsTheTimeLeftWhenSignalled(Semantics s) throws Exception {
    QueuedMonitor m = monitor(s);
    Monitor.Condition c = m.newCondition();
    AtomicLong left = new AtomicLong();
    AtomicBoolean signalled = new AtomicBoolean();
    try (Workers w = new Workers()) {
      w.start(
          "waiter",
          () -> {
            m.enter();
            try {
              left.set(c.awaitNanos(TimeUnit.SECONDS.toNanos(20)));
              signalled.set(c.await(Long.MAX_VALUE, TimeUnit.NANOSECONDS));
            } finally {
              m.exit();
            }
          });
      for (int i = 1; i <= 2; i++) {
        int expectedRound = i;
        waitUntil(
            () -> c.getWaitQueueLength() == 1 && (expectedRound == 1 || left.get() != 0),
            "it waits");
        m.enter();
        c.signal();
        m.exit();
      }
      w.joinAll();
    }
    assertTrue(left.get() > 0 && left.get() <= TimeUnit.SECONDS.toNanos(20), "left " + left);
    assertTrue(signalled.get());
  }

  // ---------------------------------------------------------------------------------------------
  // Interrupts

  @ParameterizedTest
  @EnumSource(Semantics.class)
  void anInterruptedStatusOnEntryToAWaitThrowsAndKeepsTheMonitor(Semantics s) {
    QueuedMonitor m = monitor(s);
    Monitor.Condition c = m.newCondition();
    m.enter();
    m.enter();
    for (Interruptible r :
        List.<Interruptible>of(
            c::await,
            () -> c.awaitNanos(1_000),
            () -> c.await(1, TimeUnit.SECONDS),
            () -> c.waitFor(() -> true),
            () -> c.waitFor(() -> true, 1, TimeUnit.SECONDS))) {
      Thread.currentThread().interrupt();
      assertThrows(InterruptedException.class, r::run);
      assertFalse(Thread.interrupted(), "the status is cleared");
      assertEquals(2, m.getOccupiedDepth());
    }
    assertFalse(c.hasWaiters());
    m.exit();
    m.exit();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void anInterruptDuringAWaitThrowsAfterReEnteringAtTheSameDepth(Semantics s, Fairness f)
      throws Exception {
    QueuedMonitor m = new QueuedMonitor(s, f);
    Monitor.Condition c = m.newCondition();
    List<Interruptible> waits =
        List.of(
            c::await,
            () -> c.awaitNanos(Long.MAX_VALUE),
            () -> c.await(1, TimeUnit.HOURS),
            () -> c.waitFor(() -> false),
            () -> c.waitFor(() -> false, 1, TimeUnit.HOURS));
    for (Interruptible wait : waits) {
      try (Workers w = new Workers()) {
        Thread t =
            w.start(
                "waiter",
                () -> {
                  m.enter();
                  m.enter();
                  try {
                    assertThrows(InterruptedException.class, wait::run);
                    assertFalse(Thread.currentThread().isInterrupted());
                    assertEquals(2, m.getOccupiedDepth());
                  } finally {
                    m.exit();
                    m.exit();
                  }
                });
        waitUntil(() -> c.getWaitQueueLength() == 1 && !m.isOccupied(), "it waits");
        m.enter(); // the interrupted waiter must wait for us to leave
        t.interrupt();
        waitUntil(() -> m.getQueueLength() == 1, "the interrupted waiter queues to re-enter");
        assertEquals(0, c.getWaitQueueLength());
        m.exit();
        w.joinAll();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Semantics.class)
  void awaitUninterruptiblyKeepsWaitingAndReturnsWithTheStatusSet(Semantics s) throws Exception {
    QueuedMonitor m = monitor(s);
    Monitor.Condition c = m.newCondition();
    try (Workers w = new Workers()) {
      Thread t =
          w.start(
              "waiter",
              () -> {
                m.enter();
                try {
                  c.awaitUninterruptibly();
                  assertTrue(Thread.interrupted());
                } finally {
                  m.exit();
                }
              });
      waitUntil(() -> c.getWaitQueueLength() == 1, "it waits");
      t.interrupt();
      waitUntilParked(t);
      assertEquals(1, c.getWaitQueueLength(), "still waiting after the interrupt");
      m.enter();
      c.signal();
      m.exit();
      w.joinAll();
    }
  }

  @Test
  void mesaWaiterInterruptedAfterItsSignalReturnsNormallyWithTheStatusSet() throws Exception {
    QueuedMonitor m = monitor(Semantics.MESA);
    Monitor.Condition c = m.newCondition();
    try (Workers w = new Workers()) {
      Thread t =
          w.start(
              "waiter",
              () -> {
                m.enter();
                try {
                  c.await();
                  assertTrue(Thread.interrupted(), "the interrupt is kept");
                } finally {
                  m.exit();
                }
              });
      waitUntil(() -> c.getWaitQueueLength() == 1, "it waits");
      m.enter();
      c.signal(); // MESA: moved to the entry queue; we keep the monitor
      t.interrupt(); // too late: the signal has won
      waitUntilParked(t);
      m.exit();
      w.joinAll();
    }
  }

  @Test
  void aHoareSignallerInterruptedOnTheUrgentQueueKeepsWaitingAndReturnsWithTheStatusSet()
      throws Exception {
    QueuedMonitor m = monitor(Semantics.HOARE);
    Monitor.Condition c = m.newCondition();
    AtomicBoolean interruptSent = new AtomicBoolean();
    try (Workers w = new Workers()) {
      w.start(
          "waiter",
          () -> {
            m.enter();
            try {
              c.await();
              // We occupy the monitor; the signaller waits on the urgent queue until we leave.
              waitUntil(interruptSent::get, "the test interrupts the signaller");
            } finally {
              m.exit();
            }
          });
      waitUntil(() -> c.getWaitQueueLength() == 1, "it waits");
      Thread signaller =
          w.start(
              "signaller",
              () -> {
                m.enter();
                m.enter();
                c.signal();
                assertEquals(2, m.getOccupiedDepth());
                assertTrue(Thread.interrupted(), "interrupted while on the urgent queue");
                m.exit();
                m.exit();
              });
      waitUntil(() -> m.urgentQueueLength() == 1, "the signaller is on the urgent queue");
      signaller.interrupt();
      waitUntilParked(signaller);
      assertEquals(1, m.urgentQueueLength(), "it keeps waiting");
      interruptSent.set(true);
      w.joinAll();
    }
    assertFalse(m.isOccupied());
    assertEquals(0, m.urgentQueueLength());
  }

  // ---------------------------------------------------------------------------------------------
  // As a Lock, and what tools see

  @ParameterizedTest
  @EnumSource(Semantics.class)
  @SuppressWarnings({"JavaUtilDate", "WaitNotInLoop"}) // Condition.awaitUntil takes a Date; no signal
  void asALockItsConditionsHonourAwaitUntil(Semantics s) throws Exception {
    QueuedMonitor m = monitor(s);
    java.util.concurrent.locks.Lock lock = m;
    java.util.concurrent.locks.Condition c = lock.newCondition();
    lock.lock();
    try {
      assertFalse(c.awaitUntil(new java.util.Date(Long.MIN_VALUE)), "a date far in the past");
      assertFalse(c.awaitUntil(new java.util.Date(System.currentTimeMillis() + 3)));
      assertEquals(1, m.getOccupiedDepth());
    } finally {
      lock.unlock();
    }
    assertFalse(m.isOccupied());
  }

  @ParameterizedTest
  @EnumSource(Semantics.class)
  void aWaiterParksOnTheConditionAnEntrantOnTheMonitor(Semantics s) throws Exception {
    QueuedMonitor m = monitor(s);
    Monitor.Condition c = m.newCondition();
    try (Workers w = new Workers()) {
      Thread waiter =
          w.start(
              "waiter",
              () -> {
                m.enter();
                try {
                  c.await();
                } finally {
                  m.exit();
                }
              });
      waitUntil(() -> c.getWaitQueueLength() == 1, "it waits");
      waitUntilParked(waiter);
      assertSame(c, java.util.concurrent.locks.LockSupport.getBlocker(waiter));
      m.enter();
      Thread entrant = w.start("entrant", () -> {
        m.enter();
        m.exit();
      });
      waitUntil(() -> m.getQueueLength() == 1, "it queues");
      waitUntilParked(entrant);
      assertSame(m, java.util.concurrent.locks.LockSupport.getBlocker(entrant));
      c.signal();
      m.exit();
      w.joinAll();
    }
  }
}
