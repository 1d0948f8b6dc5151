package dev.syncprims.stress;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The motivating race: two threads run {@code count += 1} on a plain field. The statement is three
 * steps (read, add, write); when both threads read before either writes, one update is lost and
 * the final count is 1. The twin {@link LockedCounter_NoLostUpdate} shows that a lock makes that
 * outcome impossible, so the harness is seen to tell the two apart.
 */
@JCStressTest
@Description("count += 1 from two threads without synchronization can lose an update.")
@Outcome(id = "2", expect = ACCEPTABLE, desc = "Both increments took effect.")
@Outcome(id = "1", expect = ACCEPTABLE_INTERESTING,
    desc = "Lost update: both threads read 0 before either wrote 1.")
@Outcome(expect = FORBIDDEN, desc = "Two increments from 0 can end only at 1 or 2.")
@State
public class UnsynchronizedCounter_LostUpdate {
  private int count;

  @Actor
  public void actor1() {
    count += 1;
  }

  @Actor
  public void actor2() {
    count += 1;
  }

  @Arbiter
  public void arbiter(I_Result r) {
    r.r1 = count;
  }
}
