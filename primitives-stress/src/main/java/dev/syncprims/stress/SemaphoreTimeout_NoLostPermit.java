package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.CountingSemaphore;
import dev.syncprims.Fairness;
import dev.syncprims.impl.Primitives;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A timed acquire with a very short timeout races a release on a FIFO semaphore with no permits,
 * so the timeout often elapses just as the release grants the permit to the queued waiter. The
 * grant and the cancellation decide under the queue lock: either the waiter got the permit
 * (returns true) or it left without it, and the permit is still in the count. Outcome: got,
 * permits left afterwards.
 */
@JCStressTest
@Description("A timed acquire timing out as a release grants it never swallows or doubles the permit.")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "The acquirer got the permit.")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "The acquirer timed out; the permit is still there.")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "Lost permit: timed out, yet the permit is gone.")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "Permit created: acquired, yet the permit is still there.")
@Outcome(expect = FORBIDDEN, desc = "Impossible count.")
@State
public class SemaphoreTimeout_NoLostPermit {
  private final CountingSemaphore s = Primitives.countingSemaphore(0, Fairness.FIFO);
  private int got;

  @Actor
  public void timedAcquirer() {
    try {
      got = s.tryAcquire(1, 20, TimeUnit.MICROSECONDS) ? 1 : 0;
    } catch (InterruptedException e) {
      got = -1; // nobody interrupts: a FORBIDDEN outcome
    }
  }

  @Actor
  public void releaser() {
    s.release();
  }

  @Arbiter
  public void arbiter(II_Result r) {
    r.r1 = got;
    r.r2 = s.availablePermits() + s.getQueueLength() * 100;
  }
}
