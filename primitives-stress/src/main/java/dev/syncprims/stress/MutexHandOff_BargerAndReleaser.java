package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.Fairness;
import dev.syncprims.Mutex;
import dev.syncprims.impl.Primitives;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * The hand-off to a queued waiter racing a barger and the releaser: three actors, so jcstress runs
 * it only on machines with at least three CPUs.
 *
 * <p>The holder H locks the mutex and unlocks it once the waiter W is visibly queued in {@code
 * lock()} (under BARGING past the fairness bound, in the overdue scene, so that the unlock takes
 * the hand-off path). The barger B waits until W is queued and the mutex looks free, then tries
 * {@code tryLock()} (untimed: it may barge a free mutex in both modes). W and B each increment a
 * plain counter inside, after checking that nobody else is.
 *
 * <ul>
 *   <li>Always: mutual exclusion, no lost increment, nobody left queued, the mutex free at the end.
 *   <li>FIFO: the unlock hands the mutex to W directly, so it is never free while W is queued: B
 *       can only get it after W, never before (unless W was not yet queued when H unlocked).
 *   <li>BARGING: B may get it before W (that is barging); in the overdue scene only when W was
 *       descheduled before it could ask for its hand-off, which the contract leaves to the
 *       scheduler.
 * </ul>
 *
 * <p>Outcome: {@code r1}: B did not get the mutex (0), got it after W (1), or before W (2); {@code
 * r2}: the counter plus 10 per thread that found another inside; {@code r3}: 1 if the mutex ended
 * locked, plus 10 per thread still queued; {@code r4}: whether H saw W queued before unlocking.
 */
public final class MutexHandOff_BargerAndReleaser {
  private MutexHandOff_BargerAndReleaser() {}

  /** Past the fairness bound of about 1 ms, with a margin. */
  static final long PAST_THE_BOUND_NANOS = 1_300_000L;

  /** The shared scene. */
  abstract static class Scene {
    private final Mutex mutex;
    private final long holdAfterQueuedNanos;
    private volatile boolean held;
    private boolean inside; // guarded by the mutex (a violation shows as a second thread seeing it set)
    private int count; // guarded by the mutex
    private int violations; // guarded by the mutex, when it works
    private volatile boolean waiterDone;
    private int barged;
    private int sawQueued;

    Scene(Fairness fairness, long holdAfterQueuedNanos) {
      mutex = Primitives.mutex(fairness);
      this.holdAfterQueuedNanos = holdAfterQueuedNanos;
    }

    private void critical() {
      if (inside) {
        violations++;
      }
      inside = true;
      count++;
      inside = false;
    }

    void holder() {
      mutex.lock();
      try {
        held = true;
        sawQueued = Pause.until(() -> mutex.getQueueLength() >= 1) ? 1 : 0;
        Pause.nanos(holdAfterQueuedNanos);
      } finally {
        mutex.unlock();
      }
    }

    void waiter() {
      Pause.until(() -> held);
      mutex.lock();
      try {
        critical();
        waiterDone = true; // before the unlock: a barger that gets the mutex after it sees this
      } finally {
        mutex.unlock();
      }
    }

    void barger() {
      Pause.until(() -> held && mutex.getQueueLength() >= 1);
      Pause.until(() -> !mutex.isLocked());
      if (mutex.tryLock()) {
        try {
          barged = waiterDone ? 1 : 2;
          critical();
        } finally {
          mutex.unlock();
        }
      }
    }

    void arbiter(IIII_Result r) {
      r.r1 = barged;
      r.r2 = count + 10 * violations;
      r.r3 = (mutex.isLocked() ? 1 : 0) + 10 * mutex.getQueueLength();
      r.r4 = sawQueued;
    }
  }

  /** FIFO: every unlock with a waiter is a direct hand-off. */
  @JCStressTest
  @Description("FIFO: a hand-off to a queued waiter racing a barging tryLock() and the unlock.")
  @Outcome(id = "0, 1, 0, .", expect = ACCEPTABLE, desc = "W got the mutex; B found it taken each time it looked.")
  @Outcome(id = "1, 2, 0, .", expect = ACCEPTABLE, desc = "W got the mutex; B got it after W.")
  @Outcome(id = "2, 2, 0, 0", expect = ACCEPTABLE_INTERESTING, desc = "B got it before W, which was not queued yet when H unlocked.")
  @Outcome(id = "2, 2, 0, 1", expect = FORBIDDEN, desc = "B overtook the queued W: the unlock freed the mutex instead of handing it off.")
  @Outcome(expect = FORBIDDEN, desc = "Two threads inside, a lost increment, or the mutex left locked or queued.")
  @State
  public static class Fifo extends Scene {
    public Fifo() {
      super(Fairness.FIFO, 0L);
    }

    @Actor
    public void holderActor() {
      holder();
    }

    @Actor
    public void waiterActor() {
      waiter();
    }

    @Actor
    public void bargerActor() {
      barger();
    }

    @Arbiter
    public void arbiterActor(IIII_Result r) {
      arbiter(r);
    }
  }

  /** BARGING: the unlock frees the mutex and wakes W, which competes with B. */
  @JCStressTest
  @Description("BARGING: a woken waiter racing a barging tryLock() and the unlock.")
  @Outcome(id = "0, 1, 0, .", expect = ACCEPTABLE, desc = "W got the mutex; B found it taken each time it looked.")
  @Outcome(id = "1, 2, 0, .", expect = ACCEPTABLE, desc = "W got the mutex; B got it after W.")
  @Outcome(id = "2, 2, 0, .", expect = ACCEPTABLE_INTERESTING, desc = "B barged in before W.")
  @Outcome(expect = FORBIDDEN, desc = "Two threads inside, a lost increment, or the mutex left locked or queued.")
  @State
  public static class Barging extends Scene {
    public Barging() {
      super(Fairness.BARGING, 0L);
    }

    @Actor
    public void holderActor() {
      holder();
    }

    @Actor
    public void waiterActor() {
      waiter();
    }

    @Actor
    public void bargerActor() {
      barger();
    }

    @Arbiter
    public void arbiterActor(IIII_Result r) {
      arbiter(r);
    }
  }

  /** BARGING with W past the fairness bound: the unlock takes the hand-off path. */
  @JCStressTest
  @Description("BARGING, W overdue: the eventual-fairness hand-off racing a barging tryLock() and the unlock.")
  @Outcome(id = "0, 1, 0, .", expect = ACCEPTABLE, desc = "W was handed the mutex; B found it taken each time it looked.")
  @Outcome(id = "1, 2, 0, .", expect = ACCEPTABLE, desc = "W got the mutex; B got it after W.")
  @Outcome(id = "2, 2, 0, .", expect = ACCEPTABLE_INTERESTING, desc = "B barged in before W: W was descheduled before it could ask for its hand-off.")
  @Outcome(expect = FORBIDDEN, desc = "Two threads inside, a lost increment, or the mutex left locked or queued.")
  @State
  public static class BargingOverdue extends Scene {
    public BargingOverdue() {
      super(Fairness.BARGING, PAST_THE_BOUND_NANOS);
    }

    @Actor
    public void holderActor() {
      holder();
    }

    @Actor
    public void waiterActor() {
      waiter();
    }

    @Actor
    public void bargerActor() {
      barger();
    }

    @Arbiter
    public void arbiterActor(IIII_Result r) {
      arbiter(r);
    }
  }
}
