package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.CountingSemaphore;
import dev.syncprims.Fairness;
import dev.syncprims.impl.Primitives;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * A termination test of the classic lost wake-up of semaphores: two releases race two untimed
 * acquires of a semaphore with no permits (BARGING). The acquires are made one after the other
 * by the same thread (jcstress gives a termination test one blocking thread), so the second
 * release may arrive while the first acquire is still being woken (its queue node SIGNALLED),
 * or just as the second acquire queues. Both acquires must return; a thread left asleep while a
 * permit is available is STALE.
 */
@JCStressTest(Mode.Termination)
@Description("Two releases racing two blocked acquires wake them both (no lost wake-up).")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "Both acquires took a released permit.")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "Lost wake-up: an acquire sleeps though a permit is free.")
@State
public class SemaphoreRelease_NoLostWakeup {
  private final CountingSemaphore s = Primitives.countingSemaphore(0, Fairness.BARGING);

  @Actor
  public void acquirer() {
    s.acquireUninterruptibly();
    s.acquireUninterruptibly();
  }

  @Signal
  public void releaser() {
    s.release();
    s.release();
  }
}
