package dev.syncprims.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncprims.Timeout;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WheelTimer} under faults and races: a final state that stays final across close(), an
 * allocation that fails, a worker that cannot start, an executor that rejects, a scheduler
 * stalled half-way through an offer. No test sleeps to order threads.
 */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
class WheelTimerFaultTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration LONG = Duration.ofHours(1);

  private final List<Thread> workers = new ArrayList<>();
  private final List<WheelTimer> timers = new ArrayList<>();
  private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

  private final ThreadFactory recordingFactory =
      r -> {
        Thread t = new Thread(r, "fault-test-timer-" + workers.size());
        t.setDaemon(true);
        synchronized (workers) {
          workers.add(t);
        }
        return t;
      };

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

  private Runnable mustNotRun(String why) {
    return () -> failures.add(new AssertionError(why));
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

  private static void awaitCollected(List<WeakReference<Object>> refs, String what) {
    assertTimeoutPreemptively(WAIT, () -> {
      for (WeakReference<Object> ref : refs) {
        while (ref.get() != null) {
          System.gc();
          LockSupport.parkNanos(1_000_000L);
        }
      }
    }, what);
  }

  // ------------------------------------------------------------------ final states and close

  /**
   * A blocking task and many timeouts due in the same tick: the worker fires the blocking task
   * and, once it returns, walks on through the rest of the bucket. close() happens while the task
   * blocks. Every timeout that has read CANCELLED (or DONE) once must read so for ever, and
   * cancel() must return false for it, while the worker finishes the bucket and shuts down.
   */
  @Test
  void aFinalStateSeenAfterCloseNeverChangesWhileTheWorkerFinishesTheBucket() throws Exception {
    WheelTimer timer = track(WheelTimer.builder().threadFactory(recordingFactory)
        .tickDuration(Duration.ofMillis(200)).stripes(1).build());
    int n = 50_000;
    AtomicIntegerArray runs = new AtomicIntegerArray(n);
    CountDownLatch blocking = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Timeout[] victims = new Timeout[n];
    timer.schedule(() -> {
      blocking.countDown();
      awaitQuietly(release);
    }, 1, TimeUnit.MILLISECONDS);
    for (int i = 0; i < n; i++) {
      int k = i;
      victims[i] = timer.schedule(() -> runs.incrementAndGet(k), 1, TimeUnit.MILLISECONDS);
    }
    await(blocking);
    timer.close();
    Timeout.State[] afterClose = new Timeout.State[n];
    for (int i = 0; i < n; i++) {
      afterClose[i] = victims[i].state();
      assertTrue(afterClose[i] == Timeout.State.CANCELLED || afterClose[i] == Timeout.State.DONE,
          "timeout " + i + " after close(): " + afterClose[i]);
    }
    Thread worker = workers.get(0);
    AtomicReference<@Nullable String> violation = new AtomicReference<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> observers = new ArrayList<>();
    // The observers make a few passes before the task is released, so that they are compiled
    // and fast enough to meet the worker on its way through the bucket.
    CountDownLatch warm = new CountDownLatch(2);
    for (int o = 0; o < 2; o++) {
      boolean backwards = o == 1;
      Thread observer = new Thread(() -> {
        for (int pass = 0; !stop.get() && violation.get() == null; pass++) {
          if (pass == 20) {
            warm.countDown();
          }
          for (int j = 0; j < n; j++) {
            int i = backwards ? n - 1 - j : j;
            Timeout.State s = victims[i].state();
            if (s != afterClose[i]) {
              violation.compareAndSet(null, "timeout " + i + " read " + afterClose[i]
                  + " after close(), then " + s);
            }
            if (victims[i].cancel()) {
              violation.compareAndSet(null, "timeout " + i + " read " + afterClose[i]
                  + " after close(), then cancel() returned true");
            }
          }
        }
      }, "observer-" + o);
      observers.add(observer);
      observer.start();
    }
    await(warm);
    release.countDown();
    worker.join(WAIT.toMillis());
    assertFalse(worker.isAlive());
    stop.set(true);
    for (Thread observer : observers) {
      observer.join(WAIT.toMillis());
      assertFalse(observer.isAlive());
    }
    assertEquals(null, violation.get());
    for (int i = 0; i < n; i++) {
      assertEquals(afterClose[i], victims[i].state(), "timeout " + i);
      assertEquals(afterClose[i] == Timeout.State.DONE ? 1 : 0, runs.get(i), "timeout " + i);
    }
  }

  // ------------------------------------------------------------------ a worker that cannot start

  /**
   * While the first schedule is starting the worker (its thread's start() is held), other
   * threads hand over timeouts; then the start fails. Those timeouts must end CANCELLED and
   * their tasks be released, though no worker ever ran to clean up.
   */
  @Test
  void aWorkerThatCannotStartReleasesWhatOtherThreadsHandedOver() throws Exception {
    CountDownLatch starting = new CountDownLatch(1);
    CountDownLatch failStart = new CountDownLatch(1);
    WheelTimer timer = track(WheelTimer.builder().stripes(1).threadFactory(r -> new Thread(r) {
      @Override
      @SuppressWarnings("UnsynchronizedOverridesSynchronized") // nothing to guard
      public void start() {
        starting.countDown();
        awaitQuietly(failStart);
        throw new OutOfMemoryError("unable to create native thread (simulated)");
      }
    }).build());
    AtomicReference<@Nullable Throwable> starterSaw = new AtomicReference<>();
    Thread starter = new Thread(() -> {
      try {
        timer.schedule(mustNotRun("no worker"), LONG);
        failures.add(new AssertionError("the first schedule was accepted without a worker"));
      } catch (Throwable e) {
        starterSaw.set(e);
      }
    });
    starter.start();
    await(starting);
    List<Timeout> handles = new ArrayList<>();
    List<WeakReference<Object>> refs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      scheduleHoldingPayload(timer, handles, refs);
    }
    failStart.countDown();
    starter.join(WAIT.toMillis());
    assertFalse(starter.isAlive());
    assertTrue(starterSaw.get() instanceof RejectedExecutionException, "" + starterSaw.get());
    assertTrue(timer.isClosed());
    for (Timeout t : handles) {
      assertEquals(Timeout.State.CANCELLED, t.state());
      assertFalse(t.cancel());
    }
    awaitCollected(refs, "a task handed over before the failed start is still referenced");
    assertEquals(0, timer.pendingCount());
  }

  private void scheduleHoldingPayload(
      WheelTimer timer, List<Timeout> handles, List<WeakReference<Object>> refs) {
    Object payload = new Object();
    refs.add(new WeakReference<>(payload));
    handles.add(timer.schedule(() -> failures.add(new AssertionError("ran: " + payload)), LONG));
  }

  // ------------------------------------------------------------------ a rejecting executor

  @Test
  void aTaskThatTheExecutorRejectsEndsCancelledAndGoesToTheHandler() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    pool.shutdown();
    AtomicReference<@Nullable Throwable> seen = new AtomicReference<>();
    CountDownLatch handled = new CountDownLatch(1);
    WheelTimer timer = track(WheelTimer.builder().threadFactory(recordingFactory)
        .taskExecutor(pool)
        .exceptionHandler((thread, e) -> {
          seen.set(e);
          handled.countDown();
        }).build());
    Timeout t = timer.schedule(mustNotRun("ran on a shut-down executor"), Duration.ZERO);
    await(handled);
    assertTrue(seen.get() instanceof RejectedExecutionException);
    awaitTrue("CANCELLED", () -> t.state() == Timeout.State.CANCELLED);
    assertFalse(t.cancel());
    assertEquals(0, timer.pendingCount());
  }

  // ------------------------------------------------------------------ failed allocations

  /**
   * The node of the hand-over queue cannot be allocated when a schedule passes on the entry it
   * displaced: that schedule throws, both entries end CANCELLED (neither is lost nor runs
   * behind its back), and the queue, the later schedules and close() all still work.
   */
  @Test
  void aFailedQueueAllocationLosesNothingAndJamsNothing() throws Exception {
    AtomicBoolean failNext = new AtomicBoolean();
    WheelTimer timer = track(WheelTimer.builder().threadFactory(recordingFactory).stripes(1)
        .faultHooks(null, () -> {
          if (failNext.getAndSet(false)) {
            throw new OutOfMemoryError("simulated: no node for the queue");
          }
        }, null).build());
    // Keep the worker busy, so that it cannot take `a` from the slot before `b` displaces it.
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    timer.schedule(() -> {
      busy.countDown();
      awaitQuietly(release);
    }, Duration.ZERO);
    await(busy);
    Timeout a = timer.schedule(mustNotRun("a: its hand-over failed"), LONG);
    failNext.set(true);
    Timeout[] b = new Timeout[1];
    assertThrows(OutOfMemoryError.class,
        () -> b[0] = timer.schedule(mustNotRun("b: its schedule threw"), LONG));
    assertEquals(Timeout.State.CANCELLED, a.state());
    assertFalse(a.cancel());
    assertEquals(null, b[0]);
    assertEquals(0, timer.pendingCount());
    release.countDown();
    // The queue works on: many entries pass through it, and each runs once.
    int n = 1_000;
    CountDownLatch ran = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      timer.schedule(ran::countDown, Duration.ZERO);
    }
    await(ran);
    awaitTrue("nothing pending", () -> timer.pendingCount() == 0);
    timer.close(); // and the worker ends: checked after the test
  }

  /** With a pending bound, an entry that cannot be allocated takes no room for good. */
  @Test
  void aFailedEntryAllocationLeaksNoPendingSlot() {
    AtomicBoolean failNext = new AtomicBoolean();
    WheelTimer timer = track(WheelTimer.builder().threadFactory(recordingFactory).maxPending(1)
        .faultHooks(() -> {
          if (failNext.getAndSet(false)) {
            throw new OutOfMemoryError("simulated: no entry");
          }
        }, null, null).build());
    failNext.set(true);
    assertThrows(OutOfMemoryError.class, () -> timer.schedule(mustNotRun("not scheduled"), LONG));
    assertEquals(0, timer.pendingCount());
    Timeout t = timer.schedule(mustNotRun("cancelled"), LONG); // the one slot is still free
    assertEquals(1, timer.pendingCount());
    assertThrows(RejectedExecutionException.class, () -> timer.schedule(() -> {}, LONG));
    assertTrue(t.cancel());
    assertEquals(0, timer.pendingCount());
  }

  // ------------------------------------------------------------------ a stalled scheduler

  /**
   * A scheduler is held between claiming its place in the hand-over queue and linking its entry
   * (as if preempted there). The worker must not wait for it: timeouts that reach it through the
   * slot or the wheel fire meanwhile, and it sleeps rather than spins. Once the scheduler goes on,
   * its entry and the one queued behind it are taken.
   */
  @Test
  void aSchedulerStalledHalfWayThroughAnOfferDelaysNothingElse() throws Exception {
    AtomicReference<@Nullable Thread> staller = new AtomicReference<>();
    CountDownLatch claimed = new CountDownLatch(1);
    CountDownLatch goOn = new CountDownLatch(1);
    WheelTimer timer = track(WheelTimer.builder().threadFactory(recordingFactory).stripes(1)
        .faultHooks(null, null, () -> {
          if (Thread.currentThread() == staller.get()) {
            claimed.countDown();
            awaitQuietly(goOn);
          }
        }).build());
    // Keep the worker busy, so that it cannot take x from the slot before y displaces it.
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    timer.schedule(() -> {
      busy.countDown();
      awaitQuietly(release);
    }, Duration.ZERO);
    await(busy);
    CountDownLatch xRan = new CountDownLatch(1);
    CountDownLatch yRan = new CountDownLatch(1);
    Timeout x = timer.schedule(xRan::countDown, Duration.ofMillis(1));
    Thread stalled = new Thread(() -> {
      try {
        timer.schedule(yRan::countDown, Duration.ofMillis(1)); // displaces x, stalls offering it
      } catch (Throwable e) {
        failures.add(e);
      }
    });
    staller.set(stalled);
    stalled.start();
    await(claimed);
    release.countDown();
    // The scheduler is stalled: new entries reach the worker through the slot and still fire.
    Thread worker = workers.get(0);
    for (int i = 0; i < 5; i++) {
      CountDownLatch ran = new CountDownLatch(1);
      timer.schedule(ran::countDown, Duration.ofMillis(2));
      await(ran);
    }
    awaitTrue("the worker sleeps while the offer is stalled",
        () -> worker.getState() == Thread.State.TIMED_WAITING
            || worker.getState() == Thread.State.WAITING);
    assertEquals(Timeout.State.PENDING, x.state(), "x is still on its way through the queue");
    goOn.countDown();
    stalled.join(WAIT.toMillis());
    assertFalse(stalled.isAlive());
    // Once linked, x is taken. (Another schedule makes sure that the worker looks again even
    // if it sleeps without a deadline.)
    timer.schedule(() -> {}, Duration.ZERO);
    await(xRan);
    await(yRan);
  }
}
