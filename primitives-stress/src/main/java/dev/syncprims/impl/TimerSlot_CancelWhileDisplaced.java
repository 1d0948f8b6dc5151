package dev.syncprims.impl;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.Timeout;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.NullMarked;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

/**
 * {@code cancel()} of a timeout X that sits in the slot of a one-stripe {@link WheelTimer},
 * racing a schedule of Y that displaces X from the slot (and passes X on through the stripe's
 * queue if X still reads as queued), and the worker, which takes entries from the slot and the
 * queue. Exactly one of "cancel returned {@code true}" and "X ran" happens; Y runs exactly once;
 * the pending count comes out exact.
 *
 * <p>These tests live in package {@code dev.syncprims.impl}, not {@code dev.syncprims.stress},
 * because they build their timers with the package-private {@code
 * WheelTimer.Builder.stripes(1)}, which puts every thread on the one stripe, so that Y always
 * displaces X.
 *
 * <p>The state's constructor schedules W, due in an hour, then X, which displaces W to the
 * queue; the worker loop is not running yet (see {@link PooledLoop}: the timer's own start of its
 * thread does nothing), so X is in the slot, queued, when the actors begin. W stays pending, so
 * that the right count at the end is 1, not 0, and a count one too low shows ({@code
 * pendingCount()} reports a negative count as 0). Actor 1 launches the loop on the shared pool,
 * and both actors wait (boundedly) until it is about to run; then actor 1 cancels X while actor
 * 2 schedules Y, due at once, and the worker makes its first round: it may take X from the slot
 * before Y displaces it, or find Y there and X in the queue, or X not yet in the queue (in actor
 * 2's hands). Two variants: X due at once (the cancel races the firing of X) and X due in an hour
 * (nothing may fire X, so the cancel must win, whether X is still queued or linked in the wheel
 * by then).
 *
 * <p>When both events of a state have happened (Y ran; X ran or the cancel returned {@code
 * true}, or, X far, the cancel returned), the last of them records {@code pendingCount()} and
 * closes the timer, which ends the loop and gives its thread back to the pool. The arbiter waits,
 * boundedly, for that, then for the loop to end; after that nothing can run any more.
 *
 * <p>{@code r1}: {@code cancel()} returned {@code true}; {@code r2}, {@code r3}: how many times X
 * and Y ran; {@code r4}: {@code pendingCount()} when the state settled (or, if it had not after
 * 10 s, just before the arbiter closed the timer); {@code r5}: 0 settled in time, 1 settled but
 * late (more than 250 ms after the schedule of Y returned), 2 not settled within 10 s, 3 the
 * worker loop did not end after close, 4 W ran. The timer has the wheel of {@link
 * TimerSlot_TwoSchedulers}: a worker that went to sleep with a timeout waits for W's bucket,
 * about 16 s away, so a lost wake-up shows as not settled.
 */
@NullMarked
public class TimerSlot_CancelWhileDisplaced {
  static final int NOT_SETTLED = Integer.MIN_VALUE;

  /** The shared scene. */
  abstract static class Scene {
    final PooledLoop loop = new PooledLoop(false);
    final WheelTimer timer =
        WheelTimer.builder()
            .threadFactory(loop)
            .stripes(1)
            .tickDuration(TimerSlot_TwoSchedulers.TICK)
            .wheelSize(TimerSlot_TwoSchedulers.WHEEL_SIZE)
            .build();
    private final boolean xFar;
    private final Timeout x;
    private final AtomicInteger events = new AtomicInteger();
    private volatile int runsW;
    private volatile int runsX;
    private volatile int runsY;
    private volatile long returnedY;
    private volatile long settledAt;
    private volatile int pendingAtSettle = NOT_SETTLED;

    /** @param xFar X is due in an hour (else at once) */
    Scene(boolean xFar) {
      this.xFar = xFar;
      timer.schedule(this::taskW, 1, TimeUnit.HOURS);
      x = timer.schedule(this::taskX, xFar ? 1 : 0, TimeUnit.HOURS);
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // only the timer's worker writes it
    private void taskW() {
      runsW++;
    }

    /** An event; the second one settles the state. */
    private void event() {
      if (events.incrementAndGet() == 2) {
        settledAt = System.nanoTime();
        pendingAtSettle = timer.pendingCount();
        timer.close();
      }
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // only the timer's worker writes it
    private void taskX() {
      runsX++;
      if (!xFar) {
        event();
      }
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // only the timer's worker writes it
    private void taskY() {
      runsY++;
      event();
    }

    void cancelX(IIIII_Result r) {
      loop.launch();
      loop.awaitRunning();
      boolean cancelled = x.cancel();
      r.r1 = cancelled ? 1 : 0;
      if (cancelled || xFar) {
        event();
      }
    }

    void scheduleY() {
      loop.awaitRunning();
      timer.schedule(this::taskY, 0, TimeUnit.NANOSECONDS);
      returnedY = System.nanoTime();
    }

    void arbiter(IIIII_Result r) {
      long start = System.nanoTime();
      while (pendingAtSettle == NOT_SETTLED && System.nanoTime() - start < PooledLoop.LIMIT_NANOS) {
        LockSupport.parkNanos(10_000L);
      }
      int pending = pendingAtSettle;
      int status;
      if (pending == NOT_SETTLED) {
        pending = timer.pendingCount();
        status = 2;
      } else {
        status = settledAt - returnedY > TimerSlot_TwoSchedulers.LATE_NANOS ? 1 : 0;
      }
      timer.close();
      if (!loop.awaitEnded()) {
        status = 3;
      } else if (runsW != 0) {
        status = 4; // W, due in an hour, ran: reported by the catch-all FORBIDDEN outcome
      }
      r.r2 = runsX;
      r.r3 = runsY;
      r.r4 = pending;
      r.r5 = status;
    }
  }

  @JCStressTest
  @Description("cancel() of X due at once, in the slot, racing a schedule that displaces it.")
  @Outcome(id = "1, 0, 1, 1, 0", expect = ACCEPTABLE, desc = "cancel() won: X never ran; Y ran once; only W, due in an hour, counted pending.")
  @Outcome(id = "0, 1, 1, 1, 0", expect = ACCEPTABLE, desc = "The firing of X won: cancel() returned false, X ran once; Y ran once.")
  @Outcome(id = "1, 0, 1, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "cancel() won, but Y ran late: more than 250 ms after the schedule returned: a stall, or a lost wake-up that something else made up for.")
  @Outcome(id = "0, 1, 1, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "X fired, but X or Y ran late: more than 250 ms after the schedule returned: a stall, or a lost wake-up that something else made up for.")
  @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "cancel() returned true, yet X ran.")
  @Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "cancel() returned false, yet X never ran: lost.")
  @Outcome(id = "1, 0, 0, 2, 2", expect = FORBIDDEN, desc = "Y lost: never ran, still counted pending.")
  @Outcome(expect = FORBIDDEN, desc = "A task lost or run twice, a wrong count, or the worker did not end.")
  @State
  public static class XDueAtOnce extends Scene {
    public XDueAtOnce() {
      super(false);
    }

    @Actor
    public void actor1(IIIII_Result r) {
      cancelX(r);
    }

    @Actor
    public void actor2() {
      scheduleY();
    }

    @Arbiter
    public void arbiterActor(IIIII_Result r) {
      arbiter(r);
    }
  }

  @JCStressTest
  @Description("cancel() of X due in an hour, in the slot, racing a schedule that displaces it.")
  @Outcome(id = "1, 0, 1, 1, 0", expect = ACCEPTABLE, desc = "cancel() won, as it must: X never ran; Y ran once; only W, due in an hour, counted pending.")
  @Outcome(id = "1, 0, 1, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "The same, but Y ran late: more than 250 ms after the schedule returned: a stall, or a lost wake-up that something else made up for.")
  @Outcome(id = "0, .*", expect = FORBIDDEN, desc = "cancel() of a timeout due in an hour returned false.")
  @Outcome(id = "1, 0, 0, 2, 2", expect = FORBIDDEN, desc = "Y lost: never ran, still counted pending.")
  @Outcome(expect = FORBIDDEN, desc = "X ran, a task lost or run twice, a wrong count, or the worker did not end.")
  @State
  public static class XDueInAnHour extends Scene {
    public XDueInAnHour() {
      super(true);
    }

    @Actor
    public void actor1(IIIII_Result r) {
      cancelX(r);
    }

    @Actor
    public void actor2() {
      scheduleY();
    }

    @Arbiter
    public void arbiterActor(IIIII_Result r) {
      arbiter(r);
    }
  }
}
