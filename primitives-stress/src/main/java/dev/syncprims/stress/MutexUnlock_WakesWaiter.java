package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.Fairness;
import dev.syncprims.Mutex;
import dev.syncprims.impl.Primitives;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * No lost wake-up: a thread blocked in {@code lock()} finishes after the holder unlocks, even when
 * a timed {@code tryLock} queued beside it times out at the very moment of the unlock.
 *
 * <p>Three threads: the holder H (the jcstress control thread, which creates the trial and so
 * locks the mutex, then unlocks it as the signal), the actor B, which calls {@code lock()}, and a
 * helper thread A started by the actor, which calls {@code tryLock(timeout)}. The trial chooses at
 * random which of A and B queues first, A's timeout, and an offset of the unlock from A's deadline
 * in [-10, +10] microseconds, so that the unlock lands just before, at, or just after A gives up.
 * What must never happen, whatever the interleaving:
 *
 * <ul>
 *   <li>B stays blocked (the outcome is STALE): the unlock woke or handed the mutex to A, and A's
 *       cancellation did not pass the wake-up on; or the unlock found A at the head, A cancelled
 *       before it was woken, and nobody woke B;
 *   <li>A or B acquires before H started to unlock (the actor then throws: ERROR).
 * </ul>
 *
 * <p>The timeouts are of two sizes: tens of microseconds, and just over a millisecond. Under
 * BARGING the second makes the head of the queue wait past the fairness bound (about 1 ms), so
 * the unlock takes the hand-off path instead of the free-and-signal path, and the hand-off races
 * A's timeout. Under FIFO every unlock with a waiter is a hand-off. B alone in the queue (A timed
 * out before the unlock, or before it queued) is the plain case: a waiter in {@code lock()}
 * finishes after {@code unlock()}.
 */
public final class MutexUnlock_WakesWaiter {
  private MutexUnlock_WakesWaiter() {}

  /** One trial; see the class comment. */
  static final class Trial {
    private final Mutex mutex;
    private final boolean timedFirst;
    private final long timeoutNanos;
    private final long unlockOffsetNanos;

    /** Set by the signal: A and B start only then, so that the unlock follows them closely. */
    private volatile boolean armed;
    private volatile boolean unlockStarted;
    private volatile boolean timedStarted;
    private volatile long timedDeadline;
    private volatile boolean timedDone;
    private volatile @Nullable String failure;

    /** Runs in the jcstress control thread, which also runs the signal: H. */
    Trial(Fairness fairness) {
      mutex = Primitives.mutex(fairness);
      mutex.lock();
      ThreadLocalRandom random = ThreadLocalRandom.current();
      timedFirst = random.nextBoolean();
      timeoutNanos =
          random.nextBoolean()
              ? random.nextLong(5_000L, 50_000L)
              : random.nextLong(1_050_000L, 1_200_000L);
      unlockOffsetNanos = random.nextLong(-10_000L, 10_001L);
    }

    /** B: starts A, calls {@code lock()}, unlocks, and waits for A. */
    void waiter() {
      Thread timed = new Thread(this::timedWaiter, "timed-waiter");
      timed.start();
      Pause.until(() -> armed);
      if (timedFirst) {
        Pause.until(() -> mutex.getQueueLength() >= 1 || timedDone);
      }
      mutex.lock();
      try {
        if (!unlockStarted) {
          fail("lock() returned while the holder still held the mutex");
        }
      } finally {
        mutex.unlock();
      }
      Pause.joinUninterruptibly(timed);
      String f = failure;
      if (f != null) {
        throw new IllegalStateException(f);
      }
    }

    /** A: {@code tryLock(timeout)}, and unlock if it was granted. */
    private void timedWaiter() {
      try {
        Pause.until(() -> armed);
        if (!timedFirst) {
          Pause.until(() -> mutex.getQueueLength() >= 1);
        }
        timedDeadline = System.nanoTime() + timeoutNanos;
        timedStarted = true;
        if (mutex.tryLock(timeoutNanos, TimeUnit.NANOSECONDS)) {
          if (!unlockStarted) {
            fail("tryLock(timeout) acquired while the holder still held the mutex");
          }
          mutex.unlock();
        }
      } catch (InterruptedException e) {
        fail("nothing interrupts the timed waiter, yet tryLock threw " + e);
      } finally {
        timedDone = true;
      }
    }

    /** H: waits until A and B are queued (or A gave up), then unlocks near A's deadline. */
    void unlock() {
      armed = true;
      Pause.until(
          () ->
              timedStarted
                  && (mutex.getQueueLength() >= 2 || (timedDone && mutex.getQueueLength() >= 1)));
      if (timedStarted) {
        Pause.untilNanoTime(timedDeadline + unlockOffsetNanos);
      }
      unlockStarted = true;
      mutex.unlock();
    }

    private void fail(String message) {
      failure = message + " (" + mutex + ")";
    }
  }

  /** Under {@link Fairness#BARGING}: the free-and-signal path and, past 1 ms, the hand-off. */
  @JCStressTest(Mode.Termination)
  @Description("A thread blocked in lock() on a BARGING Mutex finishes after unlock(), even when a"
      + " timed tryLock queued beside it times out at the moment of the unlock.")
  @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The waiter in lock() was woken.")
  @Outcome(id = "STALE", expect = FORBIDDEN,
      desc = "Lost wake-up: the waiter in lock() stayed blocked after the unlock.")
  @Outcome(id = "ERROR", expect = FORBIDDEN,
      desc = "The actor threw: a waiter acquired the mutex before its holder unlocked it,"
          + " or a lock method failed.")
  @Outcome(expect = FORBIDDEN, desc = "Only TERMINATED is correct.")
  @State
  public static class Barging {
    private final Trial trial = new Trial(Fairness.BARGING);

    @Actor
    public void waiter() {
      trial.waiter();
    }

    @Signal
    public void unlock() {
      trial.unlock();
    }
  }

  /** Under {@link Fairness#FIFO}: every unlock with a waiter is a direct hand-off. */
  @JCStressTest(Mode.Termination)
  @Description("A thread blocked in lock() on a FIFO Mutex finishes after unlock(), even when a"
      + " timed tryLock queued beside it times out at the moment of the unlock.")
  @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The waiter in lock() was woken.")
  @Outcome(id = "STALE", expect = FORBIDDEN,
      desc = "Lost wake-up: the waiter in lock() stayed blocked after the unlock.")
  @Outcome(id = "ERROR", expect = FORBIDDEN,
      desc = "The actor threw: a waiter acquired the mutex before its holder unlocked it,"
          + " or a lock method failed.")
  @Outcome(expect = FORBIDDEN, desc = "Only TERMINATED is correct.")
  @State
  public static class Fifo {
    private final Trial trial = new Trial(Fairness.FIFO);

    @Actor
    public void waiter() {
      trial.waiter();
    }

    @Signal
    public void unlock() {
      trial.unlock();
    }
  }
}
