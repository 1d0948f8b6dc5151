package dev.syncprims.zookeeper;

/**
 * What a holder of a distributed lock holds: a lease tied to a ZooKeeper session, with a fencing
 * token.
 *
 * <p>A distributed lock cannot promise what a local one does. The holder's process may pause
 * (garbage collection, a stopped VM, a slow disk) or lose its network for longer than the session
 * timeout; ZooKeeper then ends the session, deletes its lock node and lets the next waiter in, while
 * the paused holder still believes it holds the lock. Two defences, both here:
 *
 * <ul>
 *   <li>{@link #isValid()} turns {@code false} as soon as the client loses its connection
 *       (Curator's {@code SUSPENDED}): from then on the holder must assume that it may have lost
 *       the lock. It turns {@code true} again if the client reconnects within the same session, and
 *       stays {@code false} for good once the session is lost, when the {@link #onLost} actions run.
 *   <li>{@link #fencingToken()} grows strictly from each holder of a name to the next, cluster-wide.
 *       A resource that remembers the highest token it has seen and refuses writes carrying a lower
 *       one cannot be corrupted by a stale holder, however long it was paused.
 * </ul>
 *
 * <pre>{@code
 * try (Held h = mutex.locked()) {
 *   Ownership own = mutex.ownership();
 *   own.onLost(worker::abandon);
 *   storage.write(key, value, own.fencingToken());   // storage refuses tokens below the highest seen
 * }
 * }</pre>
 */
public interface Ownership {

  /**
   * The fencing token of this hold: the ZooKeeper transaction id ({@code czxid}) that created the
   * lock node. Every later holder of the same name, in any JVM, has a strictly greater token; the
   * token stays the same across re-entries of a reentrant hold.
   */
  long fencingToken();

  /**
   * Whether the hold is still known to be good: {@code false} while the client is disconnected
   * from ZooKeeper and for good once the session that held the lock has ended.
   */
  boolean isValid();

  /**
   * Throws {@link OwnershipLostException} when {@link #isValid()} is {@code false}; a cheap check
   * to put before each step of work done under the lock.
   *
   * @throws OwnershipLostException when the hold is not valid
   */
  void checkValid();

  /**
   * Registers an action to run once when the session that holds this lock is lost. Actions run on
   * a thread of the library (Curator's connection-state thread), in registration order; an action
   * registered after the loss runs at once in the calling thread. An action that throws does not
   * stop the others: its exception goes to the thread's uncaught-exception handler. Actions are
   * dropped when the holder unlocks.
   *
   * @throws NullPointerException if {@code action} is null
   */
  void onLost(Runnable action);
}
