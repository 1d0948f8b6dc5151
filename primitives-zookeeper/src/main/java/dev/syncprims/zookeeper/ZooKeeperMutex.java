package dev.syncprims.zookeeper;

import static java.util.Objects.requireNonNull;

import dev.syncprims.Fairness;
import dev.syncprims.Held;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.jspecify.annotations.Nullable;

/**
 * The {@link DistributedMutex} of {@link ZooKeeperPrimitives}: a non-reentrant view of the lock of
 * its name.
 *
 * <p>Blocking methods return when the lock is acquired, when the wait times out ({@code tryLock}
 * with a timeout; one {@code <= 0} does not wait), or when the thread is interrupted
 * ({@code lockInterruptibly} and timed {@code tryLock}: {@link InterruptedException}, status
 * cleared). An interrupt wins over a concurrent timeout. Re-locking by the holder throws
 * {@link IllegalStateException} ({@code tryLock()} returns {@code false}). A failure of ZooKeeper
 * during the wait that the client's retry policy does not mend (a lost session, a connection gone
 * for longer than the retries) ends the wait with {@link OwnershipLostException}. Timeouts are
 * kept to the millisecond, plus, while the connection is down, the time the client's retry policy
 * spends on one request.
 *
 * <p>Memory consistency: actions before {@code unlock()} in one thread happen-before actions after
 * a later successful acquisition in another thread of this JVM (ZooKeeper's ordering and the
 * recipe's monitor give this); across JVMs, there is no shared memory to order, only what the
 * holders write to shared resources, which the fencing token orders.
 */
final class ZooKeeperMutex implements DistributedMutex {
  /* Implementation notes
   *
   * A thin view: the state lives in LockCore, shared with the reentrant view of the same name.
   * This class adds the non-reentrant rule: a holder that locks again is refused here, before
   * ZooKeeper is asked (the recipe alone would count a re-entry).
   */
  private final LockCore core;

  ZooKeeperMutex(LockCore core) {
    this.core = core;
  }

  @Override
  public void lock() {
    checkNotHeld("lock()");
    core.acquireUninterruptibly();
  }

  @Override
  public void lockInterruptibly() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    checkNotHeld("lockInterruptibly()");
    core.acquireInterruptibly();
  }

  @Override
  public boolean tryLock() {
    if (core.isHeldByCurrentThread()) {
      return false;
    }
    return core.tryAcquireOnce();
  }

  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    requireNonNull(unit, "unit");
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    checkNotHeld("tryLock(time, unit)");
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
        "a DistributedMutex has no conditions: wait for a ZooKeeper watch or a message instead");
  }

  @Override
  public Held locked() {
    lock();
    return core.handle(this::unlock);
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
    return "DistributedMutex[" + core + "]";
  }

  private void checkNotHeld(String method) {
    if (core.isHeldByCurrentThread()) {
      throw new IllegalStateException(
          method + ": " + Thread.currentThread().getName()
              + " already holds this mutex, which is not reentrant (self-deadlock detected)");
    }
  }
}
