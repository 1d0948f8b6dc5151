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
 * The FIFO, multi-permit form of {@link SemaphoreRelease_NoLostWakeup}: acquire(2) then
 * acquire(1) race release(1) then release(2) on a FIFO semaphore with no permits. The releases
 * go through the in-order granting, which leaves a single permit counted while the head waits
 * for two; three permits are released and three are asked for, so both acquires must return.
 */
@JCStressTest(Mode.Termination)
@Description("FIFO: release(1), release(2) racing acquire(2), acquire(1) serve both (no lost wake-up).")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "Both acquires were served.")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "Lost wake-up: an acquire sleeps though enough permits are free.")
@State
public class SemaphoreReleaseFifo_NoLostWakeup {
  private final CountingSemaphore s = Primitives.countingSemaphore(0, Fairness.FIFO);

  @Actor
  public void acquirer() {
    s.acquireUninterruptibly(2);
    s.acquireUninterruptibly(1);
  }

  @Signal
  public void releaser() {
    s.release(1);
    s.release(2);
  }
}
