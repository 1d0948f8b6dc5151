package dev.syncprims.zookeeper;

import dev.syncprims.CountingSemaphore;

/**
 * A bounded {@link CountingSemaphore} whose permits are shared by every JVM that names it through
 * the same ZooKeeper base path.
 *
 * <ul>
 *   <li>{@link #maxPermits()} is stored in ZooKeeper with the name, and every JVM must ask for the
 *       same figure.
 *   <li>{@code acquire(n)} takes {@code n} leases for this JVM (the {@code CuratorFramework} client
 *       the semaphore was made with); {@code release(n)} gives back {@code n} of the leases this
 *       JVM holds, from any of its threads. Releasing more than it holds throws
 *       {@link IllegalStateException} and changes nothing.
 *   <li>Leases are ephemeral nodes: when a JVM's session ends, its leases go back to the pool by
 *       themselves. Releasing leases that were lost that way throws {@link OwnershipLostException}.
 *   <li>Requests are served FIFO across JVMs, and a request for several permits is all or nothing:
 *       it is not overtaken by later smaller requests, and one that times out or is interrupted
 *       gives back what it had taken.
 *   <li>{@link #availablePermits()}, {@link #hasQueuedThreads()} and {@link #getQueueLength()} are
 *       cluster-wide figures read at the time of the call.
 * </ul>
 */
public interface DistributedSemaphore extends CountingSemaphore {

  /** The number of leases that this JVM (this semaphore's client) holds now. */
  int heldPermits();
}
