package dev.syncprims.stress;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The twin of {@link UnsynchronizedCounter_LostUpdate}: the same {@code count += 1} from two
 * threads, each inside a {@code java.util.concurrent} lock. Mutual exclusion makes the three steps
 * of the increment one indivisible step as seen by the other thread, so a lost update is
 * forbidden.
 */
@JCStressTest
@Description("count += 1 under a lock never loses an update.")
@Outcome(id = "2", expect = ACCEPTABLE, desc = "Both increments took effect.")
@Outcome(id = "1", expect = FORBIDDEN, desc = "Lost update: the lock let both threads in at once.")
@Outcome(expect = FORBIDDEN, desc = "Two increments from 0 can end only at 2.")
@State
public class LockedCounter_NoLostUpdate {
  private final ReentrantLock lock = new ReentrantLock();
  @GuardedBy("lock")
  private int count;

  @Actor
  public void actor1() {
    increment();
  }

  @Actor
  public void actor2() {
    increment();
  }

  private void increment() {
    lock.lock();
    try {
      count += 1;
    } finally {
      lock.unlock();
    }
  }

  @Arbiter
  public void arbiter(I_Result r) {
    lock.lock();
    try {
      r.r1 = count;
    } finally {
      lock.unlock();
    }
  }
}
