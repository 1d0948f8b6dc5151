package dev.syncprims.stress;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * The four ways to acquire a {@link Lock}. A test that picks one at random for each actor of each
 * trial covers every pair of them with one test class (see {@link ExclusionTrial}).
 */
enum Acquire {
  /** {@link Lock#lock()}. */
  LOCK {
    @Override
    void acquire(Lock lock) {
      lock.lock();
    }
  },

  /** {@link Lock#lockInterruptibly()}; nothing interrupts a stress actor, so it never throws. */
  LOCK_INTERRUPTIBLY {
    @Override
    void acquire(Lock lock) {
      try {
        lock.lockInterruptibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("nothing interrupts this thread", e);
      }
    }
  },

  /** {@link Lock#tryLock()} in a loop: never queues, may barge in both fairness modes. */
  TRY_LOCK {
    @Override
    void acquire(Lock lock) {
      while (!lock.tryLock()) {
        Thread.onSpinWait();
      }
    }
  },

  /**
   * {@link Lock#tryLock(long, TimeUnit)} in a loop, with a timeout short enough that a long
   * critical section of the other actor makes it time out and queue again: the cancellation path.
   */
  TIMED_TRY_LOCK {
    @Override
    void acquire(Lock lock) {
      try {
        while (!lock.tryLock(TIMED_TRY_LOCK_NANOS, TimeUnit.NANOSECONDS)) {
          Thread.onSpinWait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("nothing interrupts this thread", e);
      }
    }
  };

  /** The timeout of one {@link #TIMED_TRY_LOCK} attempt: shorter than a long critical section. */
  static final long TIMED_TRY_LOCK_NANOS = 10_000L;

  private static final Acquire[] ALL = values();

  /** Acquires {@code lock} for the calling thread this way. */
  abstract void acquire(Lock lock);

  /** One of the four, uniformly at random. */
  static Acquire random() {
    return ALL[ThreadLocalRandom.current().nextInt(ALL.length)];
  }
}
