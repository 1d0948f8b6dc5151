package dev.syncprims.zookeeper;

import dev.syncprims.Mutex;

/**
 * A {@link Mutex} shared by every JVM that names it through the same ZooKeeper base path.
 *
 * <p>It keeps the contract of {@code Mutex}: the locking thread owns it, re-locking by the holder
 * throws {@link IllegalStateException} instead of hanging, and {@code unlock()} by another thread
 * throws {@link IllegalMonitorStateException}. Waiters are served in the order in which their lock
 * nodes were created ({@link dev.syncprims.Fairness#FIFO}), across all JVMs. What a local mutex
 * does not have: {@link #ownership()}, the lease behind the hold.
 *
 * <p>When the session is lost while this JVM holds the lock, {@code unlock()} releases everything
 * locally and throws {@link OwnershipLostException}. {@code newCondition()} throws
 * {@link UnsupportedOperationException}: a condition would have to survive the loss of the lock.
 */
public interface DistributedMutex extends Mutex {

  /**
   * The ownership of the current hold, for the holding thread.
   *
   * @throws IllegalMonitorStateException if the current thread does not hold this mutex
   */
  Ownership ownership();
}
