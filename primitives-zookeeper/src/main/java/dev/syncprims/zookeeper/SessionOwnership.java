package dev.syncprims.zookeeper;

import static java.util.Objects.requireNonNull;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The {@link Ownership} of one hold: the fencing token and the session of the lock node, and a
 * validity that follows the client's connection state.
 */
final class SessionOwnership implements Ownership {
  /* Implementation notes
   *
   * State: one int, read and written through STATE.
   *   VALID     -> SUSPENDED  suspend(): the connection dropped (Curator's SUSPENDED)
   *   SUSPENDED -> VALID      reconnected(id) with id == sessionId: the session survived
   *   any       -> LOST       lose(), or reconnected(id) with another id: the session ended
   *   any       -> RETIRED    retire(): the holder unlocked; nothing runs after that
   *   LOST and RETIRED are final. Transitions are CASes, so a late SUSPENDED event cannot hide a
   *   LOST one.
   * Actions: a lock-free queue. Whoever moves the state to LOST drains it, and onLost() drains it
   *   again after adding when it sees LOST, so each action is polled, and run, exactly once.
   */
  private static final int VALID = 0;
  private static final int SUSPENDED = 1;
  private static final int LOST = 2;
  private static final int RETIRED = 3;

  private final long token;
  private final long sessionId;
  private final String lockName;
  private final ConcurrentLinkedQueue<Runnable> actions = new ConcurrentLinkedQueue<>();

  @SuppressWarnings("UnusedVariable") // read and written through STATE
  private volatile int state;

  SessionOwnership(long token, long sessionId, String lockName) {
    this.token = token;
    this.sessionId = sessionId;
    this.lockName = lockName;
  }

  @Override
  public long fencingToken() {
    return token;
  }

  @Override
  public boolean isValid() {
    return getStateVolatile() == VALID;
  }

  @Override
  public void checkValid() {
    int s = getStateVolatile();
    if (s != VALID) {
      throw new OwnershipLostException(
          lockName
              + (s == SUSPENDED
                  ? ": the connection to ZooKeeper is suspended; the lock may have passed to another holder"
                  : s == LOST ? ": the ZooKeeper session that held the lock was lost" : ": released"));
    }
  }

  @Override
  public void onLost(Runnable action) {
    requireNonNull(action, "action");
    actions.add(action);
    if (getStateVolatile() == LOST) {
      runActions();
    }
  }

  /** The session id of the lock node's owner. */
  long sessionId() {
    return sessionId;
  }

  /** Whether the session was lost (not merely suspended). */
  boolean isLost() {
    return getStateVolatile() == LOST;
  }

  void suspend() {
    casState(VALID, SUSPENDED);
  }

  void reconnected(long currentSessionId) {
    if (currentSessionId != sessionId) {
      lose();
    } else {
      casState(SUSPENDED, VALID);
    }
  }

  void lose() {
    for (int s = getStateVolatile(); s != LOST && s != RETIRED; s = getStateVolatile()) {
      if (casState(s, LOST)) {
        runActions();
        return;
      }
    }
  }

  /** The holder released: no action runs from now on. */
  void retire() {
    for (int s = getStateVolatile(); s != RETIRED; s = getStateVolatile()) {
      if (casState(s, RETIRED)) {
        break;
      }
    }
    actions.clear();
  }

  private void runActions() {
    for (Runnable a; (a = actions.poll()) != null; ) {
      try {
        a.run();
      } catch (RuntimeException | Error e) {
        Thread t = Thread.currentThread();
        t.getUncaughtExceptionHandler().uncaughtException(t, e);
      }
    }
  }

  @Override
  public String toString() {
    int s = getStateVolatile();
    return "Ownership[" + lockName + ", token=" + token + ", session=0x" + Long.toHexString(sessionId)
        + (s == VALID ? ", valid" : s == SUSPENDED ? ", suspended" : s == LOST ? ", lost" : ", released")
        + "]";
  }

  private int getStateVolatile() {
    return (int) STATE.getVolatile(this);
  }

  private boolean casState(int expected, int next) {
    return STATE.compareAndSet(this, expected, next);
  }

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(SessionOwnership.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
