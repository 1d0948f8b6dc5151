package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.DeadlockException;
import dev.syncprims.Mutex;
import dev.syncprims.impl.Primitives;
import java.util.concurrent.locks.Lock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Two threads closing one cycle at the same moment, with deadlock detection on: actor 1 locks A
 * then B, actor 2 locks B then A. When their first locks overlap, each waits for the other's:
 * exactly one of them must get {@link DeadlockException} (the one whose check comes second), give
 * up its first lock, and let the other finish. Never both (a cycle reported twice, or one that no
 * longer existed); never neither while the cycle stands: then both would wait for ever, and the
 * test would not terminate, which jcstress reports as an error.
 *
 * <p>Detection is a JVM-wide switch read once ({@code dev.syncprims.deadlockDetection}); this
 * class sets it before it creates a primitive, which works because jcstress runs each test in a
 * JVM of its own.
 *
 * <p>Outcome: {@code r1}, {@code r2}: whether actor 1 and 2 got the exception; {@code r3}: 1 if a
 * lock ended held or with threads queued.
 */
@JCStressTest
@Description("Two threads closing one deadlock cycle at once: exactly one DeadlockException")
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "no overlap: one actor ran before the other")
@Outcome(
    id = {"1, 0, 0", "0, 1, 0"},
    expect = ACCEPTABLE_INTERESTING,
    desc = "the cycle formed; exactly one actor was refused and the other finished")
@Outcome(id = "1, 1, 0", expect = FORBIDDEN, desc = "both refused: one cycle reported twice")
@Outcome(expect = FORBIDDEN, desc = "a lock left held or queued")
@State
public class Deadlock_TwoThreadsCloseOneCycle {
  static {
    System.setProperty("dev.syncprims.deadlockDetection", "true");
  }

  private final Mutex a = Primitives.mutex();
  private final Mutex b = Primitives.mutex();

  /** Locks {@code first}, then {@code second}; 1 if the second was refused as a deadlock. */
  static int lockBoth(Lock first, Lock second) {
    first.lock();
    try {
      second.lock();
      try {
        return 0;
      } finally {
        second.unlock();
      }
    } catch (DeadlockException e) {
      return 1;
    } finally {
      first.unlock();
    }
  }

  @Actor
  public void actor1(III_Result r) {
    r.r1 = lockBoth(a, b);
  }

  @Actor
  public void actor2(III_Result r) {
    r.r2 = lockBoth(b, a);
  }

  @Arbiter
  public void arbiter(III_Result r) {
    r.r3 = a.isLocked() || b.isLocked() || a.hasQueuedThreads() || b.hasQueuedThreads() ? 1 : 0;
  }
}
