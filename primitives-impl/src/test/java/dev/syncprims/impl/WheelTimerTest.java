package dev.syncprims.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncprims.Timeout;
import dev.syncprims.Timer;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Timer} and {@link Timeout} on {@link WheelTimer}. No test sleeps to order
 * threads: they wait on latches or poll a visible state, each under a timeout (the class-level
 * {@code @Timeout}, and {@code assertTimeoutPreemptively} where a wait could hang).
 */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
class WheelTimerTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration LONG = Duration.ofHours(1);

  /** Records the worker threads it makes, so that a test can join them. */
  private final List<Thread> workers = new ArrayList<>();
  private final List<WheelTimer> timers = new ArrayList<>();
  /** Failures of tasks and of helper threads, reported at the end of each test. */
  private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

  private final ThreadFactory recordingFactory =
      r -> {
        Thread t = new Thread(r, "test-timer-" + workers.size());
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

  /** A task that must never run; if it does, the failure reaches the test in closeTimers(). */
  private Runnable mustNotRun(String why) {
    return () -> failures.add(new AssertionError(why));
  }

  private static void awaitTrue(String what, BooleanSupplier condition) {
    assertTimeoutPreemptively(
        WAIT,
        () -> {
          while (!condition.getAsBoolean()) {
            LockSupport.parkNanos(100_000L);
          }
        },
        what);
  }

  private static void await(CountDownLatch latch) {
    assertTimeoutPreemptively(WAIT, () -> latch.await());
  }

  // ------------------------------------------------------------------ firing

  @Test
  void firesNotBeforeTheDeadline() {
    WheelTimer timer = newTimer();
    int n = 40;
    long[] ranAt = new long[n];
    Timeout[] timeouts = new Timeout[n];
    CountDownLatch done = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      int k = i;
      long before = System.nanoTime();
      timeouts[i] =
          timer.schedule(
              () -> {
                ranAt[k] = System.nanoTime();
                done.countDown();
              },
              i % 20,
              TimeUnit.MILLISECONDS);
      long after = System.nanoTime();
      long delay = TimeUnit.MILLISECONDS.toNanos(i % 20);
      long deadline = timeouts[i].deadlineNanos();
      assertTrue(deadline - (before + delay) >= 0 && deadline - (after + delay) <= 0,
          "deadline is the scheduling time plus the delay");
    }
    await(done);
    for (int i = 0; i < n; i++) {
      long early = timeouts[i].deadlineNanos() - ranAt[i];
      assertTrue(early <= 0, "timeout " + i + " ran " + early + " ns before its deadline");
      // The task counts the latch down from inside itself, before the worker marks it DONE.
      Timeout t = timeouts[i];
      awaitTrue("DONE", () -> t.state() == Timeout.State.DONE);
    }
  }

  @Test
  void zeroAndNegativeDelaysRunAtOnce() {
    WheelTimer timer = newTimer();
    CountDownLatch done = new CountDownLatch(5);
    long before = System.nanoTime();
    List<Timeout> ts = new ArrayList<>();
    ts.add(timer.schedule(done::countDown, 0, TimeUnit.MILLISECONDS));
    ts.add(timer.schedule(done::countDown, -5, TimeUnit.SECONDS));
    ts.add(timer.schedule(done::countDown, Long.MIN_VALUE, TimeUnit.NANOSECONDS));
    ts.add(timer.schedule(done::countDown, Duration.ZERO));
    ts.add(timer.schedule(done::countDown, Duration.ofSeconds(Long.MIN_VALUE)));
    long after = System.nanoTime();
    for (Timeout t : ts) {
      assertTrue(t.deadlineNanos() - before >= 0 && t.deadlineNanos() - after <= 0,
          "a delay <= 0 has the scheduling time as its deadline");
    }
    await(done);
  }

  @Test
  void longDelaysSpanningSeveralTurnsOfTheWheel() {
    // 4 buckets of 1 ms: a turn is 4 ms, so these deadlines are 1 to 12 turns away.
    WheelTimer timer =
        track(WheelTimer.builder().threadFactory(recordingFactory).wheelSize(4)
            .tickDuration(1, TimeUnit.MILLISECONDS).build());
    long[] delaysMs = {3, 5, 7, 9, 13, 17, 29, 48};
    long[] ranAt = new long[delaysMs.length];
    Timeout[] ts = new Timeout[delaysMs.length];
    CountDownLatch done = new CountDownLatch(delaysMs.length);
    for (int i = 0; i < delaysMs.length; i++) {
      int k = i;
      ts[i] = timer.schedule(() -> {
        ranAt[k] = System.nanoTime();
        done.countDown();
      }, delaysMs[i], TimeUnit.MILLISECONDS);
    }
    // No count is asserted here: on a loaded machine the first of them may have fired already.
    await(done);
    for (int i = 0; i < ts.length; i++) {
      assertTrue(ranAt[i] - ts[i].deadlineNanos() >= 0, "ran before its deadline: " + i);
    }
    assertEquals(0, timer.pendingCount());
  }

  @Test
  void deadlinesAcrossTheOverflowOfNanoTime() {
    long start = Long.MAX_VALUE - 1_000;
    long now = start + 3_000; // wrapped around to a negative value
    assertTrue(now < 0);
    long deadline = WheelTimer.deadline(start, now, 10_000);
    assertEquals(now + 10_000, deadline);
    assertEquals(13, WheelTimer.tickOf(start, 1_000, deadline));
    assertEquals(14, WheelTimer.tickOf(start, 1_000, deadline + 1), "rounded up, never early");
    // A delay too long to represent saturates at Long.MAX_VALUE nanoseconds after the start.
    long far = WheelTimer.deadline(start, now, Long.MAX_VALUE);
    assertEquals(Long.MAX_VALUE, far - start);
    assertTrue(far - now > 0, "a saturated deadline is still in the future");
  }

  @Test
  void hugeDelaysSaturateAndStayPending() {
    WheelTimer timer = newTimer();
    Timeout a = timer.schedule(mustNotRun("must not run"), Long.MAX_VALUE, TimeUnit.DAYS);
    Timeout b = timer.schedule(mustNotRun("must not run"), Duration.ofSeconds(Long.MAX_VALUE));
    assertTrue(a.deadlineNanos() - System.nanoTime() > TimeUnit.DAYS.toNanos(365 * 100));
    assertTrue(b.deadlineNanos() - System.nanoTime() > TimeUnit.DAYS.toNanos(365 * 100));
    assertEquals(Timeout.State.PENDING, a.state());
    assertTrue(a.cancel());
    assertTrue(b.cancel());
  }

  // ------------------------------------------------------------------ cancel and states

  @Test
  void cancelBeforeFiring() {
    WheelTimer timer = newTimer();
    Timeout t = timer.schedule(mustNotRun("a cancelled task ran"), LONG);
    assertEquals(Timeout.State.PENDING, t.state());
    assertFalse(t.isCancelled());
    assertEquals(1, timer.pendingCount());
    assertTrue(t.cancel());
    assertEquals(Timeout.State.CANCELLED, t.state());
    assertTrue(t.isCancelled());
    assertFalse(t.cancel(), "a second cancel did not prevent anything");
    assertEquals(0, timer.pendingCount());
  }

  @Test
  void cancelAfterFiring() {
    WheelTimer timer = newTimer();
    CountDownLatch ran = new CountDownLatch(1);
    Timeout t = timer.schedule(ran::countDown, 1, TimeUnit.MILLISECONDS);
    await(ran);
    awaitTrue("DONE", () -> t.state() == Timeout.State.DONE);
    assertFalse(t.cancel());
    assertEquals(Timeout.State.DONE, t.state());
    assertFalse(t.isCancelled());
  }

  @Test
  void statesPendingRunningDone() {
    WheelTimer timer = newTimer();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Timeout t = timer.schedule(() -> {
      started.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        failures.add(e);
      }
    }, 5, TimeUnit.MILLISECONDS);
    // PENDING until it starts; on a loaded machine it may have started already, so the state
    // read here is only checked to be one of the two.
    Timeout.State before = t.state();
    assertTrue(before == Timeout.State.PENDING || before == Timeout.State.RUNNING, "" + before);
    await(started);
    assertEquals(Timeout.State.RUNNING, t.state());
    assertFalse(t.cancel(), "a running task cannot be cancelled");
    assertEquals(Timeout.State.RUNNING, t.state());
    assertEquals(0, timer.pendingCount(), "a running task is not pending");
    release.countDown();
    awaitTrue("DONE", () -> t.state() == Timeout.State.DONE);
  }

  @Test
  void aCancelledTaskBecomesCollectable() {
    WheelTimer timer = newTimer();
    List<Timeout> handles = new ArrayList<>();
    WeakReference<byte[]> ref = scheduleAndCancelHoldingBigObject(timer, handles);
    // The handle is kept on purpose: neither the timer nor the cancelled Timeout may keep the
    // task (and what it captured) reachable.
    assertTimeoutPreemptively(WAIT, () -> {
      while (ref.get() != null) {
        System.gc();
        LockSupport.parkNanos(1_000_000L);
      }
    }, "the cancelled task's object was still reachable");
    assertEquals(Timeout.State.CANCELLED, handles.get(0).state());
    assertEquals(0, timer.pendingCount());
  }

  private static WeakReference<byte[]> scheduleAndCancelHoldingBigObject(
      Timer timer, List<Timeout> handles) {
    byte[] big = new byte[8 << 20];
    WeakReference<byte[]> ref = new WeakReference<>(big);
    Timeout t = timer.schedule(() -> System.out.println(big.length), LONG);
    assertTrue(t.cancel());
    handles.add(t);
    return ref;
  }

  // ------------------------------------------------------------------ failures

  @Test
  void aThrowingTaskGoesToTheHandlerAndLaterTasksRun() {
    List<Throwable> handled = new ArrayList<>();
    AtomicReference<@Nullable Thread> handledOn = new AtomicReference<>();
    CountDownLatch handledLatch = new CountDownLatch(2);
    WheelTimer timer = track(WheelTimer.builder().threadFactory(recordingFactory)
        .exceptionHandler((thread, e) -> {
          handledOn.set(thread);
          synchronized (handled) {
            handled.add(e);
          }
          handledLatch.countDown();
        }).build());
    RuntimeException boom = new IllegalStateException("boom");
    Timeout bad = timer.schedule(() -> {
      throw boom;
    }, 1, TimeUnit.MILLISECONDS);
    Timeout worse = timer.schedule(() -> {
      throw new StackOverflowError("an Error");
    }, 2, TimeUnit.MILLISECONDS);
    CountDownLatch healthy = new CountDownLatch(3);
    for (int i = 0; i < 3; i++) {
      timer.schedule(healthy::countDown, 3 + i, TimeUnit.MILLISECONDS);
    }
    await(healthy);
    await(handledLatch);
    synchronized (handled) {
      // Deadlines 1 ms apart can fall into one tick, and a tick does not order its tasks.
      assertEquals(2, handled.size());
      assertTrue(handled.contains(boom), "the exception reached the handler");
      assertTrue(
          handled.stream().anyMatch(e -> e instanceof StackOverflowError),
          "the error reached the handler");
    }
    assertSame(workers.get(0), handledOn.get(), "the handler runs on the thread that ran the task");
    awaitTrue("DONE", () -> bad.state() == Timeout.State.DONE);
    awaitTrue("DONE", () -> worse.state() == Timeout.State.DONE);
    assertFalse(timer.isClosed());
  }

  /**
   * A task's Error that reaches a handler which itself throws an Error: both are dropped, and the
   * worker neither dies nor closes the timer; a periodic schedule whose runs throw goes on.
   */
  @Test
  void aHandlerThatThrowsAnErrorStopsNeitherTheWorkerNorTheTimer() {
    AtomicInteger handled = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> deaths = new ConcurrentLinkedQueue<>();
    WheelTimer timer = track(WheelTimer.builder()
        .threadFactory(r -> {
          Thread t = recordingFactory.newThread(r);
          t.setUncaughtExceptionHandler((thread, death) -> deaths.add(death));
          return t;
        })
        .exceptionHandler((thread, e) -> {
          handled.incrementAndGet();
          throw new OutOfMemoryError("thrown by the handler (simulated)");
        }).build());
    timer.schedule(() -> {
      throw new StackOverflowError("thrown by a one-shot task");
    }, Duration.ZERO);
    CountDownLatch threeRuns = new CountDownLatch(3);
    Timeout periodic = timer.scheduleAtFixedRate(() -> {
      threeRuns.countDown();
      throw new AssertionError("thrown by a periodic task");
    }, Duration.ZERO, Duration.ofMillis(1));
    await(threeRuns);
    assertTrue(periodic.cancel(), "the schedule went on after its runs threw");
    CountDownLatch later = new CountDownLatch(1);
    timer.schedule(later::countDown, Duration.ZERO);
    await(later);
    assertTrue(handled.get() >= 4, "every failure reached the handler: " + handled.get());
    assertFalse(timer.isClosed());
    assertTrue(workers.get(0).isAlive());
    assertTrue(deaths.isEmpty(), () -> "the worker died of " + deaths.peek());
  }

  @Test
  void byDefaultFailuresGoToTheWorkersUncaughtExceptionHandler() {
    AtomicReference<@Nullable Throwable> seen = new AtomicReference<>();
    CountDownLatch handled = new CountDownLatch(1);
    ThreadFactory factory = r -> {
      Thread t = recordingFactory.newThread(r);
      t.setUncaughtExceptionHandler((thread, e) -> {
        seen.set(e);
        handled.countDown();
      });
      return t;
    };
    WheelTimer timer = track(WheelTimer.builder().threadFactory(factory).build());
    timer.schedule(() -> {
      throw new IllegalArgumentException("from the task");
    }, Duration.ZERO);
    await(handled);
    assertEquals("from the task", seen.get().getMessage());
    CountDownLatch later = new CountDownLatch(1);
    timer.schedule(later::countDown, Duration.ofMillis(2));
    await(later);
  }

  @Test
  void aFailingHandlerDoesNotStopTheTimer() {
    WheelTimer timer = track(WheelTimer.builder().threadFactory(recordingFactory)
        .exceptionHandler((thread, e) -> {
          throw new IllegalStateException("the handler fails too");
        }).build());
    timer.schedule(() -> {
      throw new IllegalStateException("task");
    }, Duration.ZERO);
    CountDownLatch later = new CountDownLatch(1);
    timer.schedule(later::countDown, Duration.ofMillis(2));
    await(later);
  }

  @Test
  void aTaskThatInterruptsItsThreadDoesNotBreakTheWorker() {
    WheelTimer timer = newTimer();
    timer.schedule(() -> Thread.currentThread().interrupt(), Duration.ZERO);
    long[] ranAt = new long[1];
    CountDownLatch later = new CountDownLatch(1);
    Timeout t = timer.schedule(() -> {
      ranAt[0] = System.nanoTime();
      later.countDown();
    }, Duration.ofMillis(20));
    await(later);
    assertTrue(ranAt[0] - t.deadlineNanos() >= 0);
  }

  @Test
  void anInterruptOfTheWorkerFromOutsideNeitherStopsItNorKeepsItSpinning() {
    WheelTimer timer = newTimer();
    timer.schedule(mustNotRun("cancelled at close"), LONG);
    Thread worker = workers.get(0);
    awaitTrue("worker asleep", () -> worker.getState() == Thread.State.TIMED_WAITING);
    worker.interrupt();
    // A worker that kept the interrupt would return from every park at once and never sleep.
    awaitTrue("worker asleep again, interrupt cleared",
        () -> !worker.isInterrupted() && worker.getState() == Thread.State.TIMED_WAITING);
    CountDownLatch ran = new CountDownLatch(1);
    timer.schedule(ran::countDown, Duration.ofMillis(1));
    await(ran);
  }

  // ------------------------------------------------------------------ close

  @Test
  void closeCancelsPendingTimeoutsAndEndsTheWorker() throws InterruptedException {
    WheelTimer timer = newTimer();
    List<Timeout> ts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ts.add(timer.schedule(mustNotRun("ran after close"), LONG.plusMillis(i)));
    }
    assertEquals(10, timer.pendingCount());
    timer.close();
    assertTrue(timer.isClosed());
    for (Timeout t : ts) {
      assertEquals(Timeout.State.CANCELLED, t.state(), "cancelled as soon as close() returns");
      assertTrue(t.isCancelled());
      assertFalse(t.cancel(), "close() cancelled it, not this call");
    }
    assertEquals(0, timer.pendingCount());
    Thread worker = workers.get(0);
    worker.join(WAIT.toMillis());
    assertFalse(worker.isAlive());
    for (Timeout t : ts) {
      assertEquals(Timeout.State.CANCELLED, t.state());
    }
  }

  @Test
  void closeIsIdempotentAndLaterSchedulesAreRejected() {
    WheelTimer timer = newTimer();
    timer.close();
    timer.close();
    RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
        () -> timer.schedule(() -> {}, Duration.ZERO));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    assertThrows(RejectedExecutionException.class,
        () -> timer.schedule(() -> {}, 1, TimeUnit.SECONDS));
    assertEquals(0, timer.pendingCount());
    assertTrue(timer.toString().contains("closed"), timer.toString());
  }

  @Test
  void closeLetsARunningTaskFinish() throws InterruptedException {
    WheelTimer timer = newTimer();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger finished = new AtomicInteger();
    Timeout running = timer.schedule(() -> {
      started.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        failures.add(new AssertionError("close() interrupted the running task", e));
      }
      finished.incrementAndGet();
    }, Duration.ZERO);
    Timeout pending = timer.schedule(mustNotRun("ran after close"), LONG);
    await(started);
    timer.close(); // does not wait for the running task
    assertEquals(Timeout.State.RUNNING, running.state());
    assertEquals(Timeout.State.CANCELLED, pending.state());
    Thread worker = workers.get(0);
    assertTrue(worker.isAlive(), "the worker is still running the task");
    release.countDown();
    worker.join(WAIT.toMillis());
    assertFalse(worker.isAlive());
    assertEquals(1, finished.get());
    assertEquals(Timeout.State.DONE, running.state());
  }

  @Test
  void closeFromATaskOnTheWorker() throws InterruptedException {
    WheelTimer timer = newTimer();
    Timeout later = timer.schedule(mustNotRun("ran after close"), LONG);
    CountDownLatch closed = new CountDownLatch(1);
    timer.schedule(() -> {
      timer.close();
      closed.countDown();
    }, Duration.ZERO);
    await(closed);
    assertEquals(Timeout.State.CANCELLED, later.state());
    workers.get(0).join(WAIT.toMillis());
    assertFalse(workers.get(0).isAlive());
  }

  @Test
  void maxPendingRejectsBeyondTheBound() {
    WheelTimer timer = track(
        WheelTimer.builder().threadFactory(recordingFactory).maxPending(2).build());
    Timeout a = timer.schedule(() -> {}, LONG);
    timer.schedule(() -> {}, LONG);
    RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
        () -> timer.schedule(() -> {}, LONG));
    assertTrue(e.getMessage().contains("maxPending=2"), e.getMessage());
    assertEquals(2, timer.pendingCount());
    assertTrue(a.cancel());
    timer.schedule(() -> {}, LONG); // room again
    assertEquals(2, timer.pendingCount());
  }

  // ------------------------------------------------------------------ threads and executors

  @Test
  void theDefaultWorkerIsADaemonNamedPrimitivesTimer() {
    Timer timer = Primitives.timer();
    try {
      AtomicReference<@Nullable Thread> worker = new AtomicReference<>();
      CountDownLatch ran = new CountDownLatch(1);
      timer.schedule(() -> {
        worker.set(Thread.currentThread());
        ran.countDown();
      }, Duration.ZERO);
      await(ran);
      Thread w = worker.get();
      assertNotNull(w);
      assertTrue(w.isDaemon());
      assertTrue(w.getName().matches("primitives-timer-\\d+"), w.getName());
    } finally {
      timer.close();
    }
  }

  @Test
  void tasksRunOnTheConfiguredExecutor() throws InterruptedException {
    ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "task-pool"));
    try {
      WheelTimer timer = track(WheelTimer.builder().threadFactory(recordingFactory)
          .taskExecutor(pool).build());
      AtomicReference<String> ranOn = new AtomicReference<>("");
      CountDownLatch ran = new CountDownLatch(1);
      Timeout t = timer.schedule(() -> {
        ranOn.set(Thread.currentThread().getName());
        ran.countDown();
      }, 1, TimeUnit.MILLISECONDS);
      await(ran);
      assertEquals("task-pool", ranOn.get());
      awaitTrue("DONE", () -> t.state() == Timeout.State.DONE);
    } finally {
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aRejectingExecutorReportsToTheHandler() {
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
    // Not run, so it must not look like a task that ran.
    awaitTrue("CANCELLED", () -> t.state() == Timeout.State.CANCELLED);
  }

  // ------------------------------------------------------------------ many threads

  @Test
  void aHundredThousandTimeoutsFromSeveralThreadsEachFireExactlyOnce() throws Exception {
    WheelTimer timer = newTimer();
    int threads = 4;
    int perThread = 25_000;
    int n = threads * perThread;
    AtomicIntegerArray runs = new AtomicIntegerArray(n);
    long[] ranAt = new long[n];
    Timeout[] timeouts = new Timeout[n];
    CountDownLatch done = new CountDownLatch(n);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int p = 0; p < threads; p++) {
        int first = p * perThread;
        futures.add(pool.submit(() -> {
          ThreadLocalRandom random = ThreadLocalRandom.current();
          for (int i = first; i < first + perThread; i++) {
            int k = i;
            timeouts[k] = timer.schedule(() -> {
              ranAt[k] = System.nanoTime();
              runs.incrementAndGet(k);
              done.countDown();
            }, random.nextInt(0, 50_000), TimeUnit.MICROSECONDS);
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS); // a failure in a helper reaches the test
      }
    } finally {
      pool.shutdown();
    }
    await(done);
    for (int i = 0; i < n; i++) {
      assertEquals(1, runs.get(i), "timeout " + i);
      assertTrue(ranAt[i] - timeouts[i].deadlineNanos() >= 0, "timeout " + i + " ran early");
    }
    // The tasks count the latch down from inside themselves, before the worker marks them DONE.
    awaitTrue(
        "every timeout DONE",
        () -> Arrays.stream(timeouts).allMatch(t -> t.state() == Timeout.State.DONE));
    awaitTrue("nothing pending", () -> timer.pendingCount() == 0);
  }

  @Test
  void concurrentScheduleAndCancelLeaveNothingPending() throws Exception {
    WheelTimer timer = newTimer();
    int threads = 4;
    int perThread = 50_000;
    AtomicInteger ran = new AtomicInteger();
    AtomicInteger cancelledOk = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int p = 0; p < threads; p++) {
        futures.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            Timeout t = timer.schedule(ran::incrementAndGet, i % 3, TimeUnit.MILLISECONDS);
            if (t.cancel()) {
              cancelledOk.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } finally {
      pool.shutdown();
    }
    awaitTrue("all ran or cancelled",
        () -> ran.get() + cancelledOk.get() == threads * perThread && timer.pendingCount() == 0);
  }

  @Test
  void aFloodWhileTheWorkerIsBusyPausesTheSchedulerButNeverBlocksIt() {
    // The worker is kept busy by a task, so it drains nothing: the queue of the scheduling
    // thread grows far past the back-pressure mark, and every schedule must still return.
    WheelTimer timer = newTimer();
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    timer.schedule(() -> {
      busy.countDown();
      await(release);
    }, Duration.ZERO);
    await(busy);
    int n = 200_000;
    Timeout[] timeouts = new Timeout[n];
    assertTimeoutPreemptively(WAIT, () -> {
      for (int i = 0; i < n; i++) {
        timeouts[i] = timer.schedule(mustNotRun("cancelled in the flood"), LONG);
      }
    });
    assertEquals(n, timer.pendingCount());
    for (Timeout t : timeouts) {
      assertTrue(t.cancel());
    }
    release.countDown();
    assertEquals(0, timer.pendingCount());
  }

  // ------------------------------------------------------------------ arguments

  @Test
  void nullArgumentsAreNamed() {
    WheelTimer timer = newTimer();
    assertEquals("task", assertThrows(NullPointerException.class,
        () -> timer.schedule(nullValue(), Duration.ZERO)).getMessage());
    assertEquals("delay", assertThrows(NullPointerException.class,
        () -> timer.schedule(() -> {}, WheelTimerTest.<Duration>nullValue())).getMessage());
    assertEquals("unit", assertThrows(NullPointerException.class,
        () -> timer.schedule(() -> {}, 1, WheelTimerTest.<TimeUnit>nullValue())).getMessage());
    WheelTimer.Builder b = WheelTimer.builder();
    assertEquals("tick", assertThrows(NullPointerException.class,
        () -> b.tickDuration(nullValue())).getMessage());
    assertEquals("unit", assertThrows(NullPointerException.class,
        () -> b.tickDuration(1, nullValue())).getMessage());
    assertEquals("threadFactory", assertThrows(NullPointerException.class,
        () -> b.threadFactory(nullValue())).getMessage());
    assertEquals("taskExecutor", assertThrows(NullPointerException.class,
        () -> b.taskExecutor(nullValue())).getMessage());
    assertEquals("exceptionHandler", assertThrows(NullPointerException.class,
        () -> b.exceptionHandler(nullValue())).getMessage());
  }

  @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
  private static <T> T nullValue() {
    return (T) (Object) null;
  }

  @Test
  void builderValidatesItsOptions() {
    WheelTimer.Builder b = WheelTimer.builder();
    assertMessage("tickDuration", () -> b.tickDuration(Duration.ZERO));
    assertMessage("tickDuration", () -> b.tickDuration(Duration.ofMillis(-1)));
    assertMessage("tickDuration", () -> b.tickDuration(Duration.ofHours(2)));
    assertMessage("tickDuration", () -> b.tickDuration(0, TimeUnit.MILLISECONDS));
    assertMessage("tickDuration", () -> b.tickDuration(2, TimeUnit.HOURS));
    assertMessage("wheelSize", () -> b.wheelSize(0));
    assertMessage("wheelSize", () -> b.wheelSize((1 << 20) + 1));
    assertMessage("maxPending", () -> b.maxPending(0));
    assertThrows(IllegalStateException.class,
        () -> WheelTimer.builder().threadFactory(r -> nullValue()).build());
  }

  @Test
  void theWorkerStartsWithTheFirstSchedule() {
    WheelTimer timer = newTimer();
    Thread worker = workers.get(0);
    assertEquals(Thread.State.NEW, worker.getState(), "an unused timer runs no thread");
    CountDownLatch ran = new CountDownLatch(1);
    timer.schedule(ran::countDown, Duration.ZERO);
    await(ran);
    assertTrue(worker.isAlive());
  }

  @Test
  void aScheduleWakesAWorkerSleepingThroughAnIdleTurn() {
    // A turn of this wheel lasts about 17 minutes. After a round in which it took entries
    // from the queues but has nothing linked, the worker sleeps for a whole turn; a task due
    // in 1 ms must still wake it, or this test times out.
    WheelTimer timer = track(WheelTimer.builder()
        .threadFactory(recordingFactory)
        .wheelSize(1 << 20)
        .build());
    Timeout scheduledAndCancelled = timer.schedule(mustNotRun("cancelled"), LONG);
    assertTrue(scheduledAndCancelled.cancel());
    Thread worker = workers.get(0);
    awaitTrue("worker asleep", () -> worker.getState() == Thread.State.TIMED_WAITING
        || worker.getState() == Thread.State.WAITING);
    CountDownLatch ran = new CountDownLatch(1);
    timer.schedule(ran::countDown, Duration.ofMillis(1));
    await(ran);
    assertEquals(0, timer.pendingCount());
  }

  @Test
  void cancelOfALinkedTimeoutIsUnlinkedByTheWorker() {
    WheelTimer timer = newTimer();
    Timeout linked = timer.schedule(mustNotRun("cancelled"), LONG);
    // Same thread, same stripe of the hand-over queue: the worker takes `linked` before it
    // fires `marker`, so by the time `marker` has run, `linked` is in the wheel.
    CountDownLatch ran = new CountDownLatch(1);
    timer.schedule(ran::countDown, Duration.ZERO);
    await(ran);
    assertEquals(1, timer.pendingCount());
    assertTrue(linked.cancel());
    assertFalse(linked.cancel(), "a second cancel");
    assertEquals(Timeout.State.CANCELLED, linked.state());
    assertEquals(0, timer.pendingCount());
    CountDownLatch after = new CountDownLatch(1);
    timer.schedule(after::countDown, Duration.ofMillis(2));
    await(after);
  }

  @Test
  void theScheduledQueueHasEightStripesPerProcessor() {
    assertEquals(1, TimerHandOff.stripeCount(1));
    assertEquals(16, TimerHandOff.stripeCount(2));
    assertEquals(32, TimerHandOff.stripeCount(3));
    assertEquals(32, TimerHandOff.stripeCount(4));
    assertEquals(64, TimerHandOff.stripeCount(8));
    assertEquals(64, TimerHandOff.stripeCount(1024), "bounded");
    for (int cpus = 2; cpus <= 300; cpus++) {
      int stripes = TimerHandOff.stripeCount(cpus);
      assertEquals(1, Integer.bitCount(stripes), "a power of two for " + cpus);
      assertTrue(stripes >= Math.min(64, 8 * cpus), cpus + " processors: " + stripes);
      assertTrue(stripes <= 64, cpus + " processors: " + stripes);
    }
  }

  @Test
  void aWorkerThatCannotStartRejectsAndClosesTheTimer() {
    WheelTimer timer = track(WheelTimer.builder().threadFactory(r -> new Thread(r) {
      @Override
      @SuppressWarnings("UnsynchronizedOverridesSynchronized") // nothing to guard
      public void start() {
        throw new OutOfMemoryError("unable to create native thread (simulated)");
      }
    }).build());
    RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
        () -> timer.schedule(mustNotRun("no worker"), Duration.ZERO));
    assertTrue(e.getCause() instanceof OutOfMemoryError);
    assertTrue(timer.isClosed());
    assertEquals(0, timer.pendingCount());
  }

  private static void assertMessage(String option, Runnable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().startsWith(option), e.getMessage());
  }

  @Test
  void wheelSizeIsRoundedUpToAPowerOfTwo() {
    int[][] cases = {{1, 1}, {2, 2}, {3, 4}, {500, 512}, {512, 512}, {513, 1024}};
    for (int[] c : cases) {
      WheelTimer t = track(WheelTimer.builder().threadFactory(recordingFactory)
          .wheelSize(c[0]).tickDuration(Duration.ofMillis(5)).build());
      assertEquals(c[1], t.wheelSize());
      assertEquals(Duration.ofMillis(5), t.tickDuration());
    }
    WheelTimer defaults = newTimer();
    assertEquals(512, defaults.wheelSize());
    assertEquals(Duration.ofMillis(1), defaults.tickDuration());
  }

  @Test
  void toStringShowsTheState() {
    WheelTimer timer = newTimer();
    Timeout t = timer.schedule(() -> {}, LONG);
    assertTrue(timer.toString().contains("open") && timer.toString().contains("pending=1"),
        timer.toString());
    assertTrue(t.toString().startsWith("Timeout[PENDING"), t.toString());
    t.cancel();
    assertEquals("Timeout[CANCELLED]", t.toString());
  }

  // ------------------------------------------------------------------ one stripe: the slot

  /*
   * With the package-private stripes(1) every scheduling thread shares one slot and one queue,
   * so each schedule displaces the newest entry of another thread as often as its own, and the
   * hand-over of displaced entries to the queue races the worker and the cancels all the time.
   */

  private WheelTimer newOneStripeTimer() {
    return track(WheelTimer.builder().threadFactory(recordingFactory).stripes(1).build());
  }

  /** The body of one of the threads of {@link #onThreads}; {@code p} is its number. */
  private interface ThreadBody {
    void run(int p) throws Exception;
  }

  /**
   * Runs {@code body} on {@code threads} threads that start together, and waits for them; a
   * failure of any of them, or a wait longer than {@link #WAIT}, fails the test.
   */
  private static void onThreads(int threads, ThreadBody body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(threads);
      List<Future<?>> futures = new ArrayList<>();
      for (int p = 0; p < threads; p++) {
        int k = p;
        futures.add(pool.submit(() -> {
          start.countDown();
          assertTrue(start.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the others started");
          body.run(k);
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS); // a failure in a helper reaches the test
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static boolean isFinal(Timeout t) {
    Timeout.State s = t.state();
    return s == Timeout.State.DONE || s == Timeout.State.CANCELLED;
  }

  @Test
  void oneStripeSoakEveryTimeoutRunsOnceOrIsCancelledAndTheCountIsExact() throws Exception {
    WheelTimer timer = newOneStripeTimer();
    int threads = 4;
    int perThread = 20_000;
    int n = threads * perThread;
    AtomicIntegerArray runs = new AtomicIntegerArray(n);
    // Written by the scheduling thread of each index, read after Future.get (happens-before).
    boolean[] far = new boolean[n];
    boolean[] cancelled = new boolean[n];
    Timeout[] timeouts = new Timeout[n];
    onThreads(threads, p -> {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      for (int i = p * perThread; i < (p + 1) * perThread; i++) {
        int k = i;
        Runnable task = () -> runs.incrementAndGet(k);
        // One in 16 is due in an hour: those not cancelled stay pending, so that the count
        // expected at the end is not 0, and a count that is too low shows (pendingCount()
        // reports a negative count as 0).
        far[k] = random.nextInt(16) == 0;
        Timeout t = far[k]
            ? timer.schedule(task, LONG)
            : timer.schedule(task, random.nextInt(0, 2_001), TimeUnit.MICROSECONDS);
        timeouts[k] = t;
        if (random.nextBoolean()) {
          cancelled[k] = t.cancel();
        }
      }
    });
    // Wait until every timeout that can run has run: each one DONE (its task has returned) or
    // CANCELLED, except those due in an hour. Scans on from the first one not final yet.
    int[] next = {0};
    awaitTrue("every timeout DONE or CANCELLED", () -> {
      while (next[0] < n && ((far[next[0]] && !cancelled[next[0]]) || isFinal(timeouts[next[0]]))) {
        next[0]++;
      }
      return next[0] == n;
    });
    int cancelledCount = 0;
    int stillPending = 0;
    for (int i = 0; i < n; i++) {
      if (cancelled[i]) {
        cancelledCount++;
        assertEquals(0, runs.get(i), "timeout " + i + ": cancel() returned true, yet it ran");
        assertEquals(Timeout.State.CANCELLED, timeouts[i].state(), "timeout " + i);
      } else if (far[i]) {
        stillPending++;
        assertEquals(0, runs.get(i), "timeout " + i + ": due in an hour, yet it ran");
        assertEquals(Timeout.State.PENDING, timeouts[i].state(), "timeout " + i);
      } else {
        assertEquals(1, runs.get(i), "timeout " + i + ": not cancelled, so it runs exactly once");
        assertEquals(Timeout.State.DONE, timeouts[i].state(), "timeout " + i);
      }
    }
    assertTrue(cancelledCount > 0 && stillPending > 0, cancelledCount + " " + stillPending);
    assertEquals(stillPending, timer.pendingCount(), "the timeouts due in an hour, not cancelled");
    timer.close();
    for (int i = 0; i < n; i++) {
      if (far[i] && !cancelled[i]) {
        assertEquals(Timeout.State.CANCELLED, timeouts[i].state(), "timeout " + i);
      }
    }
    workers.get(workers.size() - 1).join(WAIT.toMillis());
    for (int i = 0; i < n; i++) {
      assertEquals(cancelled[i] || far[i] ? 0 : 1, runs.get(i), "timeout " + i + " after close");
    }
  }

  @Test
  void oneStripePendingCountIsExactWhenQuiescent() throws Exception {
    assertPendingCountExact(newOneStripeTimer());
  }

  @Test
  void oneStripePendingCountIsExactWhenQuiescentWithAPendingBound() throws Exception {
    // A bound selects the other way of counting: one word, incremented before publication.
    assertPendingCountExact(track(WheelTimer.builder().threadFactory(recordingFactory)
        .stripes(1).maxPending(1_000_000).build()));
  }

  private void assertPendingCountExact(WheelTimer timer) throws Exception {
    int threads = 3;
    int perThread = 40_000;
    int n = threads * perThread;
    Timeout[] timeouts = new Timeout[n];
    onThreads(threads, p -> {
      for (int i = p * perThread; i < (p + 1) * perThread; i++) {
        // Deadlines spread over many buckets, all far in the future.
        timeouts[i] = timer.schedule(mustNotRun("a timeout due in an hour ran"),
            LONG.plusMillis(i % 1_000));
      }
    });
    assertEquals(n, timer.pendingCount(), "after the schedules");
    // Make sure that the worker has taken every entry from the slot and the queue and linked
    // it, which must not change the count. It takes the slot's entry of a round before it drains
    // the queue, so a task due at once that is scheduled after the first one ran is taken in a
    // later round than the drain that followed the first one. (Both ran: they count for nothing.)
    for (int round = 0; round < 2; round++) {
      CountDownLatch ran = new CountDownLatch(1);
      timer.schedule(ran::countDown, Duration.ZERO);
      await(ran);
    }
    assertEquals(n, timer.pendingCount(), "after the worker linked them");
    onThreads(threads, p -> {
      for (int i = p * perThread; i < (p + 1) * perThread; i += 2) {
        assertTrue(timeouts[i].cancel(), "cancel of pending timeout " + i);
      }
    });
    assertEquals(n / 2, timer.pendingCount(), "after cancelling half");
    for (int i = 0; i < n; i++) {
      assertEquals(i % 2 == 0 ? Timeout.State.CANCELLED : Timeout.State.PENDING,
          timeouts[i].state(), "timeout " + i);
    }
    timer.close();
    assertEquals(0, timer.pendingCount(), "after close");
    for (int i = 0; i < n; i++) {
      assertEquals(Timeout.State.CANCELLED, timeouts[i].state(), "timeout " + i);
      assertFalse(timeouts[i].cancel(), "nothing left to cancel: " + i);
    }
  }

  @Test
  void aScheduleWhileTheWorkerRunsATaskIsSeenBeforeTheWorkerParks() {
    // The worker takes the gate from the slot and runs it; meanwhile `later` is published in
    // the slot, and its scheduler, finding the worker awake, does not wake it. After the gate
    // the worker announces its sleep and re-checks the slot before it parks: it must see
    // `later` there. A turn of this wheel lasts about 17 minutes, which is how long the worker,
    // having taken the gate in this round, would otherwise sleep: the test would time out.
    WheelTimer timer = track(WheelTimer.builder().threadFactory(recordingFactory)
        .stripes(1).wheelSize(1 << 20).build());
    CountDownLatch gateRunning = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    timer.schedule(() -> {
      gateRunning.countDown();
      try {
        if (!release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          failures.add(new AssertionError("the gate was never released"));
        }
      } catch (InterruptedException e) {
        failures.add(e);
      }
    }, Duration.ZERO);
    await(gateRunning);
    CountDownLatch ran = new CountDownLatch(1);
    Timeout later = timer.schedule(ran::countDown, Duration.ZERO);
    release.countDown();
    await(ran);
    awaitTrue("DONE", () -> later.state() == Timeout.State.DONE);
    assertEquals(0, timer.pendingCount());
  }

  @Test
  void theStripesKnobTakesPowersOfTwoFromOneTo64() {
    WheelTimer.Builder b = WheelTimer.builder();
    assertMessage("stripes", () -> b.stripes(0));
    assertMessage("stripes", () -> b.stripes(3));
    assertMessage("stripes", () -> b.stripes(128));
    assertMessage("stripes", () -> b.stripes(-1));
    for (int stripes = 1; stripes <= 64; stripes <<= 1) {
      WheelTimer timer = track(b.stripes(stripes).threadFactory(recordingFactory).build());
      CountDownLatch ran = new CountDownLatch(1);
      timer.schedule(ran::countDown, Duration.ZERO);
      await(ran);
    }
  }
}
