package dev.syncprims.impl;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.Timeout;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIIII_Result;

/**
 * {@code close()} racing two schedules, due at once, on the one slot of a one-stripe {@link
 * WheelTimer}: the later schedule displaces the earlier entry and may hold it, on its way to the
 * stripe's queue, while the timer closes, after the earlier schedule has returned it. Every
 * timeout that schedule returned either runs, once, or ends {@code CANCELLED} and never runs; a
 * schedule that threw {@code RejectedExecutionException} never runs its task; the worker loop
 * ends.
 *
 * <p>These tests live in package {@code dev.syncprims.impl}, not {@code dev.syncprims.stress},
 * because they build their timers with the package-private {@code
 * WheelTimer.Builder.stripes(1)}, which puts both scheduling threads on one stripe.
 *
 * <p>Actor 1 schedules A; actor 2 schedules B, then closes the timer. (jcstress 0.16 does not run
 * a test with more actors than the machine has processors, so the close cannot have an actor of
 * its own on two cores.) B's schedule therefore always returns; A's races both B's schedule and
 * the close: whichever of A and B comes second displaces the other, and if that is A, it may
 * hold B, returned already, when it sees the close, and must then cancel it.
 *
 * <p>Each state has its own timer; its worker loop runs on a shared pool (see {@link
 * PooledLoop}). Two variants: {@link LazyStart}, in which, as in {@code
 * TimerClose_NoLostTimeout}, the timer launches the loop with its first accepted schedule (a
 * returned timeout does not imply a launched loop: if A cancels the B it displaced because it saw
 * the close, B's schedule may have returned before the worker was started, and A, rejected, never
 * starts it); and {@link WorkerRunning}, in which actor 1 launches the loop and both actors wait
 * (boundedly) until it is about to run, so that the worker takes entries from the slot and the
 * queue, and makes its final look at them, in the middle of the race. The arbiter waits,
 * boundedly, until the loop has ended, if it was launched; after that nothing can run any more.
 *
 * <p>For A ({@code r1, r2, r3}) and B ({@code r4, r5, r6}): schedule returned (1) or threw (0);
 * how many times the task ran; the timeout is {@code CANCELLED} (1) or not (0). {@code r3 = 7}:
 * the worker loop did not end within 10 s of the close.
 */
@NullMarked
public class TimerSlot_CloseRacesTwoSchedulers {

  /** The shared scene. */
  abstract static class Scene {
    private final boolean workerRunning;
    private final PooledLoop loop;
    private final WheelTimer timer;
    private volatile int runsA;
    private volatile int runsB;
    private volatile @Nullable Timeout a;
    private volatile @Nullable Timeout b;

    /** @param workerRunning actor 1 launches the loop (else the timer does, lazily) */
    Scene(boolean workerRunning) {
      this.workerRunning = workerRunning;
      loop = new PooledLoop(!workerRunning);
      timer = WheelTimer.builder().threadFactory(loop).stripes(1).wheelSize(16).build();
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // only the timer's worker writes it
    private void taskA() {
      runsA++;
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // only the timer's worker writes it
    private void taskB() {
      runsB++;
    }

    void scheduleA(IIIIII_Result r) {
      if (workerRunning) {
        loop.launch();
        loop.awaitRunning();
      }
      try {
        a = timer.schedule(this::taskA, 0, TimeUnit.NANOSECONDS);
        r.r1 = 1;
      } catch (RejectedExecutionException e) {
        r.r1 = 0;
      }
    }

    void scheduleBThenClose(IIIIII_Result r) {
      if (workerRunning) {
        loop.awaitRunning();
      }
      try {
        b = timer.schedule(this::taskB, 0, TimeUnit.NANOSECONDS);
        r.r4 = 1;
      } catch (RejectedExecutionException e) {
        r.r4 = 0;
      }
      timer.close();
    }

    void arbiter(IIIIII_Result r) {
      // The actors are done, so the timer is closed and a launch, if any, has happened.
      boolean ended = !loop.launched() || loop.awaitEnded();
      r.r2 = runsA;
      r.r5 = runsB;
      if (!ended) {
        r.r3 = 7; // reported by the catch-all FORBIDDEN outcome
        return;
      }
      r.r3 = isCancelled(a);
      r.r6 = isCancelled(b);
    }

    private static int isCancelled(@Nullable Timeout t) {
      return t != null && t.state() == Timeout.State.CANCELLED ? 1 : 0;
    }
  }

  @JCStressTest
  @Description("close() racing two schedules on one slot, lazy start: every accepted timeout runs once or ends CANCELLED.")
  @Outcome(id = "0, 0, 0, 1, 1, 0", expect = ACCEPTABLE, desc = "A rejected; B ran once.")
  @Outcome(id = "0, 0, 0, 1, 0, 1", expect = ACCEPTABLE, desc = "A rejected; B cancelled by the close, never ran.")
  @Outcome(id = "1, 1, 0, 1, 1, 0", expect = ACCEPTABLE, desc = "Both accepted; both ran once.")
  @Outcome(id = "1, 1, 0, 1, 0, 1", expect = ACCEPTABLE, desc = "Both accepted; A ran once, B was cancelled by the close.")
  @Outcome(id = "1, 0, 1, 1, 1, 0", expect = ACCEPTABLE, desc = "Both accepted; B ran once, A was cancelled by the close.")
  @Outcome(id = "1, 0, 1, 1, 0, 1", expect = ACCEPTABLE, desc = "Both accepted, both cancelled by the close.")
  @Outcome(id = "1, 0, 0, .*", expect = FORBIDDEN, desc = "A lost: accepted, never ran, yet not CANCELLED.")
  @Outcome(id = "[01], [01], [01], 1, 0, 0", expect = FORBIDDEN, desc = "B lost: accepted, never ran, yet not CANCELLED.")
  @Outcome(id = "0, 1, .*", expect = FORBIDDEN, desc = "A was rejected, yet its task ran.")
  @Outcome(id = ".*, 0, 0, 0", expect = FORBIDDEN, desc = "B rejected, though scheduled before the close on the same thread.")
  @Outcome(expect = FORBIDDEN, desc = "A task ran twice, ran and is CANCELLED, or the worker did not end.")
  @State
  public static class LazyStart extends Scene {
    public LazyStart() {
      super(false);
    }

    @Actor
    public void actor1(IIIIII_Result r) {
      scheduleA(r);
    }

    @Actor
    public void actor2(IIIIII_Result r) {
      scheduleBThenClose(r);
    }

    @Arbiter
    public void arbiterActor(IIIIII_Result r) {
      arbiter(r);
    }
  }

  @JCStressTest
  @Description("close() racing two schedules on one slot, worker running: every accepted timeout runs once or ends CANCELLED.")
  @Outcome(id = "0, 0, 0, 1, 1, 0", expect = ACCEPTABLE, desc = "A rejected; B ran once.")
  @Outcome(id = "0, 0, 0, 1, 0, 1", expect = ACCEPTABLE, desc = "A rejected; B cancelled by the close, never ran.")
  @Outcome(id = "1, 1, 0, 1, 1, 0", expect = ACCEPTABLE, desc = "Both accepted; both ran once.")
  @Outcome(id = "1, 1, 0, 1, 0, 1", expect = ACCEPTABLE, desc = "Both accepted; A ran once, B was cancelled by the close.")
  @Outcome(id = "1, 0, 1, 1, 1, 0", expect = ACCEPTABLE, desc = "Both accepted; B ran once, A was cancelled by the close.")
  @Outcome(id = "1, 0, 1, 1, 0, 1", expect = ACCEPTABLE, desc = "Both accepted, both cancelled by the close.")
  @Outcome(id = "1, 0, 0, .*", expect = FORBIDDEN, desc = "A lost: accepted, never ran, yet not CANCELLED.")
  @Outcome(id = "[01], [01], [01], 1, 0, 0", expect = FORBIDDEN, desc = "B lost: accepted, never ran, yet not CANCELLED.")
  @Outcome(id = "0, 1, .*", expect = FORBIDDEN, desc = "A was rejected, yet its task ran.")
  @Outcome(id = ".*, 0, 0, 0", expect = FORBIDDEN, desc = "B rejected, though scheduled before the close on the same thread.")
  @Outcome(expect = FORBIDDEN, desc = "A task ran twice, ran and is CANCELLED, or the worker did not end.")
  @State
  public static class WorkerRunning extends Scene {
    public WorkerRunning() {
      super(true);
    }

    @Actor
    public void actor1(IIIIII_Result r) {
      scheduleA(r);
    }

    @Actor
    public void actor2(IIIIII_Result r) {
      scheduleBThenClose(r);
    }

    @Arbiter
    public void arbiterActor(IIIIII_Result r) {
      arbiter(r);
    }
  }
}
