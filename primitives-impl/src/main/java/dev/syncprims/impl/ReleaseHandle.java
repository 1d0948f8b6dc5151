package dev.syncprims.impl;

import dev.syncprims.Held;

/**
 * The one {@link Held} of the library: returned by {@code locked()}, {@code entered()} and {@code
 * acquired()}, it releases exactly what was taken, once. Internal; not part of the API.
 *
 * <p>A lock's or monitor's handle must be closed by the thread that took it (the release checks
 * ownership); a semaphore's may be closed by any thread. A second {@code close()} throws {@link
 * IllegalStateException} and releases nothing. A handle is meant for one thread's
 * try-with-resources block and is not safe to close from two threads at once.
 */
final class ReleaseHandle implements Held {
  private final Object primitive;
  /** The permits to give back (semaphores); unused for locks and monitors. */
  private final int permits;
  private boolean closed;

  private ReleaseHandle(Object primitive, int permits) {
    this.primitive = primitive;
    this.permits = permits;
  }

  /** A handle that unlocks {@code lock} (or exits it, for a monitor) once. */
  static Held of(OwnedLock lock) {
    return new ReleaseHandle(lock, 0);
  }

  /** A handle that releases {@code permits} permits of {@code semaphore} once. */
  static Held of(QueuedSemaphore semaphore, int permits) {
    return new ReleaseHandle(semaphore, permits);
  }

  @Override
  public void close() {
    if (closed) {
      throw new IllegalStateException("this handle of " + primitive + " is already closed");
    }
    if (primitive instanceof OwnedLock lock) {
      lock.releaseByHandle(); // throws, changing nothing, if not the holder
    } else {
      ((QueuedSemaphore) primitive).releasePermits(permits);
    }
    closed = true;
  }

  @Override
  public String toString() {
    return (closed ? "closed" : "open") + " handle of " + primitive;
  }
}
