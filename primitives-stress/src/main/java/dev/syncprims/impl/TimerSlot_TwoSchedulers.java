package dev.syncprims.impl;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.time.Duration;
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
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Two threads schedule on the one slot of a one-stripe {@link WheelTimer} while its worker takes
 * entries from that slot: one of the two entries displaces the other, which its displacer passes
 * on through the stripe's queue if the worker has not taken it yet. Neither may be lost, none may
 * run twice, and the pending count must come out exact.
 *
 * <p>These tests live in package {@code dev.syncprims.impl}, not {@code dev.syncprims.stress},
 * because they build their timers with the package-private {@code
 * WheelTimer.Builder.stripes(1)}, which puts every scheduling thread on one stripe, so that the
 * race between schedulers happens every time.
 *
 * <p>Each state has its own timer. Its worker loop runs on a shared pool (see {@link
 * PooledLoop}); actor 1 launches it, and both actors wait (boundedly) until it is about to run
 * before they schedule, so that the worker's first looks at the slot and the queue fall into the
 * race. When both events of a state have happened, the last of them records {@code
 * pendingCount()} and closes the timer, which ends the loop and gives its thread back to the
 * pool: a state costs no thread of its own. The arbiter waits, boundedly, for that, then for the
 * loop to end; after that nothing can run any more, so the counts are final.
 *
 * <p>{@code r1}, {@code r2}: how many times task A and task B ran; {@code r3}: {@code
 * pendingCount()} when both events had happened (or, if they had not after 10 s, just before the
 * arbiter closed the timer); {@code r4}: 0 settled in time, 1 settled but late (more than {@link
 * #LATE_NANOS} after the later schedule returned), 2 not settled within 10 s, 3 the worker loop
 * did not end after close, 4 a timeout due in an hour ran.
 *
 * <p>The wheel has 1024 ticks of 20 ms. A worker parks without a timeout if its last round took
 * nothing; otherwise until the tick of its next linked entry (here a timeout due in an hour,
 * whose bucket comes round about 16 s later) or, with an empty wheel, for one turn (20 s). Either
 * way it sleeps longer than the arbiter waits, so a lost wake-up shows as not settled, not just
 * as late. (A task due at once can legitimately run up to one tick late: if it is published
 * after the worker read the clock for its round but before it looked at the slot, the worker
 * links it for the next tick.)
 */
@NullMarked
public class TimerSlot_TwoSchedulers {
  static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
  static final int WHEEL_SIZE = 1024;
  static final Duration TICK = Duration.ofMillis(20);
  static final int NOT_SETTLED = Integer.MIN_VALUE;

  /** The shared scene: A due at once from actor 1, B after {@code delayB} from actor 2. */
  abstract static class Scene {
    final PooledLoop loop = new PooledLoop(false);
    final WheelTimer timer =
        WheelTimer.builder()
            .threadFactory(loop)
            .stripes(1)
            .tickDuration(TICK)
            .wheelSize(WHEEL_SIZE)
            .build();
    private final long delayB;
    private final AtomicInteger events = new AtomicInteger();
    private volatile int runsA;
    private volatile int runsB;
    private volatile int runsW;
    private volatile long returnedA;
    private volatile long returnedB;
    private volatile long settledAt;
    private volatile int pendingAtSettle = NOT_SETTLED;

    /**
     * @param delayB 0: B is due at once and its run is an event; else B must never run
     * @param witness schedule W, due in an hour, in the constructor: see {@link BothDueAtOnce}
     */
    Scene(long delayB, boolean witness) {
      this.delayB = delayB;
      if (witness) {
        timer.schedule(this::taskW, 1, TimeUnit.HOURS);
      }
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // only the timer's worker writes it
    private void taskW() {
      runsW++;
    }

    /** An event: A ran, B ran, or (B far) B was scheduled. The second one settles the state. */
    private void event() {
      if (events.incrementAndGet() == 2) {
        settledAt = System.nanoTime();
        pendingAtSettle = timer.pendingCount();
        timer.close();
      }
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // only the timer's worker writes it
    private void taskA() {
      runsA++;
      event();
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // only the timer's worker writes it
    private void taskB() {
      runsB++;
      if (delayB == 0) {
        event();
      }
    }

    void scheduleA() {
      loop.launch();
      loop.awaitRunning();
      timer.schedule(this::taskA, 0, TimeUnit.NANOSECONDS);
      returnedA = System.nanoTime();
    }

    void scheduleB() {
      loop.awaitRunning();
      timer.schedule(this::taskB, delayB, TimeUnit.NANOSECONDS);
      returnedB = System.nanoTime();
      if (delayB != 0) {
        event();
      }
    }

    void arbiter(IIII_Result r) {
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
        status = settledAt - Math.max(returnedA, returnedB) > LATE_NANOS ? 1 : 0;
      }
      timer.close();
      if (!loop.awaitEnded()) {
        status = 3;
      } else if (runsW != 0) {
        status = 4; // W, due in an hour, ran: reported by the catch-all FORBIDDEN outcome
      }
      r.r1 = runsA;
      r.r2 = runsB;
      r.r3 = pending;
      r.r4 = status;
    }
  }

  /**
   * A and B due at once. The constructor schedules W, due in an hour, which sits in the slot
   * until the first of A and B displaces it and passes it on to the queue; it stays pending, so
   * that the right count when A and B have run is 1, not 0, and a count one too low shows
   * ({@code pendingCount()} reports a negative count as 0).
   */
  @JCStressTest
  @Description("Two schedules due at once on one slot: each runs once, the count stays exact.")
  @Outcome(id = "1, 1, 1, 0", expect = ACCEPTABLE, desc = "Both ran once; only W, due in an hour, was counted pending after.")
  @Outcome(id = "1, 1, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "Both ran once, but one late: more than 250 ms after the schedule returned: a stall, or a lost wake-up that something else made up for.")
  @Outcome(id = "0, 1, 2, 2", expect = FORBIDDEN, desc = "A lost: never ran, still counted pending.")
  @Outcome(id = "1, 0, 2, 2", expect = FORBIDDEN, desc = "B lost: never ran, still counted pending.")
  @Outcome(expect = FORBIDDEN, desc = "A task lost or run twice, a wrong count, or the worker did not end.")
  @State
  public static class BothDueAtOnce extends Scene {
    public BothDueAtOnce() {
      super(0, true);
    }

    @Actor
    public void actor1() {
      scheduleA();
    }

    @Actor
    public void actor2() {
      scheduleB();
    }

    @Arbiter
    public void arbiterActor(IIII_Result r) {
      arbiter(r);
    }
  }

  /**
   * A due at once, B due in an hour. If B displaces A, B's scheduler may still hold A, on its
   * way to the queue, when the worker has taken B into the wheel and gone to sleep until the
   * tick of B's bucket (about 16 s away with this wheel): B's scheduler must then wake it for A,
   * whose deadline it takes into account along with B's. (That needs B's scheduler to be
   * preempted between its CAS on the slot and its offer, so it is rare.)
   */
  @JCStressTest
  @Description("A due at once, B due in an hour, on one slot: A runs once, B stays counted.")
  @Outcome(id = "1, 0, 1, 0", expect = ACCEPTABLE, desc = "A ran once; B was counted pending until close() cancelled it.")
  @Outcome(id = "1, 0, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "The same, but A ran late: more than 250 ms after the schedule returned: a stall, or a lost wake-up that something else made up for.")
  @Outcome(id = "0, 0, 2, 2", expect = FORBIDDEN, desc = "A lost: never ran, still counted pending.")
  @Outcome(expect = FORBIDDEN, desc = "A task lost or run twice, a wrong count, or the worker did not end.")
  @State
  public static class OneDueInAnHour extends Scene {
    public OneDueInAnHour() {
      super(TimeUnit.HOURS.toNanos(1), false);
    }

    @Actor
    public void actor1() {
      scheduleA();
    }

    @Actor
    public void actor2() {
      scheduleB();
    }

    @Arbiter
    public void arbiterActor(IIII_Result r) {
      arbiter(r);
    }
  }
}
