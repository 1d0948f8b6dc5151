package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.CountingSemaphore;
import dev.syncprims.Fairness;
import dev.syncprims.impl.Primitives;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The eventual-fairness hand-off of a BARGING semaphore racing the waiter's own attempts and a
 * barging {@code tryAcquire()}. A waiter queues on an empty semaphore and stays queued past the
 * fairness bound (about 1 ms), so that by then it has asked for a hand-off (it wakes by itself when
 * it becomes due, and spins re-trying) or is parked and due. Then the other thread releases one
 * permit and at once tries to take one back, as an arriving thread would. The release either hands
 * its permit to the waiter without ever adding it to the count, or, if the waiter has neither asked
 * nor is parked (it was descheduled), frees it for whoever is first; a permit taken back is
 * released again, and the waiter then gets it. Whatever the interleaving, the waiter took the one
 * permit in play: none may be left, and nobody may be left queued. A permit granted twice (handed
 * to the waiter and also counted) leaves one behind. Outcome: whether the releaser took the permit
 * back, then permits left plus 100 per thread still queued. (Two threads: jcstress runs no more
 * actors than the machine has processors, and CI machines have two.)
 */
@JCStressTest
@Description("A fairness hand-off racing a barger neither loses nor doubles the released permit.")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "The waiter was handed the permit, or took it first.")
@Outcome(
    id = "1, 0",
    expect = ACCEPTABLE_INTERESTING,
    desc = "The releaser took it back first (the waiter had not asked), released it; the waiter got it.")
@Outcome(id = "0, 1", expect = FORBIDDEN, desc = "A permit created: granted and counted.")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "A permit created: granted and counted.")
@Outcome(expect = FORBIDDEN, desc = "A permit lost, or a thread left queued.")
@State
public class SemaphoreHandOff_RacesBarger {
  /** Past the fairness bound of about 1 ms, with a margin. */
  private static final long PAST_THE_BOUND_NANOS = 1_300_000L;

  private final CountingSemaphore s = Primitives.countingSemaphore(0, Fairness.BARGING);
  private int barged;

  @Actor
  public void waiter() {
    s.acquireUninterruptibly();
  }

  @Actor
  public void releaserAndBarger() {
    Pause.until(() -> s.getQueueLength() == 1);
    Pause.nanos(PAST_THE_BOUND_NANOS);
    s.release();
    if (s.tryAcquire()) {
      barged = 1;
      s.release();
    }
  }

  @Arbiter
  public void arbiter(II_Result r) {
    r.r1 = barged;
    r.r2 = s.availablePermits() + s.getQueueLength() * 100;
  }
}
