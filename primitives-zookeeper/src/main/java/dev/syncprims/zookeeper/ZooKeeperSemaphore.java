package dev.syncprims.zookeeper;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.syncprims.Fairness;
import dev.syncprims.Held;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreV2;
import org.apache.curator.framework.recipes.locks.Lease;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.jspecify.annotations.Nullable;

/**
 * The {@link DistributedSemaphore} of {@link ZooKeeperPrimitives}: Curator's
 * {@link InterProcessSemaphoreV2} behind a FIFO queue that makes multi-permit requests all or
 * nothing, with the leases of this JVM kept in a local pool that any of its threads may release.
 *
 * <p>Blocking methods return when the permits are acquired, when the wait times out (a timeout
 * {@code <= 0} does not wait, and does not overtake queued requests), or when the thread is
 * interrupted ({@code acquire} and timed {@code tryAcquire}: {@link InterruptedException}, status
 * cleared; an interrupt wins over a concurrent timeout). A request that does not complete takes no
 * permit away. A failure of ZooKeeper during the wait that the client's retry policy does not mend
 * ends it with {@link OwnershipLostException}. Untimed {@code tryAcquire()} is a request with a
 * zero timeout: there is no barging across JVMs.
 *
 * <p>Memory consistency: actions before a {@code release} in one thread of this JVM happen-before
 * actions after the acquisition of those permits by another thread of this JVM.
 */
final class ZooKeeperSemaphore implements DistributedSemaphore {
  /* Implementation notes
   *
   * Nodes, under `path` (whose data is maxPermits):
   *   queue/   Curator InterProcessMutex: one node per request in progress, in arrival order
   *   locks/   InterProcessSemaphoreV2's own lock, held while it takes one lease
   *   leases/  InterProcessSemaphoreV2's leases: one ephemeral node per permit held
   *
   * Why the queue: InterProcessSemaphoreV2 takes the leases of acquire(n) one at a time and lets go
   * of its lock between two of them. Two JVMs asking for 2 of 2 permits can then hold one each and
   * wait for each other forever (hold and wait), and a request for many is overtaken by later
   * requests for one. A request here first takes the queue lock (FIFO across JVMs), then all its
   * leases, then lets the queue go. Only the head of the queue holds leases while it waits, and it
   * waits only for releases, which need no lock: no cycle can form. A head that times out or is
   * interrupted gets its partial leases returned by the recipe.
   *
   * Local pool: the leases this client holds, as a deque guarded by poolLock (any thread of this
   * JVM may release them). Each lease remembers the session it was taken in; when the session is
   * lost, the pool's leases move to `lostLeases` (ZooKeeper has deleted, or is about to delete,
   * their ephemeral nodes), and a release that needs them throws OwnershipLostException.
   */
  private static final String QUEUE_DIR = "queue";
  /** InterProcessSemaphoreV2's folder of lease nodes. */
  private static final String LEASES_DIR = "leases";

  private final ZooKeeperPrimitives zk;
  private final String name;
  private final String path;
  private final int maxPermits;
  private final InterProcessSemaphoreV2 recipe;
  private final InterProcessMutex queue;

  private final ReentrantLock poolLock = new ReentrantLock();

  @GuardedBy("poolLock")
  private final ArrayDeque<HeldLease> leases = new ArrayDeque<>();

  @GuardedBy("poolLock")
  private int lostLeases;

  ZooKeeperSemaphore(ZooKeeperPrimitives zk, String name, String path, int maxPermits) {
    this.zk = zk;
    this.name = name;
    this.path = path;
    this.maxPermits = maxPermits;
    CuratorFramework client = zk.client();
    this.recipe = new InterProcessSemaphoreV2(client, path, maxPermits);
    this.queue = new InterProcessMutex(client, ZKPaths.makePath(path, QUEUE_DIR));
  }

  // ---- acquire ----

  @Override
  public void acquire() throws InterruptedException {
    acquire(1);
  }

  @Override
  public void acquire(int permits) throws InterruptedException {
    checkRequest(permits);
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (permits == 0) {
      return;
    }
    take(permits, 0, false);
  }

  @Override
  public void acquireUninterruptibly() {
    acquireUninterruptibly(1);
  }

  @Override
  public void acquireUninterruptibly(int permits) {
    checkRequest(permits);
    if (permits == 0) {
      return;
    }
    boolean interrupted = Thread.interrupted();
    try {
      for (; ; ) {
        try {
          take(permits, 0, false);
          return;
        } catch (InterruptedException e) {
          interrupted = true; // wait again; the recipe gave back what the request had taken
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean tryAcquire() {
    return tryAcquire(1);
  }

  @Override
  public boolean tryAcquire(int permits) {
    checkRequest(permits);
    if (permits == 0) {
      return true;
    }
    boolean interrupted = Thread.interrupted();
    try {
      return take(permits, System.nanoTime(), true);
    } catch (InterruptedException e) {
      interrupted = true;
      return false;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
    return tryAcquire(1, timeout, unit);
  }

  @Override
  public boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException {
    checkRequest(permits);
    requireNonNull(unit, "unit");
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (permits == 0) {
      return true;
    }
    long deadline = Timing.deadlineOf(unit.toNanos(timeout));
    for (; ; ) {
      try {
        return take(permits, deadline, true);
      } catch (OwnershipLostException e) {
        // ZooKeeper could not be reached within the retry policy: a timed wait is a timeout once
        // its time is up, and tries again before that.
        if (!(e.getCause() instanceof Exception) || !Timing.isConnectionProblem((Exception) e.getCause())) {
          throw e;
        }
        if (Timing.millisLeft(deadline) == 0) {
          return false;
        }
      }
    }
  }

  @Override
  public Held acquired() throws InterruptedException {
    return acquired(1);
  }

  @Override
  public Held acquired(int permits) throws InterruptedException {
    acquire(permits);
    AtomicBoolean closed = new AtomicBoolean();
    return () -> {
      if (!closed.compareAndSet(false, true)) {
        throw new IllegalStateException("this handle of semaphore \"" + name + "\" was already closed");
      }
      release(permits);
    };
  }

  // ---- release ----

  @Override
  public void release() {
    release(1);
  }

  @Override
  public void release(int permits) {
    if (permits < 0) {
      throw new IllegalArgumentException("permits must not be negative, was " + permits);
    }
    if (permits == 0) {
      return;
    }
    List<Lease> toReturn = new ArrayList<>(permits);
    poolLock.lock();
    try {
      int live = leases.size();
      if (permits > live) {
        if (permits <= live + lostLeases) {
          throw new OwnershipLostException(
              "semaphore \"" + name + "\": release(" + permits + ") needs leases that were lost with"
                  + " the ZooKeeper session (held " + live + ", lost " + lostLeases
                  + "); they are back in the pool already");
        }
        throw new IllegalStateException(
            "semaphore \"" + name + "\": release(" + permits + ") exceeds the " + live
                + " leases this JVM holds (maxPermits=" + maxPermits + ")");
      }
      for (int i = 0; i < permits; i++) {
        toReturn.add(leases.pollLast().lease);
      }
    } finally {
      poolLock.unlock();
    }
    boolean interrupted = Thread.interrupted(); // a release is not interruptible
    try {
      recipe.returnAll(toReturn); // deletes the lease nodes; Curator retries a failed delete
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---- queries ----

  @Override
  public int availablePermits() {
    return Math.max(0, maxPermits - count(true));
  }

  @Override
  public int drainPermits() {
    for (int attempt = 0; attempt < 3; attempt++) {
      int n = availablePermits();
      if (n == 0 || tryAcquire(n)) {
        return n;
      }
    }
    return 0;
  }

  @Override
  public int maxPermits() {
    return maxPermits;
  }

  @Override
  public int heldPermits() {
    poolLock.lock();
    try {
      return leases.size();
    } finally {
      poolLock.unlock();
    }
  }

  @Override
  public boolean hasQueuedThreads() {
    return getQueueLength() > 0;
  }

  /** The number of requests in progress in every JVM: waiting, or being served now. */
  @Override
  public int getQueueLength() {
    return count(false);
  }

  @Override
  public Fairness fairness() {
    return Fairness.FIFO;
  }

  @Override
  public String toString() {
    return "DistributedSemaphore[" + path + ", maxPermits=" + maxPermits + ", held by this JVM="
        + heldPermits() + "]";
  }

  // ---- connection events, from ZooKeeperPrimitives ----

  void sessionLost() {
    poolLock.lock();
    try {
      lostLeases += leases.size();
      leases.clear();
    } finally {
      poolLock.unlock();
    }
  }

  void reconnected(long sessionId) {
    poolLock.lock();
    try {
      int before = leases.size();
      leases.removeIf(l -> l.sessionId != sessionId);
      lostLeases += before - leases.size();
    } finally {
      poolLock.unlock();
    }
  }

  // ---- internals ----

  private void checkRequest(int permits) {
    if (permits < 0) {
      throw new IllegalArgumentException("permits must not be negative, was " + permits);
    }
    if (permits > maxPermits) {
      throw new IllegalArgumentException(
          "semaphore \"" + name + "\": cannot acquire " + permits + " permits, maxPermits=" + maxPermits);
    }
  }

  /**
   * Takes the queue, then {@code permits} leases, by {@code deadline} (a {@code System.nanoTime()}
   * reading) when {@code timed}. Returns false on timeout, having taken nothing.
   */
  private boolean take(int permits, long deadline, boolean timed) throws InterruptedException {
    ZooKeeperPrimitives.checkStarted(zk.client());
    try {
      if (timed) {
        if (!queue.acquire(Timing.millisLeft(deadline), TimeUnit.MILLISECONDS)) {
          return false;
        }
      } else {
        queue.acquire();
      }
    } catch (InterruptedException e) {
      Timing.clearInterruptStatus();
      throw e;
    } catch (Exception e) {
      throw interruptedOr(e);
    }
    boolean taken = false;
    try {
      Collection<Lease> got =
          timed
              ? recipe.acquire(permits, Timing.millisLeft(deadline), TimeUnit.MILLISECONDS)
              : recipe.acquire(permits);
      if (got == null) {
        if (!timed) {
          throw acquisitionFailed(null);
        }
        return false;
      }
      long sessionId = zk.currentSessionId();
      poolLock.lock();
      try {
        for (Lease l : got) {
          leases.addLast(new HeldLease(l, sessionId));
        }
      } finally {
        poolLock.unlock();
      }
      taken = true;
      return true;
    } catch (InterruptedException e) {
      Timing.clearInterruptStatus();
      throw e;
    } catch (Exception e) {
      throw interruptedOr(e);
    } finally {
      if (!taken) {
        deleteStrayLeases();
      }
      releaseQueue();
    }
  }

  /**
   * Deletes the lease nodes of this client's session that its pool does not hold: what a request
   * that failed or was interrupted inside a ZooKeeper call may have left. Called while holding the
   * queue, so no other request of this client is taking leases, and with the pool updated before
   * the queue is let go, so every lease this client holds is in the pool. Best effort: a node it
   * cannot delete goes with the session.
   */
  private void deleteStrayLeases() {
    boolean interrupted = Thread.interrupted();
    try {
      CuratorFramework client = zk.client();
      long sessionId = zk.currentSessionId();
      java.util.Set<String> held = new java.util.HashSet<>();
      poolLock.lock();
      try {
        for (HeldLease l : leases) {
          held.add(l.lease.getNodeName());
        }
      } finally {
        poolLock.unlock();
      }
      String leasesPath = ZKPaths.makePath(path, LEASES_DIR);
      for (String child : client.getChildren().forPath(leasesPath)) {
        if (held.contains(child)) {
          continue;
        }
        String nodePath = ZKPaths.makePath(leasesPath, child);
        org.apache.zookeeper.data.Stat stat = client.checkExists().forPath(nodePath);
        if (stat != null && stat.getEphemeralOwner() == sessionId) {
          client.delete().guaranteed().forPath(nodePath);
        }
      }
    } catch (Exception e) {
      // best effort, as documented
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void releaseQueue() {
    boolean interrupted = Thread.interrupted();
    try {
      queue.release();
    } catch (Exception e) {
      // The node is deleted by Curator in the background once it can (a guaranteed delete),
      // or with the session; the permits already taken are the caller's either way.
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The number of lease nodes ({@code leases}) or of requests in progress ({@code !leases}). */
  private int count(boolean leaseNodes) {
    try {
      return (leaseNodes ? recipe.getParticipantNodes() : queue.getParticipantNodes()).size();
    } catch (KeeperException.NoNodeException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading semaphore \"" + name + "\"", e);
    } catch (Exception e) {
      throw new IllegalStateException("could not read semaphore \"" + name + "\" from ZooKeeper: " + e, e);
    }
  }

  private RuntimeException interruptedOr(Exception e) throws InterruptedException {
    if (Thread.interrupted()) {
      InterruptedException ie =
          new InterruptedException("interrupted while waiting for semaphore \"" + name + "\"");
      ie.initCause(e);
      throw ie;
    }
    return acquisitionFailed(e);
  }

  private RuntimeException acquisitionFailed(@Nullable Exception e) {
    if (zk.client().getState() != CuratorFrameworkState.STARTED) {
      return new IllegalStateException("semaphore \"" + name + "\": the CuratorFramework client was closed", e);
    }
    return new OwnershipLostException(
        "semaphore \"" + name + "\": could not acquire, ZooKeeper failed or the session was lost: " + e, e);
  }

  /** A lease of this JVM and the session it was taken in. */
  private static final class HeldLease {
    final Lease lease;
    final long sessionId;

    HeldLease(Lease lease, long sessionId) {
      this.lease = lease;
      this.sessionId = sessionId;
    }
  }
}
