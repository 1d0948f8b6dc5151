package dev.syncprims.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncprims.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Periodic schedules, {@link Timeout#getDelay} and {@link WheelTimer#stats()}. Timing is only
 * ever checked from below (a run never starts before its deadline, a fixed delay is never
 * shorter), never against an upper bound, so a loaded machine cannot fail these tests.
 */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
class WheelTimerPeriodicTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration LONG = Duration.ofHours(1);
  private static final Duration PERIOD = Duration.ofMillis(5);

  private final List<Thread> workers = new ArrayList<>();
  private final List<WheelTimer> timers = new ArrayList<>();
  private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

  private final ThreadFactory recordingFactory =
      r -> {
        Thread t = new Thread(r, "periodic-test-timer-" + workers.size());
        t.setDaemon(true);
        workers.add(t);
        return t;
      };

  private WheelTimer newTimer() {
    return track(WheelTimer.builder().threadFactory(recordingFactory).build());
  }

  private WheelTimer track(WheelTimer t) {
    timers.add(t);
    return t;
  }

  @AfterEach
  void closeTimers() throws InterruptedException {
    for (WheelTimer t : timers) {
      t.close();
    }
    for (Thread w : workers) {
      w.join(WAIT.toMillis());
      assertFalse(w.isAlive(), "worker " + w.getName() + " still alive after close()");
    }
    Throwable first = failures.peek();
    if (first != null) {
      throw new AssertionError("a task or helper thread failed", first);
    }
  }

  private static void awaitTrue(String what, BooleanSupplier condition) {
    assertTimeoutPreemptively(WAIT, () -> {
      while (!condition.getAsBoolean()) {
        LockSupport.parkNanos(100_000L);
      }
    }, what);
  }

  private static void await(CountDownLatch latch) {
    assertTimeoutPreemptively(WAIT, () -> latch.await());
  }

  private void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        failures.add(new AssertionError("a latch was never released"));
      }
    } catch (InterruptedException e) {
      failures.add(e);
    }
  }

  /** Lets the timer run until a one-shot task scheduled {@code delay} from now has run. */
  private static void letTimePass(WheelTimer timer, Duration delay) {
    CountDownLatch ran = new CountDownLatch(1);
    timer.schedule(ran::countDown, delay);
    await(ran);
  }

  /** What each run of a periodic task saw: its deadline and when it started and ended. */
  private static final class Runs {
    final List<long[]> runs = new ArrayList<>(); // {deadline, start, end}
    final AtomicReference<@Nullable Timeout> handle = new AtomicReference<>();

    synchronized void record(long deadline, long start, long end) {
      runs.add(new long[] {deadline, start, end});
    }

    synchronized List<long[]> snapshot() {
      return new ArrayList<>(runs);
    }
  }

  private static Timeout handleOf(Runs r) {
    Timeout t = r.handle.get();
    if (t == null) {
      throw new AssertionError("handle not set before the first run");
    }
    return t;
  }

  // ------------------------------------------------------------------ fixed rate

  @Test
  void fixedRateRunsAtEachDeadlineNeverBeforeItAndThePhaseIsKept() {
    WheelTimer timer = newTimer();
    Runs r = new Runs();
    CountDownLatch five = new CountDownLatch(5);
    CountDownLatch handleSet = new CountDownLatch(1);
    long before = System.nanoTime();
    Timeout t = timer.scheduleAtFixedRate(() -> {
      awaitQuietly(handleSet);
      long start = System.nanoTime();
      Timeout self = handleOf(r);
      if (self.state() != Timeout.State.RUNNING) {
        failures.add(new AssertionError("a run sees its timeout " + self.state()));
      }
      r.record(self.deadlineNanos(), start, System.nanoTime());
      five.countDown();
    }, PERIOD, PERIOD);
    r.handle.set(t);
    handleSet.countDown();
    await(five);
    assertTrue(t.cancel());
    List<long[]> runs = r.snapshot();
    long first = runs.get(0)[0];
    assertTrue(first - (before + PERIOD.toNanos()) >= 0, "first deadline after the initial delay");
    for (int i = 0; i < runs.size(); i++) {
      long[] run = runs.get(i);
      assertTrue(run[1] - run[0] >= 0, "run " + i + " started before its deadline");
      assertEquals(0, (run[0] - first) % PERIOD.toNanos(), "run " + i + " off the rate's phase");
      if (i > 0) {
        assertTrue(run[0] - runs.get(i - 1)[0] >= PERIOD.toNanos(), "deadlines go forward");
        assertTrue(run[1] - runs.get(i - 1)[2] >= 0, "runs do not overlap");
      }
    }
  }

  /**
   * The first run takes longer than several periods. The missed runs are not made up: one run
   * follows, whose deadline is on the rate's phase, and the one after it is due after the end of
   * the first run: no second catch-up. That the catch-up is due at once (its deadline is the
   * latest of the rate not after the end of the slow run) is checked with a fixed clock below:
   * here the worker reads the clock after the task has returned, and a pause of the worker
   * between the task's last reading and its own can move that deadline past the task's end.
   */
  @Test
  void fixedRateALateRunIsNotRepeatedToCatchUpMoreThanOnce() {
    WheelTimer timer = newTimer();
    Runs r = new Runs();
    CountDownLatch three = new CountDownLatch(3);
    CountDownLatch handleSet = new CountDownLatch(1);
    long period = Duration.ofMillis(10).toNanos();
    Timeout t = timer.scheduleAtFixedRate(() -> {
      awaitQuietly(handleSet);
      long start = System.nanoTime();
      Timeout self = handleOf(r);
      long deadline = self.deadlineNanos();
      if (three.getCount() == 3) {
        // A slow first run: at least five periods (a lower bound, whatever the machine).
        while (System.nanoTime() - (deadline + 5 * period) < 0) {
          Thread.onSpinWait();
        }
      }
      r.record(deadline, start, System.nanoTime());
      three.countDown();
    }, Duration.ZERO, Duration.ofNanos(period));
    r.handle.set(t);
    handleSet.countDown();
    await(three);
    assertTrue(t.cancel());
    List<long[]> runs = r.snapshot();
    long d1 = runs.get(0)[0];
    long end1 = runs.get(0)[2];
    long d2 = runs.get(1)[0];
    long d3 = runs.get(2)[0];
    assertEquals(0, (d2 - d1) % period, "the second deadline is on the rate's phase");
    assertTrue(d2 - d1 >= 5 * period, "missed runs are not made up one by one");
    assertTrue(runs.get(1)[1] - d2 >= 0, "the catch-up run started before its deadline");
    assertTrue(d3 - end1 > 0, "only one catch-up run: the next is due after the slow run ended");
    assertEquals(0, (d3 - d1) % period, "the third deadline is on the rate's phase");
  }

  /**
   * The rule behind the catch-up, with a fixed clock: after a run that ended {@code now}, a rate
   * that is late by a whole period or more is due at its latest deadline not after {@code now}
   * (one run at once, on the phase), otherwise at the previous deadline plus the period.
   */
  @Test
  void fixedRateNextDeadlineIsTheLatestOfTheRateNotAfterTheEndOfALateRun() {
    WheelTimer timer = track(WheelTimer.builder().threadFactory(recordingFactory).build());
    long p = Duration.ofMillis(10).toNanos();
    long d = timer.startNanos + 1_000; // the deadline of the run that has just ended
    PeriodicTimerEntry e = new PeriodicTimerEntry(timer, () -> {}, d, p);
    assertEquals(d + p, e.nextDeadline(d + p / 2), "on time: the next deadline of the rate");
    assertEquals(d + p, e.nextDeadline(d + p + p / 2), "late by less than a period: the next one");
    assertEquals(d + 5 * p, e.nextDeadline(d + 5 * p), "late by four periods: due at once");
    assertEquals(d + 5 * p, e.nextDeadline(d + 5 * p + 1), "the latest deadline not after now");
    assertEquals(d + 5 * p, e.nextDeadline(d + 6 * p - 1), "the latest deadline not after now");
    assertEquals(d + 6 * p, e.nextDeadline(d + 6 * p), "the latest deadline not after now");
  }

  // ------------------------------------------------------------------ fixed delay

  @Test
  void fixedDelaySpacesTheEndOfARunAndTheStartOfTheNext() {
    WheelTimer timer = newTimer();
    Runs r = new Runs();
    CountDownLatch five = new CountDownLatch(5);
    CountDownLatch handleSet = new CountDownLatch(1);
    Duration delay = Duration.ofMillis(3);
    Timeout t = timer.scheduleWithFixedDelay(() -> {
      awaitQuietly(handleSet);
      long start = System.nanoTime();
      Timeout self = handleOf(r);
      r.record(self.deadlineNanos(), start, System.nanoTime());
      five.countDown();
    }, Duration.ZERO, delay);
    r.handle.set(t);
    handleSet.countDown();
    await(five);
    assertTrue(t.cancel());
    List<long[]> runs = r.snapshot();
    for (int i = 1; i < runs.size(); i++) {
      long gap = runs.get(i)[1] - runs.get(i - 1)[2];
      assertTrue(gap >= delay.toNanos(), "run " + i + " started " + gap + " ns after the last ended");
      assertTrue(runs.get(i)[0] - runs.get(i - 1)[2] >= delay.toNanos(), "deadline " + i);
    }
  }

  // ------------------------------------------------------------------ failures

  @Test
  void aRunThatThrowsGoesToTheHandlerAndTheScheduleGoesOn() {
    AtomicInteger handled = new AtomicInteger();
    WheelTimer timer = track(WheelTimer.builder().threadFactory(recordingFactory)
        .exceptionHandler((thread, e) -> handled.incrementAndGet()).build());
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch four = new CountDownLatch(4);
    Timeout t = timer.scheduleAtFixedRate(() -> {
      int n = runs.incrementAndGet();
      four.countDown();
      if (n % 2 == 1) {
        throw new IllegalStateException("run " + n);
      }
    }, Duration.ZERO, PERIOD);
    await(four);
    assertTrue(t.cancel());
    assertTrue(handled.get() >= 2, "the failures of runs 1 and 3 reached the handler");
    assertEquals(Timeout.State.CANCELLED, t.state());
  }

  // ------------------------------------------------------------------ cancel

  @Test
  void cancelBetweenRunsStopsTheSchedule() {
    WheelTimer timer = newTimer();
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch two = new CountDownLatch(2);
    Timeout t = timer.scheduleWithFixedDelay(() -> {
      runs.incrementAndGet();
      two.countDown();
    }, Duration.ZERO, Duration.ofMillis(50));
    await(two);
    // Between runs (the next is 50 ms after the end of the last), or during one if this thread
    // was held up for that long: a run that had started may still count itself after cancel().
    awaitTrue("PENDING", () -> t.state() == Timeout.State.PENDING);
    assertTrue(t.cancel(), "prevented the next run");
    assertEquals(Timeout.State.CANCELLED, t.state());
    assertFalse(t.cancel());
    letTimePass(timer, Duration.ZERO); // the worker has finished any run in progress at cancel()
    int after = runs.get();
    letTimePass(timer, Duration.ofMillis(150)); // three delays: a run would have happened
    assertEquals(after, runs.get(), "no run after cancel() returned");
    assertEquals(Timeout.State.CANCELLED, t.state());
    assertEquals(0, timer.pendingCount());
  }

  @Test
  void cancelDuringARunLetsItFinishAndPreventsTheNext() {
    WheelTimer timer = newTimer();
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    Timeout t = timer.scheduleAtFixedRate(() -> {
      runs.incrementAndGet();
      running.countDown();
      awaitQuietly(release);
      finished.countDown();
    }, Duration.ZERO, Duration.ofMillis(1));
    await(running);
    assertEquals(Timeout.State.RUNNING, t.state());
    assertTrue(t.cancel(), "prevented the next run");
    assertFalse(t.cancel());
    assertEquals(Timeout.State.CANCELLED, t.state());
    release.countDown();
    await(finished);
    letTimePass(timer, Duration.ofMillis(20));
    assertEquals(1, runs.get(), "no run after the cancel");
    assertEquals(Timeout.State.CANCELLED, t.state());
    assertEquals(0, timer.pendingCount());
  }

  /**
   * cancel() racing a schedule of one run per nanosecond on a timer whose tick is a nanosecond,
   * so that the worker fires, runs and re-arms the entry without a pause and the cancel lands at
   * every point of that cycle: between the CAS to RUNNING and the start of the run, during the
   * run, between its end and the re-arming. Whatever the moment, cancel() wins, no run starts
   * after the one in progress, and the worker lives: the timer is still open and runs tasks.
   */
  @Test
  @org.junit.jupiter.api.Timeout(value = 180, unit = TimeUnit.SECONDS) // thousands of rounds
  void cancelRacingTheRunsOfAOneNanosecondRateNeverStopsTheWorker() {
    ConcurrentLinkedQueue<Throwable> deaths = new ConcurrentLinkedQueue<>();
    WheelTimer timer = track(WheelTimer.builder()
        .tickDuration(Duration.ofNanos(1))
        .threadFactory(r -> {
          Thread t = recordingFactory.newThread(r);
          t.setUncaughtExceptionHandler((thread, death) -> deaths.add(death));
          return t;
        })
        .exceptionHandler((thread, failure) -> failures.add(failure))
        .build());
    int rounds = 5_000;
    AtomicInteger[] runs = new AtomicInteger[rounds];
    int[] runsAtCancel = new int[rounds];
    Timeout[] timeouts = new Timeout[rounds];
    for (int i = 0; i < rounds; i++) {
      AtomicInteger count = new AtomicInteger();
      runs[i] = count;
      Timeout t = timer.scheduleAtFixedRate(
          count::incrementAndGet, Duration.ZERO, Duration.ofNanos(1));
      timeouts[i] = t;
      int target = 1 + (i & 3); // cancel after a few runs, at a different point each time
      while (count.get() < target) {
        if (timer.isClosed()) {
          Thread worker = workers.get(0);
          assertTimeoutPreemptively(WAIT, () -> worker.join()); // its death is then recorded
          throw new AssertionError(
              "the timer closed itself after " + i + " cancels: its worker died", deaths.peek());
        }
        LockSupport.parkNanos(10_000L); // lets the worker run on a busy machine
      }
      assertTrue(t.cancel(), "cancel() of a live schedule prevents its next run");
      runsAtCancel[i] = count.get();
    }
    letTimePass(timer, Duration.ofMillis(1)); // every run in progress at a cancel has ended
    assertTrue(deaths.isEmpty(), () -> "the worker died of " + deaths.peek());
    assertFalse(timer.isClosed(), "the timer closed itself");
    for (int i = 0; i < rounds; i++) {
      assertEquals(Timeout.State.CANCELLED, timeouts[i].state());
      int after = runs[i].get() - runsAtCancel[i];
      assertTrue(after <= 1, "runs started after cancel() returned: " + after);
    }
    assertEquals(0, timer.pendingCount());
  }

  @Test
  void aCancelledScheduleReleasesItsTask() {
    WheelTimer timer = newTimer();
    java.lang.ref.WeakReference<Object> ref = scheduleHolding(timer);
    assertTimeoutPreemptively(WAIT, () -> {
      while (ref.get() != null) {
        System.gc();
        LockSupport.parkNanos(1_000_000L);
      }
    }, "the cancelled schedule's task is still referenced");
  }

  private java.lang.ref.WeakReference<Object> scheduleHolding(WheelTimer timer) {
    Object payload = new Object();
    Timeout t = timer.scheduleAtFixedRate(
        () -> failures.add(new AssertionError("ran: " + payload)), LONG, LONG);
    assertTrue(t.cancel());
    return new java.lang.ref.WeakReference<>(payload);
  }

  // ------------------------------------------------------------------ close

  @Test
  void closeEndsAPendingSchedule() {
    WheelTimer timer = newTimer();
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch ran = new CountDownLatch(1);
    // One run, then pending (re-armed) for an hour: close() meets it pending, never running,
    // however long this thread is held up.
    Timeout t = timer.scheduleWithFixedDelay(() -> {
      runs.incrementAndGet();
      ran.countDown();
    }, Duration.ZERO, LONG);
    await(ran);
    awaitTrue("PENDING", () -> t.state() == Timeout.State.PENDING);
    timer.close();
    int after = runs.get();
    assertEquals(Timeout.State.CANCELLED, t.state());
    assertFalse(t.cancel());
    Thread worker = workers.get(0);
    assertTimeoutPreemptively(WAIT, () -> worker.join());
    assertEquals(after, runs.get(), "no run after close() returned");
    assertEquals(Timeout.State.CANCELLED, t.state());
  }

  @Test
  void closeDuringARunEndsTheScheduleAfterIt() throws InterruptedException {
    WheelTimer timer = newTimer();
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Timeout t = timer.scheduleAtFixedRate(() -> {
      runs.incrementAndGet();
      running.countDown();
      awaitQuietly(release);
    }, Duration.ZERO, Duration.ofMillis(1));
    await(running);
    timer.close();
    assertEquals(Timeout.State.RUNNING, t.state(), "a running task is let finish");
    assertFalse(t.cancel(), "close() has ended the schedule already");
    release.countDown();
    Thread worker = workers.get(0);
    worker.join(WAIT.toMillis());
    assertFalse(worker.isAlive());
    assertEquals(1, runs.get());
    assertEquals(Timeout.State.CANCELLED, t.state());
  }

  // ------------------------------------------------------------------ on an executor

  @Test
  void periodicRunsOnTheExecutorAndCancelStopsIt() throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      WheelTimer timer = track(WheelTimer.builder().threadFactory(recordingFactory)
          .taskExecutor(pool).build());
      AtomicInteger runs = new AtomicInteger();
      AtomicInteger concurrent = new AtomicInteger();
      CountDownLatch five = new CountDownLatch(5);
      Timeout t = timer.scheduleAtFixedRate(() -> {
        if (concurrent.incrementAndGet() != 1) {
          failures.add(new AssertionError("runs overlap"));
        }
        runs.incrementAndGet();
        five.countDown();
        concurrent.decrementAndGet();
      }, Duration.ZERO, Duration.ofMillis(2));
      await(five);
      assertTrue(t.cancel());
      int after = runs.get();
      letTimePass(timer, Duration.ofMillis(20));
      // A run may have been starting on the pool as cancel() returned: it had started, so
      // it counts, but no further one.
      assertTrue(runs.get() <= after + 1, runs.get() + " runs, " + after + " at the cancel");
      assertEquals(Timeout.State.CANCELLED, t.state());
      timer.close();
    } finally {
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  // ------------------------------------------------------------------ arguments

  @Test
  void argumentsAreChecked() {
    WheelTimer timer = newTimer();
    assertEquals("task", assertThrows(NullPointerException.class,
        () -> timer.scheduleAtFixedRate(WheelTimerPeriodicTest.<Runnable>nullValue(), PERIOD, PERIOD)).getMessage());
    assertEquals("initialDelay", assertThrows(NullPointerException.class,
        () -> timer.scheduleAtFixedRate(() -> {}, WheelTimerPeriodicTest.<Duration>nullValue(), PERIOD)).getMessage());
    assertEquals("period", assertThrows(NullPointerException.class,
        () -> timer.scheduleAtFixedRate(() -> {}, PERIOD, WheelTimerPeriodicTest.<Duration>nullValue())).getMessage());
    assertEquals("delay", assertThrows(NullPointerException.class,
        () -> timer.scheduleWithFixedDelay(() -> {}, PERIOD, WheelTimerPeriodicTest.<Duration>nullValue())).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> timer.scheduleAtFixedRate(() -> {}, PERIOD, Duration.ZERO)).getMessage()
        .startsWith("period"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> timer.scheduleWithFixedDelay(() -> {}, PERIOD, Duration.ofMillis(-1))).getMessage()
        .startsWith("delay"));
    assertEquals(0, timer.pendingCount(), "nothing scheduled by a rejected call");
    timer.close();
    assertThrows(java.util.concurrent.RejectedExecutionException.class,
        () -> timer.scheduleAtFixedRate(() -> {}, PERIOD, PERIOD));
  }

  @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
  private static <T> T nullValue() {
    return (T) (Object) null;
  }

  // ------------------------------------------------------------------ getDelay and stats

  @Test
  void getDelayIsTheTimeLeftAndNegativeOncePast() {
    WheelTimer timer = newTimer();
    long before = System.nanoTime();
    Timeout t = timer.schedule(() -> {}, LONG);
    long left = t.getDelay(TimeUnit.NANOSECONDS);
    assertTrue(left <= LONG.toNanos(), "at most the delay");
    assertTrue(left >= LONG.toNanos() - (System.nanoTime() - before), "the time elapsed at most");
    assertTrue(t.getDelay(TimeUnit.MINUTES) <= 60 && t.getDelay(TimeUnit.MINUTES) >= 59);
    assertEquals("unit", assertThrows(NullPointerException.class,
        () -> t.getDelay(WheelTimerPeriodicTest.<TimeUnit>nullValue())).getMessage());
    CountDownLatch ran = new CountDownLatch(1);
    Timeout past = timer.schedule(ran::countDown, Duration.ZERO);
    await(ran);
    assertTrue(past.getDelay(TimeUnit.NANOSECONDS) < 0, "negative once the deadline passed");
  }

  @Test
  void statsCountFiredCancelledPendingAndLateness() {
    WheelTimer timer = newTimer();
    WheelTimer.Stats zero = timer.stats();
    assertEquals(0, zero.fired());
    assertEquals(0, zero.cancelled());
    assertEquals(0, zero.pending());
    assertEquals(Duration.ZERO, zero.maxLateness());
    CountDownLatch ran = new CountDownLatch(3);
    for (int i = 0; i < 3; i++) {
      timer.schedule(ran::countDown, Duration.ofMillis(1));
    }
    Timeout c = timer.schedule(() -> {}, LONG);
    timer.schedule(() -> {}, LONG);
    assertTrue(c.cancel());
    await(ran);
    awaitTrue("three fired", () -> timer.stats().fired() == 3);
    WheelTimer.Stats s = timer.stats();
    assertEquals(1, s.cancelled());
    assertEquals(1, s.pending());
    assertFalse(s.maxLateness().isNegative());
    assertTrue(s.toString().contains("fired=3"), s.toString());
  }
}
