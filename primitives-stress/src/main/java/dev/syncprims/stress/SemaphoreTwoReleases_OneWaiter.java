package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.BinarySemaphore;
import dev.syncprims.CountingSemaphore;
import dev.syncprims.Fairness;
import dev.syncprims.impl.Primitives;
import java.util.function.IntSupplier;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Two releases racing for one waiter, on a semaphore that holds at most one permit ({@code
 * binarySemaphore(false, f)} or {@code boundedSemaphore(0, 1, f)}): three actors, so jcstress runs
 * it only on machines with at least three CPUs.
 *
 * <p>The waiter calls {@code acquireUninterruptibly()}. Each releaser waits (at most {@link
 * Pause#MAX_WAIT_NANOS}) until the waiter is visibly queued, then releases. Under FIFO a release
 * hands the permit directly to the queued head, so the permit never becomes available while the
 * waiter is queued, and the second release finds it taken: neither release may be rejected.
 * Under BARGING the first release frees the permit and wakes the waiter, so the second one may
 * find it still free and be rejected; permits must add up either way. If the waiter was not seen
 * queued in time (a descheduled thread), the releases may come before it queues, and one of them
 * may be rejected under FIFO too.
 *
 * <p>Outcome: {@code r1}, {@code r2}: whether releaser 1 and 2 were rejected (1) or not (0);
 * {@code r3}: the permits left after all three (the waiter always finishes: at least one release
 * succeeds); {@code r4}: whether both releasers saw the waiter queued before releasing.
 */
public final class SemaphoreTwoReleases_OneWaiter {
  private SemaphoreTwoReleases_OneWaiter() {}

  /** The shared scene: one of the two one-permit semaphores, and the three actors. */
  abstract static class Scene {
    private final Runnable release;
    private final Runnable acquire;
    private final IntSupplier available;
    private final IntSupplier queueLength;
    private volatile boolean waiterSeenQueued;
    private int rejected1;
    private int rejected2;
    private int sawQueued1;
    private int sawQueued2;

    Scene(BinarySemaphore s) {
      release = s::release;
      acquire = s::acquireUninterruptibly;
      available = () -> s.isAvailable() ? 1 : 0;
      queueLength = s::getQueueLength;
    }

    Scene(CountingSemaphore s) {
      release = s::release;
      acquire = s::acquireUninterruptibly;
      available = s::availablePermits;
      queueLength = s::getQueueLength;
    }

    void waiter() {
      acquire.run();
    }

    /** Waits (bounded) until the waiter is queued, or was once; returns 1 if it was seen. */
    private int awaitWaiterQueued() {
      return Pause.until(() -> waiterSeenQueued || (waiterSeenQueued = queueLength.getAsInt() >= 1))
          ? 1
          : 0;
    }

    /** Releases; returns 1 if the release was rejected. */
    private int tryRelease() {
      try {
        release.run();
        return 0;
      } catch (IllegalStateException e) {
        return 1;
      }
    }

    void releaser1() {
      sawQueued1 = awaitWaiterQueued();
      rejected1 = tryRelease();
    }

    void releaser2() {
      sawQueued2 = awaitWaiterQueued();
      rejected2 = tryRelease();
    }

    void arbiter(IIII_Result r) {
      r.r1 = rejected1;
      r.r2 = rejected2;
      r.r3 = available.getAsInt() + 10 * queueLength.getAsInt();
      r.r4 = sawQueued1 & sawQueued2;
    }
  }

  /** FIFO, binary. */
  @JCStressTest
  @Description("FIFO: two releases racing for one queued waiter on a binary semaphore are both legal.")
  @Outcome(id = "0, 0, 1, .", expect = ACCEPTABLE, desc = "The first release handed the permit to the waiter; the second made it available.")
  @Outcome(id = "(1, 0|0, 1), 0, 1", expect = FORBIDDEN, desc = "A legal release was rejected: the first release made the permit available instead of handing it to the queued waiter.")
  @Outcome(id = "(1, 0|0, 1), 0, 0", expect = ACCEPTABLE_INTERESTING, desc = "The waiter was not seen queued in time: a release came first and the other was rightly rejected.")
  @Outcome(expect = FORBIDDEN, desc = "A permit lost or created, or a thread left queued.")
  @State
  public static class FifoBinary extends Scene {
    public FifoBinary() {
      super(Primitives.binarySemaphore(false, Fairness.FIFO));
    }

    @Actor
    public void waiterActor() {
      waiter();
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

  /** FIFO, bounded at one. */
  @JCStressTest
  @Description("FIFO: two releases racing for one queued waiter on boundedSemaphore(0, 1) are both legal.")
  @Outcome(id = "0, 0, 1, .", expect = ACCEPTABLE, desc = "The first release handed the permit to the waiter; the second made it available.")
  @Outcome(id = "(1, 0|0, 1), 0, 1", expect = FORBIDDEN, desc = "A legal release was rejected: the first release made the permit available instead of handing it to the queued waiter.")
  @Outcome(id = "(1, 0|0, 1), 0, 0", expect = ACCEPTABLE_INTERESTING, desc = "The waiter was not seen queued in time: a release came first and the other was rightly rejected.")
  @Outcome(expect = FORBIDDEN, desc = "A permit lost or created, or a thread left queued.")
  @State
  public static class FifoBounded extends Scene {
    public FifoBounded() {
      super(Primitives.boundedSemaphore(0, 1, Fairness.FIFO));
    }

    @Actor
    public void waiterActor() {
      waiter();
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

  /** BARGING, binary. */
  @JCStressTest
  @Description("BARGING: two releases racing for one waiter on a binary semaphore conserve the permit.")
  @Outcome(id = "0, 0, 1, .", expect = ACCEPTABLE, desc = "The waiter took the first permit before the second release.")
  @Outcome(id = "(1, 0|0, 1), 0, .", expect = ACCEPTABLE_INTERESTING, desc = "The second release found the first permit still free and was rejected; the waiter took it.")
  @Outcome(expect = FORBIDDEN, desc = "A permit lost or created, or a thread left queued.")
  @State
  public static class BargingBinary extends Scene {
    public BargingBinary() {
      super(Primitives.binarySemaphore(false, Fairness.BARGING));
    }

    @Actor
    public void waiterActor() {
      waiter();
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

  /** BARGING, bounded at one. */
  @JCStressTest
  @Description("BARGING: two releases racing for one waiter on boundedSemaphore(0, 1) conserve the permit.")
  @Outcome(id = "0, 0, 1, .", expect = ACCEPTABLE, desc = "The waiter took the first permit before the second release.")
  @Outcome(id = "(1, 0|0, 1), 0, .", expect = ACCEPTABLE_INTERESTING, desc = "The second release found the first permit still free and was rejected; the waiter took it.")
  @Outcome(expect = FORBIDDEN, desc = "A permit lost or created, or a thread left queued.")
  @State
  public static class BargingBounded extends Scene {
    public BargingBounded() {
      super(Primitives.boundedSemaphore(0, 1, Fairness.BARGING));
    }

    @Actor
    public void waiterActor() {
      waiter();
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
