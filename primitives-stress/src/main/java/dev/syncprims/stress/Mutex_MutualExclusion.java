package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

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
 * Mutual exclusion of {@link dev.syncprims.Mutex}, one test class per fairness mode (the BARGING
 * and FIFO release paths are different code). In each trial the two actors take the mutex with
 * an acquire method chosen at random ({@code lock}, {@code lockInterruptibly}, a {@code tryLock}
 * loop, a timed {@code tryLock} loop), so every pair of methods is covered by one class; see
 * {@link ExclusionTrial} for the critical section and what the outcomes mean.
 */
public final class Mutex_MutualExclusion {
  private Mutex_MutualExclusion() {}

  /** Under {@link Fairness#BARGING}. */
  @JCStressTest
  @Description("Two threads never hold a BARGING Mutex at once, whatever acquire methods they use.")
  @Outcome(id = "2, 2", expect = ACCEPTABLE,
      desc = "The critical sections ran one after the other.")
  @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "Lost update: both actors were inside at once.")
  @Outcome(id = "2, 1", expect = FORBIDDEN,
      desc = "Overlap: one actor's write of y landed after the other's whole critical section.")
  @Outcome(id = "2, -1", expect = FORBIDDEN,
      desc = "After both unlocked, the mutex was still held or a thread was still queued.")
  @Outcome(expect = FORBIDDEN, desc = "Two exclusive increments from 0 can only end at (2, 2).")
  @State
  public static class Barging {
    private final ExclusionTrial trial = new ExclusionTrial(Primitives.mutex(Fairness.BARGING));

    @Actor
    public void actor1() {
      trial.actor1();
    }

    @Actor
    public void actor2() {
      trial.actor2();
    }

    @Arbiter
    public void arbiter(II_Result r) {
      trial.arbiter(r);
    }
  }

  /** Under {@link Fairness#FIFO}. */
  @JCStressTest
  @Description("Two threads never hold a FIFO Mutex at once, whatever acquire methods they use.")
  @Outcome(id = "2, 2", expect = ACCEPTABLE,
      desc = "The critical sections ran one after the other.")
  @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "Lost update: both actors were inside at once.")
  @Outcome(id = "2, 1", expect = FORBIDDEN,
      desc = "Overlap: one actor's write of y landed after the other's whole critical section.")
  @Outcome(id = "2, -1", expect = FORBIDDEN,
      desc = "After both unlocked, the mutex was still held or a thread was still queued.")
  @Outcome(expect = FORBIDDEN, desc = "Two exclusive increments from 0 can only end at (2, 2).")
  @State
  public static class Fifo {
    private final ExclusionTrial trial = new ExclusionTrial(Primitives.mutex(Fairness.FIFO));

    @Actor
    public void actor1() {
      trial.actor1();
    }

    @Actor
    public void actor2() {
      trial.actor2();
    }

    @Arbiter
    public void arbiter(II_Result r) {
      trial.arbiter(r);
    }
  }
}
