package dev.syncprims.zookeeper;

import static java.util.Objects.requireNonNull;

import dev.syncprims.Held;
import dev.syncprims.ReentrantMutex;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;

/**
 * The state of one distributed lock in this JVM, shared by the {@link ZooKeeperMutex} and the
 * {@link ZooKeeperReentrantMutex} of its name: Curator's lock recipe, the local holder and hold
 * count, and the ownership of the current hold.
 */
final class LockCore {
  /* Implementation notes
   *
   * Exclusion and FIFO order come from Curator's InterProcessMutex: each acquiring thread creates
   * an ephemeral sequential node under `path` and holds the lock when its node is the lowest; it
   * waits on a watch of the node just below. Threads of this JVM queue the same way as threads of
   * other JVMs (one node each), so order is FIFO across all of them.
   *
   * What this class adds:
   * - Ownership per thread, checked before ZooKeeper is asked: the recipe is reentrant per thread,
   *   so a non-reentrant holder that re-locks must be stopped here (self-deadlock detected), and a
   *   re-entry of the reentrant view is counted here without a round trip.
   * - The fencing token (czxid of the lock node) and the session that created the node, from the
   *   create request itself (FencedInterProcessMutex).
   * - The mapping of failures: an interrupt during the wait is an InterruptedException (the recipe
   *   deletes its node); a failure of ZooKeeper during an acquisition is an OwnershipLostException;
   *   a closed client is an IllegalStateException.
   *
   * Fields: `holder` is written only by the thread that holds the lock (set after acquiring, cleared
   * before the node is deleted, so the next local holder's write cannot be overwritten) and read by
   * any thread; `holds` and `ownership` are touched only by the holder (ownership is volatile for
   * toString()).
   */
  private final ZooKeeperPrimitives zk;
  private final String name;
  private final String path;
  private final FencedInterProcessMutex recipe;

  private volatile @Nullable Thread holder;

  /** Holds of the current holder; only the holding thread reads or writes it. */
  private int holds;

  private volatile @Nullable SessionOwnership ownership;

  /** The threads of this JVM waiting in the recipe, for hasQueuedThread(). */
  private final Set<Thread> waiting = ConcurrentHashMap.newKeySet();

  LockCore(ZooKeeperPrimitives zk, String name, String path) {
    this.zk = zk;
    this.name = name;
    this.path = path;
    this.recipe = new FencedInterProcessMutex(zk.client(), path);
  }

  String path() {
    return path;
  }

  boolean isHeldByCurrentThread() {
    return holder == Thread.currentThread();
  }

  @Nullable Thread owner() {
    return holder;
  }

  int holdCount() {
    return holder == Thread.currentThread() ? holds : 0;
  }

  /** Adds a re-entry for the holding thread. */
  void reenter() {
    if (holds == ReentrantMutex.MAX_HOLD_COUNT) {
      throw new IllegalStateException(
          "lock \"" + name + "\": maximum hold count " + ReentrantMutex.MAX_HOLD_COUNT + " exceeded");
    }
    holds++;
  }

  /** Waits, through interrupts, until this thread holds the lock (the caller does not hold it). */
  void acquireUninterruptibly() {
    boolean interrupted = Thread.interrupted();
    try {
      for (; ; ) {
        ZooKeeperPrimitives.checkStarted(zk.client());
        waiting.add(Thread.currentThread());
        try {
          recipe.acquire();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
          Timing.clearInterruptStatus(); // the recipe may have set it again; wait again with it clear
        } catch (Exception e) {
          if (Thread.interrupted()) {
            interrupted = true;
            continue;
          }
          throw acquisitionFailed(e);
        } finally {
          waiting.remove(Thread.currentThread());
        }
      }
      acquired();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits until this thread holds the lock; the caller checked the interrupt status. */
  void acquireInterruptibly() throws InterruptedException {
    ZooKeeperPrimitives.checkStarted(zk.client());
    waiting.add(Thread.currentThread());
    try {
      recipe.acquire();
    } catch (InterruptedException e) {
      Timing.clearInterruptStatus();
      throw e;
    } catch (Exception e) {
      throw interruptedOr(e);
    } finally {
      waiting.remove(Thread.currentThread());
    }
    acquired();
  }

  /**
   * Tries to get the lock within {@code nanos} (no wait when {@code nanos <= 0}: the request
   * creates its node and succeeds only if nobody is ahead of it, so it never barges).
   */
  boolean tryAcquireNanos(long nanos) throws InterruptedException {
    ZooKeeperPrimitives.checkStarted(zk.client());
    long deadline = Timing.deadlineOf(nanos);
    for (; ; ) {
      boolean got;
      waiting.add(Thread.currentThread());
      try {
        got = recipe.acquire(Timing.millisLeft(deadline), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Timing.clearInterruptStatus();
        throw e;
      } catch (Exception e) {
        RuntimeException failure = interruptedOr(e);
        if (Timing.isConnectionProblem(e) && zk.client().getState() == CuratorFrameworkState.STARTED) {
          // ZooKeeper could not be reached within the retry policy: a timed wait is a timeout
          // once its time is up, and tries again before that.
          if (Timing.millisLeft(deadline) == 0) {
            return false;
          }
          continue;
        }
        throw failure;
      } finally {
        waiting.remove(Thread.currentThread());
      }
      if (got) {
        acquired();
      }
      return got;
    }
  }

  /** Untimed tryLock(): one attempt, keeping the caller's interrupt status. */
  boolean tryAcquireOnce() {
    boolean interrupted = Thread.interrupted();
    try {
      return tryAcquireNanos(0);
    } catch (InterruptedException e) {
      interrupted = true;
      return false;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Releases one hold of the current thread; the outermost release deletes the lock node.
   *
   * @throws IllegalMonitorStateException if the current thread does not hold the lock
   * @throws OwnershipLostException if the session that held the lock was lost (released locally)
   */
  void release() {
    if (holder != Thread.currentThread()) {
      throw new IllegalMonitorStateException(
          "lock \"" + name + "\" is not held by " + Thread.currentThread().getName()
              + (holder == null ? "" : " (held in this JVM by " + requireNonNull(holder).getName() + ")"));
    }
    if (holds > 1) {
      holds--;
      return;
    }
    SessionOwnership own = requireNonNull(ownership);
    boolean lost = own.isLost() || zk.currentSessionId() != own.sessionId();
    ownership = null;
    holds = 0;
    holder = null;
    zk.untrack(own);
    Exception failure = null;
    boolean interrupted = Thread.interrupted(); // an unlock is not interruptible
    try {
      recipe.release(); // deletes the node (or has Curator delete it once reconnected)
    } catch (Exception e) {
      failure = e;
    } finally {
      if (interrupted || Thread.interrupted()) {
        Thread.currentThread().interrupt();
      }
    }
    if (lost) {
      throw new OwnershipLostException(
          "lock \"" + name + "\": the ZooKeeper session that held it was lost, so another holder may"
              + " have had it (fencing token " + own.fencingToken() + "); released locally",
          failure);
    }
    // A failed delete while the session lives is retried by Curator in the background
    // (a guaranteed delete), and the node goes at the latest with the session.
  }

  Ownership ownership() {
    SessionOwnership own = ownership;
    if (holder != Thread.currentThread() || own == null) {
      throw new IllegalMonitorStateException(
          "lock \"" + name + "\" is not held by " + Thread.currentThread().getName());
    }
    return own;
  }

  /** Whether {@code thread}, of this JVM, is waiting for the lock now. */
  boolean hasQueuedThread(Thread thread) {
    requireNonNull(thread, "thread");
    return waiting.contains(thread);
  }

  /**
   * The answer to {@code hasWaiters} and {@code getWaitQueueLength}: a distributed lock makes no
   * conditions, so none can be passed.
   */
  IllegalArgumentException notOurCondition(Condition condition) {
    requireNonNull(condition, "condition");
    return new IllegalArgumentException(
        "not a condition of lock \"" + name + "\": a distributed lock has no conditions");
  }

  /** The number of lock nodes: the holder and the waiters, in every JVM. */
  int participants() {
    try {
      return recipe.getParticipantNodes().size();
    } catch (KeeperException.NoNodeException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading lock \"" + name + "\"", e);
    } catch (Exception e) {
      throw new IllegalStateException("could not read lock \"" + name + "\" from ZooKeeper: " + e, e);
    }
  }

  /** A handle whose close() releases the hold it was made for, once. */
  Held handle(Runnable unlock) {
    AtomicBoolean closed = new AtomicBoolean();
    return () -> {
      if (holder != Thread.currentThread()) {
        throw new IllegalMonitorStateException(
            "lock \"" + name + "\" is not held by " + Thread.currentThread().getName());
      }
      if (!closed.compareAndSet(false, true)) {
        throw new IllegalStateException("this handle of lock \"" + name + "\" was already closed");
      }
      unlock.run();
    };
  }

  @Override
  public String toString() {
    Thread h = holder;
    SessionOwnership own = ownership;
    return path + (h == null ? ", not held in this JVM" : ", held by " + h.getName() + " (" + own + ")");
  }

  private void acquired() {
    Stat stat;
    try {
      stat = recipe.takeLockStat(zk.client());
    } catch (Exception e) {
      stat = null;
    }
    SessionOwnership own =
        stat == null
            ? new SessionOwnership(0, 0, name) // the node is gone already: lost at once by track()
            : new SessionOwnership(stat.getCzxid(), stat.getEphemeralOwner(), name);
    holds = 1;
    ownership = own;
    holder = Thread.currentThread();
    zk.track(own);
  }

  private RuntimeException interruptedOr(Exception e) throws InterruptedException {
    if (Thread.interrupted()) {
      InterruptedException ie = new InterruptedException("interrupted while waiting for lock \"" + name + "\"");
      ie.initCause(e);
      throw ie;
    }
    return acquisitionFailed(e);
  }

  private RuntimeException acquisitionFailed(Exception e) {
    CuratorFramework client = zk.client();
    if (client.getState() != CuratorFrameworkState.STARTED) {
      return new IllegalStateException("lock \"" + name + "\": the CuratorFramework client was closed", e);
    }
    return new OwnershipLostException(
        "lock \"" + name + "\": could not acquire, ZooKeeper failed or the session was lost: " + e, e);
  }
}
