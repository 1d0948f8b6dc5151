package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.Timeout;
import dev.syncprims.Timer;
import dev.syncprims.impl.Primitives;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@code Timeout.cancel()} of a periodic schedule racing its runs and its re-arming: cancel()
 * returns {@code true} (nothing else ends this schedule, so it always prevents a next run), the
 * timeout stays CANCELLED, and no run starts after cancel() returned. A run that had started
 * before may still be counting itself as cancel() returns: at most one run is seen after it.
 *
 * <p>The schedule runs at a rate of one run per nanosecond on a timer shared by all states, so
 * that it is almost always running or being re-armed. The arbiter lets the worker pass the next
 * two ticks (a one-shot task due then, awaited boundedly) before it counts the runs again.
 */
@JCStressTest
@Description("cancel() racing a periodic task's runs and re-arming: true, final, no run after it.")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "Cancelled; no run after cancel() returned.")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Cancelled during a run, which counted itself after cancel() returned.")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "cancel() returned false, though nothing else ends the schedule.")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "The timeout read other than CANCELLED after a successful cancel().")
@Outcome(expect = FORBIDDEN, desc = "Runs started after cancel() returned.")
@State
public class TimerPeriodic_CancelRacesRearm {
  static final Timer TIMER = Primitives.timer();
  static final long WAIT_MILLIS = 10_000;

  private volatile int runs;
  private final Timeout timeout;

  public TimerPeriodic_CancelRacesRearm() {
    timeout = TIMER.scheduleAtFixedRate(this::task, Duration.ZERO, Duration.ofNanos(1));
  }

  @SuppressWarnings("NonAtomicVolatileUpdate") // only the timer's worker writes it
  private void task() {
    runs++;
  }

  private int runsAtCancel;

  @Actor
  public void cancel(II_Result r) {
    r.r1 = timeout.cancel() ? 1 : 0;
    runsAtCancel = runs;
  }

  @Actor
  public void observe() {
    timeout.state(); // another thread reading while the entry moves
  }

  @Arbiter
  public void arbiter(II_Result r) {
    CountDownLatch passed = new CountDownLatch(1);
    TIMER.schedule(passed::countDown, 2, TimeUnit.MILLISECONDS);
    try {
      passed.await(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (r.r1 == 1 && timeout.state() != Timeout.State.CANCELLED) {
      r.r1 = 2;
    }
    r.r2 = runs - runsAtCancel;
  }
}
