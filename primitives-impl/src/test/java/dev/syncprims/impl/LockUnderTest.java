package dev.syncprims.impl;

import dev.syncprims.Fairness;
import dev.syncprims.Held;
import dev.syncprims.Mutex;
import dev.syncprims.ReentrantMutex;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.provider.Arguments;

/**
 * A {@link Mutex} or a {@link ReentrantMutex}, seen through the methods the two interfaces share,
 * so that one test covers the behaviour both must have. Created through {@link Primitives}, as
 * users create them.
 */
final class LockUnderTest implements Lock {

  /** Which of the two owned locks. */
  enum Kind {
    MUTEX,
    REENTRANT_MUTEX;

    LockUnderTest create(Fairness fairness) {
      return this == MUTEX
          ? new LockUnderTest(Primitives.mutex(fairness), null)
          : new LockUnderTest(null, Primitives.reentrantMutex(fairness));
    }
  }

  /** Every kind in every fairness mode: the arguments of a parameterised test. */
  static Stream<Arguments> kindsAndFairness() {
    return Stream.of(Kind.values())
        .flatMap(k -> Stream.of(Fairness.values()).map(f -> Arguments.of(k, f)));
  }

  private final @Nullable Mutex mutex;
  private final @Nullable ReentrantMutex reentrant;
  private final Lock lock;

  private LockUnderTest(@Nullable Mutex mutex, @Nullable ReentrantMutex reentrant) {
    this.mutex = mutex;
    this.reentrant = reentrant;
    this.lock = mutex != null ? mutex : Objects.requireNonNull(reentrant);
  }

  /** The object under test, for identity checks and messages. */
  Lock target() {
    return lock;
  }

  boolean isReentrant() {
    return reentrant != null;
  }

  @Override
  public void lock() {
    lock.lock();
  }

  @Override
  public void lockInterruptibly() throws InterruptedException {
    lock.lockInterruptibly();
  }

  @Override
  public boolean tryLock() {
    return lock.tryLock();
  }

  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    return lock.tryLock(time, unit);
  }

  @Override
  public void unlock() {
    lock.unlock();
  }

  @Override
  public Condition newCondition() {
    return lock.newCondition();
  }

  Held locked() {
    return mutex != null ? mutex.locked() : reentrant().locked();
  }

  boolean isLocked() {
    return mutex != null ? mutex.isLocked() : reentrant().isLocked();
  }

  boolean isHeldByCurrentThread() {
    return mutex != null ? mutex.isHeldByCurrentThread() : reentrant().isHeldByCurrentThread();
  }

  @Nullable Thread owner() {
    return mutex != null ? mutex.owner() : reentrant().owner();
  }

  boolean hasQueuedThreads() {
    return mutex != null ? mutex.hasQueuedThreads() : reentrant().hasQueuedThreads();
  }

  int getQueueLength() {
    return mutex != null ? mutex.getQueueLength() : reentrant().getQueueLength();
  }

  Fairness fairness() {
    return mutex != null ? mutex.fairness() : reentrant().fairness();
  }

  /** The caller's hold count: {@code getHoldCount()}, or 0 or 1 for a {@link Mutex}. */
  int holdCount() {
    if (mutex != null) {
      return mutex.isHeldByCurrentThread() ? 1 : 0;
    }
    return reentrant().getHoldCount();
  }

  private ReentrantMutex reentrant() {
    return Objects.requireNonNull(reentrant);
  }

  @Override
  public String toString() {
    return lock.toString();
  }
}
