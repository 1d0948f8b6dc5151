package dev.syncprims.impl;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.NullMarked;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * A schedule that lands in the slot of a one-stripe {@link WheelTimer} after the worker has
 * looked at the slot in its current round, while the worker is still busy in that round (running
 * a task), racing the worker's announcement that it goes to sleep and its re-check of the slot.
 * The scheduler reads the worker's sleep target to decide whether to wake it, the worker reads
 * the slot after announcing: at least one of them must see the other, or the timeout waits for
 * the worker's next timed wake-up.
 *
 * <p>These tests live in package {@code dev.syncprims.impl}, not {@code dev.syncprims.stress},
 * because they build their timers with the package-private {@code
 * WheelTimer.Builder.stripes(1)}.
 *
 * <p>The state's constructor schedules a gate task G, due at once, which sits in the slot; the
 * worker loop is not running yet (see {@link PooledLoop}). Actor 1 launches the loop and waits
 * (boundedly) until the worker runs G, which it took from the slot, then schedules A, due at
 * once; actor 2 waits for the same moment, then opens the gate. After G the worker has taken
 * something in this round, its wheel is empty, so it announces a sleep of one turn of the wheel:
 * 1024 ticks of 20 ms, longer than the arbiter waits. A wake-up lost here therefore shows as A
 * never having run. When A has run, its task records {@code pendingCount()} and closes the
 * timer, which ends the loop; the arbiter waits, boundedly, for that.
 *
 * <p>{@code r1}: the worker was running G when A was scheduled (1), or actor 1 gave up waiting
 * for that after 10 ms (0: then A displaced G from the slot, and the worker may run A first);
 * {@code r2}: how many times A ran; {@code r3}: {@code pendingCount()} when A ran minus the right
 * count then (1 if G had not run yet, else 0), or, if A had not run after 10 s, {@code
 * pendingCount()} just before the arbiter closed the timer; {@code r4}: 0 A ran, 2 A had not run
 * after 10 s, 3 the worker loop did not end after close.
 */
@NullMarked
@JCStressTest
@Description("A schedule while the worker is busy after its look at the slot: it wakes the worker or the worker sees it.")
@Outcome(id = "1, 1, 0, 0", expect = ACCEPTABLE, desc = "Scheduled while the worker ran G: A ran once; the count was exact.")
@Outcome(id = "0, 1, 0, 0", expect = ACCEPTABLE, desc = "Scheduled before the worker got to G (rendezvous timed out): A ran once; the count was exact.")
@Outcome(id = "1, 0, 1, 2", expect = FORBIDDEN, desc = "Lost wake-up: A, counted pending, waited for the worker's next turn.")
@Outcome(expect = FORBIDDEN, desc = "A lost or run twice, a wrong count, or the worker did not end.")
@State
public class TimerSlot_ScheduleWhileWorkerBusy {
  static final int NOT_SETTLED = Integer.MIN_VALUE;

  private final PooledLoop loop = new PooledLoop(false);
  private final WheelTimer timer =
      WheelTimer.builder()
          .threadFactory(loop)
          .stripes(1)
          .tickDuration(Duration.ofMillis(20))
          .wheelSize(1024)
          .build();
  private volatile boolean gateRunning;
  private volatile boolean open;
  private volatile boolean gateWasRunning;
  private volatile int runsA;
  private volatile int pendingAtSettle = NOT_SETTLED;

  public TimerSlot_ScheduleWhileWorkerBusy() {
    timer.schedule(this::gate, 0, TimeUnit.NANOSECONDS);
  }

  @SuppressWarnings("ThreadPriorityCheck") // three threads on two cores: let the others run
  private void gate() {
    gateRunning = true;
    long start = System.nanoTime();
    while (!open && System.nanoTime() - start < PooledLoop.RENDEZVOUS_NANOS) {
      Thread.yield();
    }
  }

  @SuppressWarnings("NonAtomicVolatileUpdate") // only the timer's worker writes it
  private void taskA() {
    runsA++;
    // G runs on this thread too, before or after A, so it has run entirely or not at all.
    int expected = gateRunning ? 0 : 1;
    pendingAtSettle = timer.pendingCount() - expected;
    timer.close();
  }

  @SuppressWarnings("ThreadPriorityCheck") // three threads on two cores: let the others run
  private void awaitGateRunning() {
    long start = System.nanoTime();
    while (!gateRunning && System.nanoTime() - start < PooledLoop.RENDEZVOUS_NANOS) {
      Thread.yield();
    }
  }

  @Actor
  public void scheduleA() {
    loop.launch();
    awaitGateRunning();
    gateWasRunning = gateRunning;
    timer.schedule(this::taskA, 0, TimeUnit.NANOSECONDS);
  }

  @Actor
  public void openGate() {
    awaitGateRunning();
    open = true;
  }

  @Arbiter
  public void arbiter(IIII_Result r) {
    long start = System.nanoTime();
    while (pendingAtSettle == NOT_SETTLED && System.nanoTime() - start < PooledLoop.LIMIT_NANOS) {
      LockSupport.parkNanos(10_000L);
    }
    int pending = pendingAtSettle;
    int status = 0;
    if (pending == NOT_SETTLED) {
      pending = timer.pendingCount();
      status = 2;
    }
    timer.close();
    if (!loop.awaitEnded()) {
      status = 3;
    }
    r.r1 = gateWasRunning ? 1 : 0;
    r.r2 = runsA;
    r.r3 = pending;
    r.r4 = status;
  }
}
