package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.CountingSemaphore;
import dev.syncprims.impl.Primitives;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * On a full bounded semaphore (2 of max 2), a release(2) races a tryAcquire(2). The release is
 * legal only after the acquire; before it, it must be rejected with nothing changed. The bound
 * (2) and conservation (final = 2 - taken + released) must hold in every interleaving. Outcome:
 * released, acquired, permits afterwards.
 */
@JCStressTest
@Description("An over-release racing an acquire on a bounded semaphore keeps the bound.")
@Outcome(id = "1, 1, 2", expect = ACCEPTABLE, desc = "Acquire first, then the release was legal.")
@Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "Release first: rejected (full); then the acquire.")
@Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "A release past the bound was accepted.")
@Outcome(id = ".*, .*, 4", expect = FORBIDDEN, desc = "The bound was exceeded.")
@Outcome(expect = FORBIDDEN, desc = "Permits were created or destroyed.")
@State
public class BoundedSemaphore_KeepsBound {
  private final CountingSemaphore s = Primitives.boundedSemaphore(2, 2);
  private int released;
  private int acquired;

  @Actor
  public void overReleaser() {
    try {
      s.release(2);
      released = 1;
    } catch (IllegalStateException e) {
      released = 0;
    }
  }

  @Actor
  public void acquirer() {
    acquired = s.tryAcquire(2) ? 1 : 0;
  }

  @Arbiter
  public void arbiter(III_Result r) {
    r.r1 = released;
    r.r2 = acquired;
    r.r3 = s.availablePermits();
  }
}
