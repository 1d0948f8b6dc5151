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
 * Mutual exclusion and exact hold counts of {@link dev.syncprims.ReentrantMutex}, one test class
 * per fairness mode. In each trial each actor takes the mutex with an acquire method chosen at
 * random, locks it again with another (re-locking by the holder, which never waits), checks that
 * its hold count goes 1, 2, 1, 0 as it locks twice and unlocks twice, and runs the critical
 * section at hold count 2. The arbiter checks that the mutex is free and unqueued at the end. See
 * {@link ExclusionTrial} for the critical section and what the outcomes mean.
 */
public final class ReentrantMutex_MutualExclusion {
  private ReentrantMutex_MutualExclusion() {}

  /** Under {@link Fairness#BARGING}. */
  @JCStressTest
  @Description("Two threads never hold a BARGING ReentrantMutex at once;"
      + " each locks twice and sees exact hold counts.")
  @Outcome(id = "2, 2", expect = ACCEPTABLE,
      desc = "The critical sections ran one after the other.")
  @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "Lost update: both actors were inside at once.")
  @Outcome(id = "2, 1", expect = FORBIDDEN,
      desc = "Overlap: one actor's write of y landed after the other's whole critical section.")
  @Outcome(id = "2, -1", expect = FORBIDDEN,
      desc = "After both unlocked, the mutex was still held or a thread was still queued,"
          + " or a hold count an actor saw was wrong.")
  @Outcome(expect = FORBIDDEN, desc = "Two exclusive increments from 0 can only end at (2, 2).")
  @State
  public static class Barging {
    private final ExclusionTrial trial =
        new ExclusionTrial(Primitives.reentrantMutex(Fairness.BARGING));

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
  @Description("Two threads never hold a FIFO ReentrantMutex at once;"
      + " each locks twice and sees exact hold counts.")
  @Outcome(id = "2, 2", expect = ACCEPTABLE,
      desc = "The critical sections ran one after the other.")
  @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "Lost update: both actors were inside at once.")
  @Outcome(id = "2, 1", expect = FORBIDDEN,
      desc = "Overlap: one actor's write of y landed after the other's whole critical section.")
  @Outcome(id = "2, -1", expect = FORBIDDEN,
      desc = "After both unlocked, the mutex was still held or a thread was still queued,"
          + " or a hold count an actor saw was wrong.")
  @Outcome(expect = FORBIDDEN, desc = "Two exclusive increments from 0 can only end at (2, 2).")
  @State
  public static class Fifo {
    private final ExclusionTrial trial =
        new ExclusionTrial(Primitives.reentrantMutex(Fairness.FIFO));

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
