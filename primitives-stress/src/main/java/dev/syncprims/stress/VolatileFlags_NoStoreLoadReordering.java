package dev.syncprims.stress;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The fixed twin of {@link PlainFlags_StoreLoadReordered}: the same two flags, volatile. Volatile
 * accesses are sequentially consistent in the Java memory model: all of them appear in one total
 * order that respects each thread's program order, so whichever flag is raised second, the read
 * after it sees the other one. The JIT enforces it with a fence (x86: a locked instruction)
 * between each volatile write and the following volatile read, so {@code (0, 0)} cannot happen.
 * This is the order the library's waiting core relies on where a thread publishes that it waits
 * and then re-checks the state (see {@code WaitQueue}'s notes).
 */
@JCStressTest
@Description("Dekker's flags on volatile fields: at least one thread sees the other's flag.")
@Outcome(id = {"0, 1", "1, 0", "1, 1"}, expect = ACCEPTABLE,
    desc = "At least one thread saw the other's flag.")
@Outcome(id = "0, 0", expect = FORBIDDEN,
    desc = "Both missed: volatile accesses would not be sequentially consistent.")
@State
public class VolatileFlags_NoStoreLoadReordering {
  private volatile int flag1;
  private volatile int flag2;

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
