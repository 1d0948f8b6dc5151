package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.Timeout;
import dev.syncprims.impl.Primitives;
import dev.syncprims.impl.WheelTimer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@code Timer.close()} racing the firing of a timeout due at once: whatever state the closing
 * thread reads right after close() returns is never PENDING, and if it is final (DONE or
 * CANCELLED) it is the state the timeout keeps for ever, read again once the worker has ended.
 *
 * <p>Actor 1 schedules the task (the worker starts and fires it at once); actor 2 closes the
 * timer and reads the state. Each state has its own timer, whose worker loop runs on a shared
 * pool (as in {@link TimerClose_NoLostTimeout}). Result: r1 is the state read by the closing
 * thread (9 if the timeout was not published yet), r2 the state read by the arbiter after the
 * worker ended (-1 if the schedule was rejected); 0 PENDING, 1 RUNNING, 2 DONE, 3 CANCELLED.
 */
@JCStressTest
@Description("close() racing a firing: a state read after close() is never PENDING, and a final one never changes.")
@Outcome(id = "9, -1", expect = ACCEPTABLE, desc = "close() first: the schedule was rejected.")
@Outcome(id = "9, 2", expect = ACCEPTABLE, desc = "Read before the schedule returned; the task ran.")
@Outcome(id = "9, 3", expect = ACCEPTABLE, desc = "Read before the schedule returned; close() cancelled it.")
@Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "Running when close() returned; finished.")
@Outcome(id = "2, 2", expect = ACCEPTABLE, desc = "Done before close() returned; stays DONE.")
@Outcome(id = "3, 3", expect = ACCEPTABLE, desc = "Cancelled by close(); stays CANCELLED.")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "PENDING after close() returned.")
@Outcome(id = "3, 2", expect = FORBIDDEN, desc = "Read CANCELLED after close(), then the task ran.")
@Outcome(id = "2, 3", expect = FORBIDDEN, desc = "Read DONE, then CANCELLED.")
@Outcome(id = "1, 3", expect = FORBIDDEN, desc = "Read RUNNING, then CANCELLED: a started task was cancelled.")
@Outcome(expect = FORBIDDEN, desc = "The worker did not end in time (7), cancel() returned true after close (8), or the outcome is impossible.")
@State
public class TimerClose_FinalStateStays {
  static final long ARBITER_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  static final ExecutorService LOOPS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "timer-loop");
    t.setDaemon(true);
    return t;
  });

  private final WheelTimer timer;
  private volatile boolean loopEnded;
  private volatile boolean started;
  private volatile @Nullable Timeout timeout;

  @SuppressWarnings("this-escape") // the timer's threads start only when a test schedules
  public TimerClose_FinalStateStays() {
    ThreadFactory pooled = loop -> new Thread() {
      @Override
      @SuppressWarnings("UnsynchronizedOverridesSynchronized") // nothing to guard
      public void start() {
        started = true;
        LOOPS.execute(() -> {
          try {
            loop.run();
          } finally {
            loopEnded = true;
          }
        });
      }
    };
    timer = Primitives.timerBuilder().threadFactory(pooled).build();
  }

  static int code(Timeout.State s) {
    return switch (s) {
      case PENDING -> 0;
      case RUNNING -> 1;
      case DONE -> 2;
      case CANCELLED -> 3;
    };
  }

  @Actor
  public void schedule() {
    try {
      timeout = timer.schedule(() -> {}, 0, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // close() came first
    }
  }

  @Actor
  public void close(II_Result r) {
    timer.close();
    Timeout t = timeout;
    r.r1 = t == null ? 9 : code(t.state());
  }

  @Arbiter
  public void arbiter(II_Result r) {
    Timeout t = timeout;
    if (t == null) {
      r.r2 = -1;
      return;
    }
    long start = System.nanoTime();
    while (started && !loopEnded && System.nanoTime() - start < ARBITER_LIMIT_NANOS) {
      LockSupport.parkNanos(10_000L);
    }
    if (started && !loopEnded) {
      r.r2 = 7;
    } else if (t.cancel()) {
      r.r2 = 8;
    } else {
      r.r2 = code(t.state());
    }
  }
}
