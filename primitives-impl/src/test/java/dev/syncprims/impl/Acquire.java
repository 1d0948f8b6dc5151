package dev.syncprims.impl;

import dev.syncprims.Held;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Every way of taking an owned lock that the contract offers, so that a test can be run once per
 * method. Each one returns what gives back exactly the hold it took.
 */
enum Acquire {
  LOCK(true, false, true),
  LOCK_INTERRUPTIBLY(true, true, true),
  LOCKED(true, false, true),
  TRY_LOCK(false, false, false),
  TRY_LOCK_ZERO(false, true, true),
  TRY_LOCK_NEGATIVE(false, true, true),
  TRY_LOCK_MIN_VALUE(false, true, true),
  TRY_LOCK_ONE_HOUR(true, true, true),
  TRY_LOCK_MAX_VALUE_NANOS(true, true, true),
  TRY_LOCK_MAX_VALUE_DAYS(true, true, true);

  /** Whether the method waits for a held lock (as opposed to failing at once). */
  final boolean waits;
  /** Whether the method checks the interrupted status (throws InterruptedException). */
  final boolean interruptible;
  /** Whether the holder of a {@link dev.syncprims.Mutex} gets IllegalStateException from it. */
  final boolean detectsSelfDeadlock;

  Acquire(boolean waits, boolean interruptible, boolean detectsSelfDeadlock) {
    this.waits = waits;
    this.interruptible = interruptible;
    this.detectsSelfDeadlock = detectsSelfDeadlock;
  }

  /**
   * Takes the lock with this method; returns the release, or null if the method returned
   * {@code false}.
   */
  @Nullable Release acquire(LockUnderTest lock) throws InterruptedException {
    return switch (this) {
      case LOCK -> {
        lock.lock();
        yield lock::unlock;
      }
      case LOCK_INTERRUPTIBLY -> {
        lock.lockInterruptibly();
        yield lock::unlock;
      }
      case LOCKED -> {
        Held held = lock.locked();
        yield held::close;
      }
      case TRY_LOCK -> lock.tryLock() ? lock::unlock : null;
      case TRY_LOCK_ZERO -> lock.tryLock(0, TimeUnit.NANOSECONDS) ? lock::unlock : null;
      case TRY_LOCK_NEGATIVE -> lock.tryLock(-1, TimeUnit.SECONDS) ? lock::unlock : null;
      case TRY_LOCK_MIN_VALUE ->
          lock.tryLock(Long.MIN_VALUE, TimeUnit.NANOSECONDS) ? lock::unlock : null;
      case TRY_LOCK_ONE_HOUR -> lock.tryLock(1, TimeUnit.HOURS) ? lock::unlock : null;
      case TRY_LOCK_MAX_VALUE_NANOS ->
          lock.tryLock(Long.MAX_VALUE, TimeUnit.NANOSECONDS) ? lock::unlock : null;
      case TRY_LOCK_MAX_VALUE_DAYS ->
          lock.tryLock(Long.MAX_VALUE, TimeUnit.DAYS) ? lock::unlock : null;
    };
  }

  /** Gives back one hold. */
  @FunctionalInterface
  interface Release {
    void release();
  }
}
