package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.Timeout;
import dev.syncprims.Timer;
import dev.syncprims.impl.Primitives;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@code Timeout.cancel()} racing the firing of the same timeout: exactly one of them wins. Either
 * cancel returns {@code true} and the task never runs, or it returns {@code false} and the task
 * runs, once.
 *
 * <p>To make the two meet, every state schedules, on one timer shared by all states, a gate task
 * and then its own task, both due at once. The gate holds the timer's worker (tasks run on it)
 * until actor 2 opens it; the worker then fires the state's task while actor 1 cancels it. The
 * gate waits at most {@link #GATE_LIMIT_NANOS}, so a state whose actors never run cannot stall
 * the timer. The arbiter waits, also boundedly, until the timeout has reached a final state.
 *
 * <p>The shared timer is static: one worker thread for the whole run instead of one per state
 * (jcstress creates states by the million). It is never closed; its thread is a daemon and
 * ends with the forked JVM.
 */
@JCStressTest
@Description("cancel() racing the firing of the timeout: exactly one of them wins.")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "cancel() won: it returned true, the task never ran.")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "The firing won: cancel() returned false, the task ran once.")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "cancel() returned true, yet the task ran.")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "cancel() returned false, yet the task never ran (or not in time).")
@Outcome(expect = FORBIDDEN, desc = "The task ran more than once, or the outcome is impossible.")
@State
public class TimerCancel_ExactlyOnce {
  static final long GATE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(1);
  static final long ARBITER_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);
  static final Timer TIMER = Primitives.timer();

  private volatile boolean open;
  private volatile int runs;
  private final Timeout timeout;

  public TimerCancel_ExactlyOnce() {
    TIMER.schedule(this::gate, 0, TimeUnit.NANOSECONDS);
    timeout = TIMER.schedule(this::task, 0, TimeUnit.NANOSECONDS);
  }

  @SuppressWarnings("ThreadPriorityCheck") // a bounded spin that leaves the cores to the actors
  private void gate() {
    long start = System.nanoTime();
    int spins = 0;
    while (!open && System.nanoTime() - start < GATE_LIMIT_NANOS) {
      if (++spins % 64 == 0) {
        Thread.yield();
      } else {
        Thread.onSpinWait();
      }
    }
  }

  @SuppressWarnings("NonAtomicVolatileUpdate") // only the timer's worker writes it
  private void task() {
    runs++;
  }

  @Actor
  public void cancel(II_Result r) {
    r.r1 = timeout.cancel() ? 1 : 0;
  }

  @Actor
  public void openGate() {
    open = true;
  }

  @Arbiter
  public void arbiter(II_Result r) {
    long start = System.nanoTime();
    Timeout.State s = timeout.state();
    while ((s == Timeout.State.PENDING || s == Timeout.State.RUNNING)
        && System.nanoTime() - start < ARBITER_LIMIT_NANOS) {
      LockSupport.parkNanos(10_000L);
      s = timeout.state();
    }
    r.r2 = runs;
  }
}
