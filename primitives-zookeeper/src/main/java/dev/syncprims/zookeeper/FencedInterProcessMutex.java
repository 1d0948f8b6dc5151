package dev.syncprims.zookeeper;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.StandardLockInternalsDriver;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;

/**
 * Curator's {@link InterProcessMutex}, unchanged in its protocol, that also reports the
 * {@link Stat} of the lock node it created: its {@code czxid} is the fencing token and its
 * {@code ephemeralOwner} the session that holds the lock.
 */
final class FencedInterProcessMutex extends InterProcessMutex {
  /* Implementation notes
   *
   * The recipe creates its lock node through LockInternalsDriver.createsTheLock, in the acquiring
   * thread. The driver below creates the node exactly as Curator's standard driver does (ephemeral
   * sequential, protected, container parents) and asks ZooKeeper for the node's Stat in the same
   * create request, so the token costs no extra round trip. When the recipe retries (after a
   * session loss it creates a new node), the last node created wins, which is the one that got the
   * lock. If a protected create was resolved by finding the node again, the Stat may be empty;
   * lockStat() then reads it with one exists().
   */
  FencedInterProcessMutex(CuratorFramework client, String path) {
    super(client, path, new RecordingDriver());
  }

  /** The path of the lock node the current thread holds, or null. */
  @Nullable String lockPathOfCurrentThread() {
    return getLockPath();
  }

  /**
   * The Stat of the lock node the current thread just acquired, or null if it cannot be known
   * (the node is gone). Call once, right after a successful acquire.
   */
  @Nullable Stat takeLockStat(CuratorFramework client) throws Exception {
    String path = getLockPath();
    Created c = RecordingDriver.LAST.get();
    RecordingDriver.LAST.remove();
    if (path == null) {
      return null;
    }
    if (c != null && c.path.equals(path) && c.stat.getCzxid() != 0) {
      return c.stat;
    }
    return client.checkExists().forPath(path);
  }

  private static final class Created {
    final String path;
    final Stat stat;

    Created(String path, Stat stat) {
      this.path = path;
      this.stat = stat;
    }
  }

  private static final class RecordingDriver extends StandardLockInternalsDriver {
    /**
     * The node the current thread created last. Acquisitions are synchronous in the acquiring
     * thread, so one thread-local serves every lock: the entry is read (and checked against the
     * recipe's lock path) right after the acquisition that set it.
     */
    static final ThreadLocal<@Nullable Created> LAST = new ThreadLocal<>();

    @Override
    public String createsTheLock(CuratorFramework client, String path, byte @Nullable [] lockNodeBytes)
        throws Exception {
      Stat stat = new Stat();
      var create = client.create()
          .storingStatIn(stat)
          .creatingParentContainersIfNeeded()
          .withProtection()
          .withMode(CreateMode.EPHEMERAL_SEQUENTIAL);
      String ourPath = lockNodeBytes != null ? create.forPath(path, lockNodeBytes) : create.forPath(path);
      LAST.set(new Created(ourPath, stat));
      return ourPath;
    }
  }
}
