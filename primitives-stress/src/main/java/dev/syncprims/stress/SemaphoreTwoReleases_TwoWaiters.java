package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.BinarySemaphore;
import dev.syncprims.Fairness;
import dev.syncprims.impl.Primitives;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Two releases racing for two queued waiters on a binary semaphore with no permit: four actors, so
 * jcstress runs it only on machines with at least four CPUs. The four-thread form of {@link
 * SemaphoreTwoReleases_OneWaiter}.
 *
 * <p>Both waiters queue ({@code tryAcquire} with a 50 ms timeout, only so that a trial whose
 * releases were rightly rejected cannot hang); both releasers wait (bounded) until both are
 * visibly queued, then release at once. Under FIFO each release hands its permit to the head in
 * turn, so the permit is never available while a waiter is queued, and neither release may be
 * rejected. Under BARGING the second release may find the first permit still free and be
 * rejected. Always: the permits add up (permits left = releases accepted - permits taken), and
 * nobody is left queued.
 *
 * <p>Outcome: {@code r1}: releases rejected; {@code r2}: permits the waiters got; {@code r3}:
 * permits left minus (releases accepted minus permits taken), plus 10 per thread still queued
 * (must be 0); {@code r4}: whether both releasers saw both waiters queued before releasing.
 */
public final class SemaphoreTwoReleases_TwoWaiters {
  private SemaphoreTwoReleases_TwoWaiters() {}

  /** How long a waiter waits: only a bound for trials where no permit can come. */
  static final long WAIT_MILLIS = 50;

  /** The shared scene. */
  abstract static class Scene {
    private final BinarySemaphore s;
    private volatile boolean bothSeenQueued;
    private int got1;
    private int got2;
    private int rejected1;
    private int rejected2;
    private int saw1;
    private int saw2;

    Scene(Fairness fairness) {
      s = Primitives.binarySemaphore(false, fairness);
    }

    private int waitForPermit() {
      try {
        return s.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS) ? 1 : 0;
      } catch (InterruptedException e) {
        return -100; // nothing interrupts: a forbidden outcome
      }
    }

    void waiter1() {
      got1 = waitForPermit();
    }

    void waiter2() {
      got2 = waitForPermit();
    }

    private int awaitBothQueued() {
      return Pause.until(() -> bothSeenQueued || (bothSeenQueued = s.getQueueLength() >= 2)) ? 1 : 0;
    }

    private int tryRelease() {
      try {
        s.release();
        return 0;
      } catch (IllegalStateException e) {
        return 1;
      }
    }

    void releaser1() {
      saw1 = awaitBothQueued();
      rejected1 = tryRelease();
    }

    void releaser2() {
      saw2 = awaitBothQueued();
      rejected2 = tryRelease();
    }

    void arbiter(IIII_Result r) {
      int rejected = rejected1 + rejected2;
      int got = got1 + got2;
      int left = s.isAvailable() ? 1 : 0;
      r.r1 = rejected;
      r.r2 = got;
      r.r3 = left - ((2 - rejected) - got) + 10 * s.getQueueLength();
      r.r4 = saw1 & saw2;
    }
  }

  /** FIFO: direct hand-off to each head in turn. */
  @JCStressTest
  @Description("FIFO: two releases racing for two queued waiters on a binary semaphore are both legal.")
  @Outcome(id = "0, 2, 0, .", expect = ACCEPTABLE, desc = "Each release handed the permit to a waiter.")
  @Outcome(id = "0, [01], 0, .", expect = ACCEPTABLE_INTERESTING, desc = "A waiter gave up after 50 ms (a descheduled releaser); the permit stayed counted.")
  @Outcome(id = "[12], ., 0, 1", expect = FORBIDDEN, desc = "A legal release was rejected: a release made the permit available instead of handing it to a queued waiter.")
  @Outcome(id = "[12], ., 0, 0", expect = ACCEPTABLE_INTERESTING, desc = "The waiters were not seen queued in time: a release came first and another was rightly rejected.")
  @Outcome(expect = FORBIDDEN, desc = "A permit lost or created, or a thread left queued.")
  @State
  public static class Fifo extends Scene {
    public Fifo() {
      super(Fairness.FIFO);
    }

    @Actor
    public void waiter1Actor() {
      waiter1();
    }

    @Actor
    public void waiter2Actor() {
      waiter2();
    }

    @Actor
    public void releaser1Actor() {
      releaser1();
    }

    @Actor
    public void releaser2Actor() {
      releaser2();
    }

    @Arbiter
    public void arbiterActor(IIII_Result r) {
      arbiter(r);
    }
  }

  /** BARGING: each release frees the permit and wakes the head. */
  @JCStressTest
  @Description("BARGING: two releases racing for two queued waiters on a binary semaphore conserve the permit.")
  @Outcome(id = "0, 2, 0, .", expect = ACCEPTABLE, desc = "Each waiter took a permit before the next release.")
  @Outcome(id = "[01], [012], 0, .", expect = ACCEPTABLE_INTERESTING, desc = "A release found the permit still free and was rejected, or a waiter gave up after 50 ms; the permits add up.")
  @Outcome(expect = FORBIDDEN, desc = "A permit lost or created, or a thread left queued.")
  @State
  public static class Barging extends Scene {
    public Barging() {
      super(Fairness.BARGING);
    }

    @Actor
    public void waiter1Actor() {
      waiter1();
    }

    @Actor
    public void waiter2Actor() {
      waiter2();
    }

    @Actor
    public void releaser1Actor() {
      releaser1();
    }

    @Actor
    public void releaser2Actor() {
      releaser2();
    }

    @Arbiter
    public void arbiterActor(IIII_Result r) {
      arbiter(r);
    }
  }
}
