package dev.syncprims.zookeeper;

import static java.util.Objects.requireNonNull;

import dev.syncprims.Fairness;
import dev.syncprims.Held;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.jspecify.annotations.Nullable;

/**
 * The {@link DistributedReentrantMutex} of {@link ZooKeeperPrimitives}: a reentrant view of the
 * lock of its name, the same lock as its {@link ZooKeeperMutex}.
 *
 * <p>A re-entry by the holder succeeds at once (up to {@link #MAX_HOLD_COUNT} holds; one more
 * throws {@link IllegalStateException} and changes nothing) and keeps the fencing token; the
 * outermost {@code unlock()} deletes the lock node. Waits end as described on
 * {@link ZooKeeperMutex}.
 */
final class ZooKeeperReentrantMutex implements DistributedReentrantMutex {
  private final LockCore core;

  ZooKeeperReentrantMutex(LockCore core) {
    this.core = core;
  }

  @Override
  public void lock() {
    if (core.isHeldByCurrentThread()) {
      core.reenter();
      return;
    }
    core.acquireUninterruptibly();
  }

  @Override
  public void lockInterruptibly() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    lock0Interruptibly();
  }

  @Override
  public boolean tryLock() {
    if (core.isHeldByCurrentThread()) {
      core.reenter();
      return true;
    }
    return core.tryAcquireOnce();
  }

  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    requireNonNull(unit, "unit");
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (core.isHeldByCurrentThread()) {
      core.reenter();
      return true;
    }
    return core.tryAcquireNanos(unit.toNanos(time));
  }

  @Override
  public void unlock() {
    core.release();
  }

  /** Not supported: a condition would have to survive the loss of the lock across JVMs. */
  @Override
  public Condition newCondition() {
    throw new UnsupportedOperationException(
        "a DistributedReentrantMutex has no conditions: wait for a ZooKeeper watch or a message instead");
  }

  @Override
  public Held locked() {
    lock();
    return core.handle(this::unlock);
  }

  @Override
  public int getHoldCount() {
    return core.holdCount();
  }

  @Override
  public boolean isLocked() {
    return core.owner() != null || core.participants() > 0;
  }

  @Override
  public boolean isHeldByCurrentThread() {
    return core.isHeldByCurrentThread();
  }

  @Override
  public @Nullable Thread owner() {
    return core.owner();
  }

  @Override
  public boolean hasQueuedThreads() {
    return getQueueLength() > 0;
  }

  @Override
  public int getQueueLength() {
    return Math.max(0, core.participants() - 1);
  }

  /** Whether {@code thread}, a thread of this JVM, waits for this lock; threads of other JVMs are not seen. */
  @Override
  public boolean hasQueuedThread(Thread thread) {
    return core.hasQueuedThread(thread);
  }

  /**
   * Always throws: a distributed lock makes no conditions.
   *
   * @throws NullPointerException if {@code condition} is null
   * @throws IllegalArgumentException otherwise
   */
  @Override
  public boolean hasWaiters(Condition condition) {
    throw core.notOurCondition(condition);
  }

  /**
   * Always throws: a distributed lock makes no conditions.
   *
   * @throws NullPointerException if {@code condition} is null
   * @throws IllegalArgumentException otherwise
   */
  @Override
  public int getWaitQueueLength(Condition condition) {
    throw core.notOurCondition(condition);
  }

  @Override
  public Fairness fairness() {
    return Fairness.FIFO;
  }

  @Override
  public Ownership ownership() {
    return core.ownership();
  }

  @Override
  public String toString() {
    return "DistributedReentrantMutex[" + core + ", holds of the current thread=" + core.holdCount() + "]";
  }

  private void lock0Interruptibly() throws InterruptedException {
    if (core.isHeldByCurrentThread()) {
      core.reenter();
      return;
    }
    core.acquireInterruptibly();
  }
}
