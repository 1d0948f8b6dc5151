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
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@code Timer.close()} racing {@code Timer.schedule()} of a task due at once: a timeout that
 * schedule returned either runs, once, or ends {@code CANCELLED} and never runs; a schedule that
 * threw {@code RejectedExecutionException} never runs its task. Nothing is lost, nothing runs
 * twice.
 *
 * <p>Each state has its own timer (close is once per timer). Its worker loop does not get a
 * thread of its own: the thread factory hands out {@code Thread} objects whose {@code start()}
 * runs the loop on a shared cached pool, so a state costs no thread creation, and the timer
 * starts its worker only on the first schedule anyway. The arbiter waits, boundedly, until that
 * loop has ended (close() ends it); after that nothing can run any more, so the outcome is
 * final.
 */
@JCStressTest
@Description("close() racing schedule(): every accepted timeout runs once or ends CANCELLED.")
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "close() first: schedule() was rejected, the task never ran.")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "The task was accepted and ran once before the close.")
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "The task was accepted, then cancelled by close(); it never ran.")
@Outcome(id = "1, 0, 0", expect = FORBIDDEN, desc = "Lost: accepted, never ran, yet not CANCELLED.")
@Outcome(id = "1, 1, 1", expect = FORBIDDEN, desc = "Reported CANCELLED, yet the task ran.")
@Outcome(id = "0, 1, 0", expect = FORBIDDEN, desc = "schedule() was rejected, yet the task ran.")
@Outcome(expect = FORBIDDEN, desc = "The task ran twice, or the worker did not end in time, or the outcome is impossible.")
@State
public class TimerClose_NoLostTimeout {
  static final long ARBITER_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** Runs the workers' loops; its threads are reused from state to state. */
  static final ExecutorService LOOPS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "timer-loop");
    t.setDaemon(true);
    return t;
  });

  private final WheelTimer timer;
  private volatile boolean loopEnded;
  private volatile int runs;
  private volatile @Nullable Timeout timeout;

  @SuppressWarnings("this-escape") // the timer's threads start only when a test schedules
  public TimerClose_NoLostTimeout() {
    ThreadFactory pooled = loop -> new Thread() {
      @Override
      @SuppressWarnings("UnsynchronizedOverridesSynchronized") // nothing to guard
      public void start() {
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

  @SuppressWarnings("NonAtomicVolatileUpdate") // only the timer's worker writes it
  private void task() {
    runs++;
  }

  @Actor
  public void schedule(III_Result r) {
    try {
      timeout = timer.schedule(this::task, 0, TimeUnit.NANOSECONDS);
      r.r1 = 1;
    } catch (RejectedExecutionException e) {
      r.r1 = 0;
    }
  }

  @Actor
  public void close() {
    timer.close();
  }

  @Arbiter
  public void arbiter(III_Result r) {
    Timeout t = timeout;
    if (t != null) {
      // Accepted, so the worker was started; once its loop has ended, nothing can run any more.
      long start = System.nanoTime();
      while (!loopEnded && System.nanoTime() - start < ARBITER_LIMIT_NANOS) {
        LockSupport.parkNanos(10_000L);
      }
      if (!loopEnded) {
        r.r3 = 7; // the worker did not end: reported by the catch-all FORBIDDEN outcome
      } else {
        r.r3 = t.state() == Timeout.State.CANCELLED ? 1 : 0;
      }
    }
    r.r2 = runs;
  }
}
