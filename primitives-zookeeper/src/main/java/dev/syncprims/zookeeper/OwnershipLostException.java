package dev.syncprims.zookeeper;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a distributed primitive can no longer vouch for what its caller holds or waits for:
 * the ZooKeeper session that held the lock or the leases has ended (or could not be reached to
 * finish an acquisition), so another JVM may hold them now.
 *
 * <p>It is an {@link IllegalStateException}: code written against the local interfaces that
 * treats a failed {@code unlock()} as a bug still sees it as one.
 */
public class OwnershipLostException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** An exception with the given message. */
  public OwnershipLostException(String message) {
    super(message);
  }

  /** An exception with the given message and the failure that revealed the loss. */
  public OwnershipLostException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
