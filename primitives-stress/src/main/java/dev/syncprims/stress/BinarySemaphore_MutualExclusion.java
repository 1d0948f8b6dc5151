package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.BinarySemaphore;
import dev.syncprims.impl.Primitives;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A binary semaphore used as a mutex: two threads each take the permit, do {@code count += 1}
 * and observe whether another thread is inside, then release. If the semaphore ever let both in,
 * an increment could be lost or the occupancy check would see the other thread. Outcome: final
 * count, 1 if any thread saw another inside.
 */
@JCStressTest
@Description("A binary semaphore used as a mutex never lets two threads in.")
@Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "One at a time; both increments took effect.")
@Outcome(id = "1, .*", expect = FORBIDDEN, desc = "Lost update: both threads were inside at once.")
@Outcome(id = "2, 1", expect = FORBIDDEN, desc = "A thread found the other inside.")
@Outcome(expect = FORBIDDEN, desc = "Impossible.")
@State
public class BinarySemaphore_MutualExclusion {
  private final BinarySemaphore s = Primitives.binarySemaphore(true);
  private int count;
  private int inside;
  private int overlap;

  @Actor
  public void thread1() {
    critical();
  }

  @Actor
  public void thread2() {
    critical();
  }

  private void critical() {
    s.acquireUninterruptibly();
    if (++inside != 1) {
      overlap = 1;
    }
    count += 1;
    inside--;
    s.release();
  }

  @Arbiter
  public void arbiter(II_Result r) {
    r.r1 = count;
    r.r2 = overlap;
  }
}
