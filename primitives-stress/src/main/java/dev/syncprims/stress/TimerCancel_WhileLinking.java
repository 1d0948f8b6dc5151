package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.Timeout;
import dev.syncprims.Timer;
import dev.syncprims.impl.Primitives;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@code Timeout.cancel()} racing the timer's worker as it takes the timeout from the hand-over
 * queue into the wheel. A pending timeout is in one of two inner states, queued or linked, and
 * the worker moves it from one to the other by CAS; a cancel that reads "queued" and then loses
 * its CAS to the worker must try again from "linked", not report that the timeout could not be
 * cancelled. The timeout is due in an hour, so nothing fires: cancel() must return {@code true}
 * every time, and the timeout must be CANCELLED afterwards.
 *
 * <p>As in {@link TimerCancel_ExactlyOnce}, every state first schedules a gate task due at once
 * on one timer shared by all states; the gate holds the worker until actor 2 opens it, and the
 * worker then takes the state's timeout from the queue while actor 1 cancels it.
 */
@JCStressTest
@Description("cancel() racing the worker linking the timeout into the wheel: cancel always wins.")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "cancel() returned true; the timeout is CANCELLED.")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "cancel() of a timeout due in an hour returned false.")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "cancel() returned true, yet the timeout is not CANCELLED.")
@State
public class TimerCancel_WhileLinking {
  static final Timer TIMER = Primitives.timer();

  private volatile boolean open;
  private final Timeout timeout;

  public TimerCancel_WhileLinking() {
    TIMER.schedule(this::gate, 0, TimeUnit.NANOSECONDS);
    timeout = TIMER.schedule(TimerCancel_WhileLinking::mustNotRun, 1, TimeUnit.HOURS);
  }

  private static void mustNotRun() {
    throw new AssertionError("a timeout due in an hour ran");
  }

  private void gate() {
    Pause.until(() -> open);
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
    r.r2 = timeout.state() == Timeout.State.CANCELLED ? 1 : 0;
  }
}
