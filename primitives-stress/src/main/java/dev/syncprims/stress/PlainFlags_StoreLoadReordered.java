package dev.syncprims.stress;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

/**
 * Reordering on real cores: the first half of Dekker's mutual exclusion, on plain fields. Each
 * thread raises its own flag, then reads the other's. In any interleaving of the four statements
 * at least one thread reads the other's flag as raised, so {@code (0, 0)} looks impossible; but
 * under the Java memory model plain accesses may be reordered, and on x86 and ARM they are: each
 * core's store waits in its store buffer while the following load goes ahead, so both threads
 * read 0. Two threads that used these flags to decide who enters a critical section would both
 * enter. The twin {@link VolatileFlags_NoStoreLoadReordering} makes the flags volatile, and
 * {@code (0, 0)} becomes forbidden.
 *
 * <p>Guide: chapter 7, "Visibility and ordering".
 */
@JCStressTest
@Description("Dekker's flags on plain fields: both threads may miss the other's flag.")
@Outcome(id = {"0, 1", "1, 0", "1, 1"}, expect = ACCEPTABLE,
    desc = "At least one thread saw the other's flag, as in some interleaving of the statements.")
@Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING,
    desc = "Both missed: each read went ahead of its own thread's earlier write (store buffer).")
@State
public class PlainFlags_StoreLoadReordered {
  private int flag1;
  private int flag2;

  @Actor
  public void thread1(II_Result r) {
    flag1 = 1;
    r.r1 = flag2;
  }

  @Actor
  public void thread2(II_Result r) {
    flag2 = 1;
    r.r2 = flag1;
  }
}
