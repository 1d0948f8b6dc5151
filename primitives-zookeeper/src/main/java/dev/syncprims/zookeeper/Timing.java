package dev.syncprims.zookeeper;

import org.apache.zookeeper.KeeperException;

/** Deadlines on the {@code System.nanoTime()} scale, and the failures a timed wait outlasts. */
final class Timing {
  private Timing() {}

  /** The deadline {@code nanos} from now, saturating; now when {@code nanos <= 0}. */
  static long deadlineOf(long nanos) {
    long now = System.nanoTime();
    if (nanos <= 0) {
      return now;
    }
    long d = now + nanos;
    return d - now < 0 ? now + Long.MAX_VALUE : d;
  }

  /** Milliseconds left until {@code deadline}, rounded up; 0 once it has passed. */
  static long millisLeft(long deadline) {
    long left = deadline - System.nanoTime();
    return left <= 0 ? 0 : left / 1_000_000 + (left % 1_000_000 == 0 ? 0 : 1);
  }

  /**
   * Clears the current thread's interrupt status before an {@link InterruptedException} is passed
   * on: Curator sets the status again when it rethrows one, and the contract is that a method
   * throwing {@code InterruptedException} leaves it clear.
   */
  static void clearInterruptStatus() {
    boolean unused = Thread.interrupted();
  }

  /**
   * Whether a failure means ZooKeeper could not be reached or the session changed under the
   * request (as opposed to a bug or a closed client).
   */
  static boolean isConnectionProblem(Exception e) {
    if (e instanceof KeeperException ke) {
      KeeperException.Code code = ke.code();
      return code == KeeperException.Code.CONNECTIONLOSS
          || code == KeeperException.Code.OPERATIONTIMEOUT
          || code == KeeperException.Code.SESSIONEXPIRED
          || code == KeeperException.Code.SESSIONMOVED
          || code == KeeperException.Code.NONODE;
    }
    // Curator reports a connection it gave up on this way, and InterProcessMutex.acquire() as an
    // IOException when the client stopped being connected during the wait.
    return e instanceof org.apache.curator.CuratorConnectionLossException || e instanceof java.io.IOException;
  }
}
