package dev.syncprims.bench;

import dev.syncprims.zookeeper.DistributedMutex;
import dev.syncprims.zookeeper.DistributedSemaphore;
import dev.syncprims.zookeeper.ZooKeeperPrimitives;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreV2;
import org.apache.curator.framework.recipes.locks.Lease;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.test.TestingCluster;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The distributed primitives of {@code primitives-zookeeper} against Curator's raw recipes, in the
 * same run, on a 3-server ZooKeeper ensemble started in the benchmark JVM, at 1, 4 and 16 clients
 * ({@code -t}: every benchmark thread has a client, a session, of its own, as separate JVMs would):
 *
 * <ul>
 *   <li>{@code mutex} ({@code lock(); unlock();} of a {@code DistributedMutex}) against
 *       {@code rawMutex} ({@code acquire(); release();} of an {@code InterProcessMutex});
 *   <li>{@code semaphore} ({@code acquire(); release();} of a {@code DistributedSemaphore} of
 *       {@value #PERMITS} permits) against {@code rawSemaphore} ({@code acquire();
 *       returnLease();} of an {@code InterProcessSemaphoreV2}).
 * </ul>
 *
 * Both modes at once: throughput (all clients together) and sampled latency of one
 * acquire+release (p50, p99). The figures measure ZooKeeper round trips and the ensemble's disk
 * writes, so run it on a quiet machine, never beside other builds, and compare only within a run.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ZooKeeperBench {
  static final int PERMITS = 4;

  /** The ensemble, one per trial (a fresh cluster for every benchmark and thread count). */
  @State(Scope.Benchmark)
  public static class Ensemble {
    TestingCluster cluster;

    @Setup(Level.Trial)
    public void start() throws Exception {
      cluster = new TestingCluster(3);
      cluster.start();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      cluster.close();
    }
  }

  /** One client per benchmark thread, with the four objects under test. */
  @State(Scope.Thread)
  public static class Client {
    CuratorFramework client;
    DistributedMutex mutex;
    DistributedSemaphore semaphore;
    InterProcessMutex rawMutex;
    InterProcessSemaphoreV2 rawSemaphore;

    @Setup(Level.Trial)
    public void connect(Ensemble ensemble) throws Exception {
      client = CuratorFrameworkFactory.builder()
          .connectString(ensemble.cluster.getConnectString())
          .sessionTimeoutMs(30_000)
          .retryPolicy(new RetryNTimes(10, 200))
          .build();
      client.start();
      if (!client.blockUntilConnected(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("no connection to the ensemble");
      }
      ZooKeeperPrimitives zk = ZooKeeperPrimitives.using(client, "/bench");
      mutex = zk.mutex("m");
      semaphore = zk.semaphore("s", PERMITS);
      rawMutex = new InterProcessMutex(client, "/raw/mutex");
      rawSemaphore = new InterProcessSemaphoreV2(client, "/raw/semaphore", PERMITS);
    }

    @TearDown(Level.Trial)
    public void close() {
      client.close();
    }
  }

  @Benchmark
  public void mutex(Client c) {
    c.mutex.lock();
    try {
      // nothing: the cost measured is the acquisition and the release
    } finally {
      c.mutex.unlock();
    }
  }

  @Benchmark
  public void rawMutex(Client c) throws Exception {
    c.rawMutex.acquire();
    try {
      // nothing, as in mutex()
    } finally {
      c.rawMutex.release();
    }
  }

  @Benchmark
  public void semaphore(Client c) throws InterruptedException {
    c.semaphore.acquire();
    c.semaphore.release();
  }

  @Benchmark
  public void rawSemaphore(Client c) throws Exception {
    Lease lease = c.rawSemaphore.acquire();
    c.rawSemaphore.returnLease(lease);
  }
}
