package dev.syncprims.zookeeper;

import dev.syncprims.ReentrantMutex;

/**
 * A {@link ReentrantMutex} shared by every JVM that names it through the same ZooKeeper base path.
 *
 * <p>It is the same lock as the {@link DistributedMutex} of the same name: the two exclude each
 * other. Re-entries are counted in this JVM and cost no ZooKeeper round trip; the fencing token
 * stays the same across them. Waiters are served FIFO across all JVMs. When the session is lost,
 * the outermost {@code unlock()} releases locally and throws {@link OwnershipLostException};
 * {@code newCondition()} throws {@link UnsupportedOperationException}.
 */
public interface DistributedReentrantMutex extends ReentrantMutex {

  /**
   * The ownership of the current hold, for the holding thread.
   *
   * @throws IllegalMonitorStateException if the current thread does not hold this mutex
   */
  Ownership ownership();
}
