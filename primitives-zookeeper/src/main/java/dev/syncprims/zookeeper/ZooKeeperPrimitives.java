package dev.syncprims.zookeeper;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.common.PathUtils;
import org.apache.zookeeper.data.Stat;

/**
 * The entry point: distributed mutexes and semaphores under one ZooKeeper base path, through a
 * Curator client that the caller owns (starts and closes).
 *
 * <pre>{@code
 * CuratorFramework client = CuratorFrameworkFactory.newClient("zk1:2181,zk2:2181,zk3:2181",
 *     new ExponentialBackoffRetry(100, 3));
 * client.start();
 * ZooKeeperPrimitives zk = ZooKeeperPrimitives.using(client, "/myservice/locks");
 *
 * DistributedMutex mutex = zk.mutex("invoices");            // the same lock in every JVM
 * try (Held h = mutex.locked()) {
 *   long token = mutex.ownership().fencingToken();          // pass it to the storage you write to
 *   ...
 * }
 * DistributedSemaphore pool = zk.semaphore("crawler", 10);  // at most 10 leases, cluster-wide
 * try (Held h = pool.acquired()) { ... }
 * }</pre>
 *
 * <p>Every JVM that uses the same base path and name shares the primitive. Locks and semaphores
 * have separate name spaces: {@code mutex("x")} and {@code reentrantMutex("x")} are one lock (they
 * exclude each other), while {@code semaphore("x", n)} is another primitive. The nodes are laid out
 * as {@code basePath/mutex/NAME} (Curator's {@code InterProcessMutex}) and
 * {@code basePath/semaphore/NAME} (Curator's {@code InterProcessSemaphoreV2}, with the
 * semaphore's {@code maxPermits} as the node's data).
 *
 * <p>Within one {@code ZooKeeperPrimitives}, asking twice for the same name returns objects that
 * share their local state (who holds the lock in this JVM, which leases it holds). Make one
 * {@code ZooKeeperPrimitives} per client and base path: each registers a connection-state
 * listener on the client for as long as the client lives.
 *
 * <p>What "this JVM" means: the client. Holds and leases belong to the client's session; when
 * the session ends, ZooKeeper deletes their ephemeral nodes and the lock or the permits go to
 * others without anybody's help. See {@link Ownership} for what that means to a holder.
 */
public final class ZooKeeperPrimitives {
  /* Implementation notes
   *
   * One connection-state listener per instance fans Curator's SUSPENDED / LOST / RECONNECTED out to
   * the ownerships of the locks held now (the set `held`) and to the semaphores made here, which
   * keep their leases. Curator calls the listener on its own event thread, one event at a time.
   * On RECONNECTED the current session id decides: the same id means the session survived and a
   * suspended hold is valid again; another id means it ended, even if no LOST was seen.
   */
  static final String MUTEX_DIR = "mutex";
  static final String SEMAPHORE_DIR = "semaphore";

  private final CuratorFramework client;
  private final String basePath;
  private final ConcurrentHashMap<String, LockCore> locks = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ZooKeeperSemaphore> semaphores = new ConcurrentHashMap<>();
  private final Set<SessionOwnership> held = ConcurrentHashMap.newKeySet();

  private ZooKeeperPrimitives(CuratorFramework client, String basePath) {
    this.client = client;
    this.basePath = basePath;
    client.getConnectionStateListenable().addListener((c, newState) -> stateChanged(newState));
  }

  /**
   * Primitives under {@code basePath}, through {@code client}.
   *
   * @param client a started Curator client; the caller keeps owning it
   * @param basePath an absolute ZooKeeper path such as {@code "/myservice/locks"}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code basePath} is not a valid absolute ZooKeeper path
   * @throws IllegalStateException if the client is not started, or already closed
   */
  public static ZooKeeperPrimitives using(CuratorFramework client, String basePath) {
    requireNonNull(client, "client");
    requireNonNull(basePath, "basePath");
    try {
      PathUtils.validatePath(basePath);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "basePath must be an absolute ZooKeeper path such as \"/app/locks\": " + e.getMessage(), e);
    }
    if (basePath.equals("/") || basePath.equals("/zookeeper") || basePath.startsWith("/zookeeper/")) {
      throw new IllegalArgumentException(
          "basePath \"" + basePath + "\" is reserved: choose a path of your own such as \"/app/locks\"");
    }
    checkStarted(client);
    return new ZooKeeperPrimitives(client, basePath);
  }

  /**
   * The non-reentrant lock named {@code name}; the same lock as {@link #reentrantMutex} of that name.
   *
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is not a single ZooKeeper path segment
   */
  public DistributedMutex mutex(String name) {
    return new ZooKeeperMutex(lockCore(name));
  }

  /**
   * The reentrant lock named {@code name}; the same lock as {@link #mutex} of that name.
   *
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is not a single ZooKeeper path segment
   */
  public DistributedReentrantMutex reentrantMutex(String name) {
    return new ZooKeeperReentrantMutex(lockCore(name));
  }

  /**
   * The semaphore named {@code name}, with {@code maxPermits} permits shared by every JVM. The
   * first call for a name, in any JVM, stores {@code maxPermits} in ZooKeeper; later calls must
   * ask for the same figure.
   *
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is not a single ZooKeeper path segment, if
   *     {@code maxPermits < 1}, or if the semaphore already exists with another {@code maxPermits}
   * @throws IllegalStateException if the client is not started or is closed, if the current thread
   *     is interrupted (its status stays set; nothing is written), or if ZooKeeper cannot be reached
   */
  public DistributedSemaphore semaphore(String name, int maxPermits) {
    checkName(name);
    if (maxPermits < 1) {
      throw new IllegalArgumentException("maxPermits must be at least 1, was " + maxPermits);
    }
    ZooKeeperSemaphore existing = semaphores.get(name);
    if (existing != null) {
      checkSameMax(name, existing.maxPermits(), maxPermits);
      return existing;
    }
    checkStarted(client);
    if (Thread.currentThread().isInterrupted()) {
      throw new IllegalStateException(
          "semaphore(\"" + name + "\"): the calling thread is interrupted; nothing was read or written");
    }
    String path = ZKPaths.makePath(basePath, SEMAPHORE_DIR, name);
    int stored = storeOrReadMax(path, maxPermits);
    checkSameMax(name, stored, maxPermits);
    return semaphores.computeIfAbsent(name, n -> new ZooKeeperSemaphore(this, n, path, maxPermits));
  }

  /** The client, for the primitives. */
  CuratorFramework client() {
    return client;
  }

  @Override
  public String toString() {
    return "ZooKeeperPrimitives[" + basePath + ", client=" + client.getState() + "]";
  }

  // ---- for the primitives ----

  /** Throws {@link IllegalStateException} unless the client is started. */
  static void checkStarted(CuratorFramework client) {
    CuratorFrameworkState s = client.getState();
    if (s != CuratorFrameworkState.STARTED) {
      throw new IllegalStateException(
          "the CuratorFramework client is "
              + (s == CuratorFrameworkState.LATENT ? "not started: call client.start() first" : "closed"));
    }
  }

  /** The id of the client's current session, or 0 when it has none. */
  long currentSessionId() {
    try {
      return client.getZookeeperClient().getZooKeeper().getSessionId();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return 0;
    }
  }

  /** Whether the client is connected to ZooKeeper now. */
  boolean isConnected() {
    return client.getZookeeperClient().isConnected();
  }

  /**
   * Registers a new hold, then checks it against the connection: a hold whose session is already
   * gone is lost at once, one taken while the connection dropped is suspended.
   */
  void track(SessionOwnership o) {
    held.add(o);
    long sid = currentSessionId();
    if (sid != o.sessionId()) {
      o.lose();
    } else if (!isConnected()) {
      o.suspend();
    }
  }

  void untrack(SessionOwnership o) {
    held.remove(o);
    o.retire();
  }

  private void stateChanged(ConnectionState newState) {
    switch (newState) {
      // A read-only server cannot serve locks: READ_ONLY counts as a dropped connection.
      case SUSPENDED, READ_ONLY -> held.forEach(SessionOwnership::suspend);
      case LOST -> {
        held.forEach(SessionOwnership::lose);
        semaphores.values().forEach(ZooKeeperSemaphore::sessionLost);
      }
      case CONNECTED, RECONNECTED -> {
        long sid = currentSessionId();
        held.forEach(o -> o.reconnected(sid));
        semaphores.values().forEach(s -> s.reconnected(sid));
      }
    }
  }

  private LockCore lockCore(String name) {
    checkName(name);
    return locks.computeIfAbsent(
        name, n -> new LockCore(this, n, ZKPaths.makePath(basePath, MUTEX_DIR, n)));
  }

  private static void checkSameMax(String name, int stored, int asked) {
    if (stored != asked) {
      throw new IllegalArgumentException(
          "semaphore \"" + name + "\" exists with maxPermits=" + stored + "; asked for maxPermits=" + asked);
    }
  }

  /** Creates the semaphore's node with {@code max} as its data, or reads the figure stored there. */
  private int storeOrReadMax(String path, int max) {
    byte[] data = Integer.toString(max).getBytes(US_ASCII);
    try {
      for (int attempt = 0; ; attempt++) {
        try {
          client.create().creatingParentContainersIfNeeded().withMode(CreateMode.PERSISTENT).forPath(path, data);
          return max;
        } catch (KeeperException.NodeExistsException e) {
          // fall through: read what is there
        }
        Stat stat = new Stat();
        byte[] stored;
        try {
          stored = client.getData().storingStatIn(stat).forPath(path);
        } catch (KeeperException.NoNodeException e) {
          continue; // deleted in between: try to create it again
        }
        if (stored != null && stored.length > 0) {
          return parseMax(path, stored);
        }
        // A node without data: made by Curator's recipe directly. Claim it if still nobody has.
        try {
          client.setData().withVersion(stat.getVersion()).forPath(path, data);
          return max;
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
          if (attempt > 10) {
            throw e;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the maxPermits stored at " + path, e);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("could not read or store the maxPermits at " + path + ": " + e, e);
    }
  }

  private static int parseMax(String path, byte[] stored) {
    String s = new String(stored, US_ASCII);
    try {
      int v = Integer.parseInt(s.trim());
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalStateException(
        path + " holds \"" + s + "\", not a maxPermits figure: is another program using this path?");
  }

  /** Throws unless {@code name} is a single ZooKeeper path segment. */
  static void checkName(String name) {
    requireNonNull(name, "name");
    if (name.isEmpty() || name.indexOf('/') >= 0 || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException(
          "name must be a single ZooKeeper path segment (not empty, no '/', not \".\" or \"..\"): \""
              + name + "\"");
    }
    try {
      PathUtils.validatePath("/" + name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("name \"" + name + "\" is not a valid ZooKeeper node name: "
          + e.getMessage(), e);
    }
  }
}
