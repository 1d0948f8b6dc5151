package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.Fairness;
import dev.syncprims.Monitor;
import dev.syncprims.Mutex;
import dev.syncprims.ReentrantMutex;
import dev.syncprims.impl.Primitives;
import dev.syncprims.impl.QueuedMonitor;
import java.util.concurrent.locks.Lock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Three threads closing one ring at the same moment, across a mutex, a reentrant mutex and a
 * monitor, with deadlock detection on: actor i locks primitive i, then primitive i+1 (mod 3).
 * When all three first locks overlap, the ring is a deadlock: exactly one actor must get {@link
 * dev.syncprims.DeadlockException}; when only two overlap, there is no cycle and nobody may. Never
 * two or three (a cycle reported twice); never none while the ring stands (the test would not
 * terminate). Three actors: jcstress runs it only on machines with at least three CPUs.
 *
 * <p>Outcome: {@code r1}-{@code r3}: whether each actor got the exception; {@code r4}: 1 if a
 * primitive ended held or with threads queued.
 */
@JCStressTest
@Description("Three threads closing one deadlock ring at once: at most one DeadlockException")
@Outcome(id = "0, 0, 0, 0", expect = ACCEPTABLE, desc = "no ring formed")
@Outcome(
    id = {"1, 0, 0, 0", "0, 1, 0, 0", "0, 0, 1, 0"},
    expect = ACCEPTABLE_INTERESTING,
    desc = "the ring formed; exactly one actor was refused")
@Outcome(expect = FORBIDDEN, desc = "more than one refusal, or a primitive left held or queued")
@State
public class Deadlock_ThreeThreadsCloseOneRing {
  static {
    System.setProperty("dev.syncprims.deadlockDetection", "true");
  }

  private final Mutex m = Primitives.mutex();
  private final ReentrantMutex r = Primitives.reentrantMutex(Fairness.FIFO);
  private final Monitor c = Primitives.hoareMonitor();
  private final Lock[] ring = {m, r, (Lock) c};

  private int lockBoth(int i) {
    return Deadlock_TwoThreadsCloseOneCycle.lockBoth(ring[i], ring[(i + 1) % 3]);
  }

  @Actor
  public void actor1(IIII_Result res) {
    res.r1 = lockBoth(0);
  }

  @Actor
  public void actor2(IIII_Result res) {
    res.r2 = lockBoth(1);
  }

  @Actor
  public void actor3(IIII_Result res) {
    res.r3 = lockBoth(2);
  }

  @Arbiter
  public void arbiter(IIII_Result res) {
    boolean busy = m.isLocked() || r.isLocked() || c.isOccupied();
    boolean queued = m.hasQueuedThreads() || r.hasQueuedThreads() || ((QueuedMonitor) c).hasQueuedThreads();
    res.r4 = busy || queued ? 1 : 0;
  }
}
