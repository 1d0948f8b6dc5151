package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.CountingSemaphore;
import dev.syncprims.Fairness;
import dev.syncprims.impl.Primitives;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Two waiters and one release, on a counting semaphore with no permits: three actors, so jcstress
 * runs it only on machines with at least three CPUs.
 *
 * <p><b>A timeout racing the grant, with a second waiter behind.</b> W1 queues with a timed
 * {@code tryAcquire} whose timeout (5 to 50 microseconds, chosen per trial) runs out about when
 * the release comes; W2 queues behind it in {@code acquireUninterruptibly()}; R releases one
 * permit once both are queued. Whoever wins between W1's timeout and the release, the one permit
 * must end with a waiter: W1 (which then gives it back, so that W2 finishes) or W2. A permit that
 * a cancelling W1 swallowed, or that its cancellation failed to pass on to W2, leaves W2 queued
 * and the permit counted or lost; jcstress then reports a forbidden count, or the trial hangs.
 *
 * <p><b>One release of two permits serves both waiters</b>: the head that takes its permit passes
 * the wake-up on to the next (shared mode), so both finish and no permit is left.
 *
 * <p>Outcome: {@code r1}: W1 got the permit (1) or timed out (0), or -1 for the second scene;
 * {@code r2}: permits left plus 10 per thread still queued, after all three; {@code r3}: whether
 * the waiters were seen queued in order before the release.
 */
public final class SemaphoreRelease_TwoWaiters {
  private SemaphoreRelease_TwoWaiters() {}

  /** The timeout race of W1, W2 behind it, and R. */
  abstract static class TimeoutScene {
    final CountingSemaphore s;
    private final long timeoutNanos = ThreadLocalRandom.current().nextLong(5_000L, 50_001L);
    private volatile boolean w1Done;
    private int w1Got;
    private int inOrder;

    TimeoutScene(Fairness fairness) {
      s = Primitives.countingSemaphore(0, fairness);
    }

    void w1() {
      try {
        if (s.tryAcquire(1, timeoutNanos, TimeUnit.NANOSECONDS)) {
          w1Got = 1;
          s.release(); // give it back for W2
        }
      } catch (InterruptedException e) {
        w1Got = -100; // nothing interrupts: a forbidden outcome
      } finally {
        w1Done = true;
      }
    }

    void w2() {
      Pause.until(() -> s.getQueueLength() >= 1 || w1Done);
      s.acquireUninterruptibly();
    }

    void releaser() {
      inOrder = Pause.until(() -> s.getQueueLength() >= 2) ? 1 : 0;
      s.release();
    }

    void arbiter(III_Result r) {
      r.r1 = w1Got;
      r.r2 = s.availablePermits() + 10 * s.getQueueLength();
      r.r3 = inOrder;
    }
  }

  /** W1 and W2 in {@code acquireUninterruptibly()}, R releases two at once. */
  abstract static class ReleaseTwoScene {
    final CountingSemaphore s;
    private int inOrder;

    ReleaseTwoScene(Fairness fairness) {
      s = Primitives.countingSemaphore(0, fairness);
    }

    void w1() {
      s.acquireUninterruptibly();
    }

    void w2() {
      Pause.until(() -> s.getQueueLength() >= 1);
      s.acquireUninterruptibly();
    }

    void releaser() {
      inOrder = Pause.until(() -> s.getQueueLength() >= 2) ? 1 : 0;
      s.release(2);
    }

    void arbiter(III_Result r) {
      r.r1 = -1;
      r.r2 = s.availablePermits() + 10 * s.getQueueLength();
      r.r3 = inOrder;
    }
  }

  /** FIFO: the grant and the timeout decide under the queue lock; the permit is never lost. */
  @JCStressTest
  @Description("FIFO: a timed waiter timing out as a release comes, a second waiter behind it: the permit reaches one of them.")
  @Outcome(id = "1, 0, .", expect = ACCEPTABLE, desc = "W1 got the permit (and gave it back to W2).")
  @Outcome(id = "0, 0, .", expect = ACCEPTABLE, desc = "W1 timed out; W2 got the permit.")
  @Outcome(expect = FORBIDDEN, desc = "The permit lost, doubled, or left counted with W2 queued.")
  @State
  public static class TimeoutRacesGrantFifo extends TimeoutScene {
    public TimeoutRacesGrantFifo() {
      super(Fairness.FIFO);
    }

    @Actor
    public void w1Actor() {
      w1();
    }

    @Actor
    public void w2Actor() {
      w2();
    }

    @Actor
    public void releaserActor() {
      releaser();
    }

    @Arbiter
    public void arbiterActor(III_Result r) {
      arbiter(r);
    }
  }

  /** BARGING: the released permit is free for whoever is first; it still reaches a waiter. */
  @JCStressTest
  @Description("BARGING: a timed waiter timing out as a release comes, a second waiter behind it: the permit reaches one of them.")
  @Outcome(id = "1, 0, .", expect = ACCEPTABLE, desc = "W1 got the permit (and gave it back to W2).")
  @Outcome(id = "0, 0, .", expect = ACCEPTABLE, desc = "W1 timed out; W2 got the permit.")
  @Outcome(expect = FORBIDDEN, desc = "The permit lost, doubled, or left counted with W2 queued.")
  @State
  public static class TimeoutRacesGrantBarging extends TimeoutScene {
    public TimeoutRacesGrantBarging() {
      super(Fairness.BARGING);
    }

    @Actor
    public void w1Actor() {
      w1();
    }

    @Actor
    public void w2Actor() {
      w2();
    }

    @Actor
    public void releaserActor() {
      releaser();
    }

    @Arbiter
    public void arbiterActor(III_Result r) {
      arbiter(r);
    }
  }

  /** FIFO: release(2) grants both heads in order. */
  @JCStressTest
  @Description("FIFO: one release of two permits serves two queued waiters.")
  @Outcome(id = "-1, 0, .", expect = ACCEPTABLE, desc = "Both waiters got a permit.")
  @Outcome(expect = FORBIDDEN, desc = "A permit lost or left counted with a waiter queued.")
  @State
  public static class ReleaseOfTwoServesBothFifo extends ReleaseTwoScene {
    public ReleaseOfTwoServesBothFifo() {
      super(Fairness.FIFO);
    }

    @Actor
    public void w1Actor() {
      w1();
    }

    @Actor
    public void w2Actor() {
      w2();
    }

    @Actor
    public void releaserActor() {
      releaser();
    }

    @Arbiter
    public void arbiterActor(III_Result r) {
      arbiter(r);
    }
  }

  /** BARGING: the head that takes its permit wakes the next (shared mode). */
  @JCStressTest
  @Description("BARGING: one release of two permits serves two queued waiters.")
  @Outcome(id = "-1, 0, .", expect = ACCEPTABLE, desc = "Both waiters got a permit.")
  @Outcome(expect = FORBIDDEN, desc = "A permit lost or left counted with a waiter queued.")
  @State
  public static class ReleaseOfTwoServesBothBarging extends ReleaseTwoScene {
    public ReleaseOfTwoServesBothBarging() {
      super(Fairness.BARGING);
    }

    @Actor
    public void w1Actor() {
      w1();
    }

    @Actor
    public void w2Actor() {
      w2();
    }

    @Actor
    public void releaserActor() {
      releaser();
    }

    @Arbiter
    public void arbiterActor(III_Result r) {
      arbiter(r);
    }
  }
}
