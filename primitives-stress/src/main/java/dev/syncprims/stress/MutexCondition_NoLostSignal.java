package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.syncprims.Fairness;
import dev.syncprims.ReentrantMutex;
import dev.syncprims.impl.Primitives;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.jspecify.annotations.Nullable;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * No lost signal: a thread that waits on a condition of a mutex for a flag finishes after another
 * thread sets the flag and signals.
 *
 * <p>The actor locks, and while the flag is false awaits the condition (Mesa semantics: a signal
 * only makes the waiter compete for the mutex again, so it loops on the flag); the signal locks,
 * sets the flag, signals and unlocks. The actor starts after a random delay of up to 1.5 ms, so the
 * signal lands before the waiter locks, while it is registering its wait, while it is parked, or
 * while it is releasing the mutex inside {@code await} (the signaller then queues for the mutex and
 * is woken or handed it). Chosen at random per trial:
 *
 * <ul>
 *   <li>the mutex: a {@link dev.syncprims.Mutex}, or a {@link ReentrantMutex} held twice across the
 *       wait (await frees every hold and must restore the count of 2);
 *   <li>the wait: {@code await()}, {@code awaitUninterruptibly()}, {@code await(1, HOURS)} (which
 *       must not time out), or {@code awaitNanos} with a timeout of a few microseconds in a loop,
 *       which races the timeout against the signal (a waiter whose timeout loses to the signal
 *       counts as signalled);
 *   <li>{@code signal()} or {@code signalAll()}.
 * </ul>
 *
 * The actor checks that it holds the mutex (with the right hold count) after each wait and that
 * the long timed wait did not time out; a failed check throws (ERROR).
 */
public final class MutexCondition_NoLostSignal {
  private MutexCondition_NoLostSignal() {}

  private static final long MAX_DELAY_NANOS = 1_500_000L;

  /** How the actor waits. */
  private enum Wait {
    AWAIT,
    AWAIT_UNINTERRUPTIBLY,
    AWAIT_LONG_TIMEOUT,
    AWAIT_NANOS_SHORT
  }

  /** One trial; see the class comment. */
  static final class Trial {
    private final Lock lock;
    private final @Nullable ReentrantMutex reentrant;
    private final Condition condition;
    private final Wait wait;
    private final boolean signalAll;
    private final long delayNanos;

    @GuardedBy("lock")
    private boolean flag;

    Trial(Fairness fairness) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      if (random.nextBoolean()) {
        ReentrantMutex m = Primitives.reentrantMutex(fairness);
        lock = m;
        reentrant = m;
      } else {
        lock = Primitives.mutex(fairness);
        reentrant = null;
      }
      condition = lock.newCondition();
      Wait[] waits = Wait.values();
      wait = waits[random.nextInt(waits.length)];
      signalAll = random.nextBoolean();
      delayNanos = random.nextLong(MAX_DELAY_NANOS);
    }

    void waiter() {
      Pause.nanos(delayNanos);
      ReentrantMutex r = reentrant;
      lock.lock();
      try {
        if (r == null) {
          awaitFlag(null);
        } else {
          lock.lock();
          try {
            awaitFlag(r);
          } finally {
            lock.unlock();
          }
        }
      } finally {
        lock.unlock();
      }
    }

    /** The Mesa loop: wait until the flag is set; a reentrant mutex is held twice throughout. */
    @GuardedBy("lock")
    private void awaitFlag(@Nullable ReentrantMutex r) {
      try {
        while (!flag) {
          switch (wait) {
            case AWAIT -> condition.await();
            case AWAIT_UNINTERRUPTIBLY -> condition.awaitUninterruptibly();
            case AWAIT_LONG_TIMEOUT -> {
              if (!condition.await(1, TimeUnit.HOURS)) {
                throw fail("await(1, HOURS) timed out");
              }
            }
            case AWAIT_NANOS_SHORT ->
                condition.awaitNanos(ThreadLocalRandom.current().nextLong(1_000L, 20_000L));
          }
          if (r != null && r.getHoldCount() != 2) {
            throw fail("await returned with hold count " + r.getHoldCount() + ", not 2");
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw fail("nothing interrupts the waiter, yet await threw " + e);
      }
    }

    void signal() {
      lock.lock();
      try {
        flag = true;
        if (signalAll) {
          condition.signalAll();
        } else {
          condition.signal();
        }
      } finally {
        lock.unlock();
      }
    }

    private IllegalStateException fail(String message) {
      return new IllegalStateException(message + " (" + lock + ")");
    }
  }

  /** Under {@link Fairness#BARGING}. */
  @JCStressTest(Mode.Termination)
  @Description("A waiter on a condition of a BARGING mutex, looping on a flag, finishes after"
      + " another thread sets the flag and signals.")
  @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The waiter saw the flag and returned.")
  @Outcome(id = "STALE", expect = FORBIDDEN,
      desc = "Lost signal: the waiter stayed blocked after the flag was set and signalled.")
  @Outcome(id = "ERROR", expect = FORBIDDEN,
      desc = "The actor threw: a wait timed out that should not have, or the hold count was not"
          + " restored.")
  @Outcome(expect = FORBIDDEN, desc = "Only TERMINATED is correct.")
  @State
  public static class Barging {
    private final Trial trial = new Trial(Fairness.BARGING);

    @Actor
    public void waiter() {
      trial.waiter();
    }

    @Signal
    public void signal() {
      trial.signal();
    }
  }

  /** Under {@link Fairness#FIFO}. */
  @JCStressTest(Mode.Termination)
  @Description("A waiter on a condition of a FIFO mutex, looping on a flag, finishes after"
      + " another thread sets the flag and signals.")
  @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The waiter saw the flag and returned.")
  @Outcome(id = "STALE", expect = FORBIDDEN,
      desc = "Lost signal: the waiter stayed blocked after the flag was set and signalled.")
  @Outcome(id = "ERROR", expect = FORBIDDEN,
      desc = "The actor threw: a wait timed out that should not have, or the hold count was not"
          + " restored.")
  @Outcome(expect = FORBIDDEN, desc = "Only TERMINATED is correct.")
  @State
  public static class Fifo {
    private final Trial trial = new Trial(Fairness.FIFO);

    @Actor
    public void waiter() {
      trial.waiter();
    }

    @Signal
    public void signal() {
      trial.signal();
    }
  }
}
