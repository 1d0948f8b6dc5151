package dev.syncprims.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.zookeeper.client.FourLetterWordMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The leader of a 3-server ensemble killed while a lock and a lease are held and other JVMs wait:
 * exclusion holds, the holder's ownership is suspended and comes back, and the waiters proceed
 * once the ensemble has a new leader.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EnsembleFaultTest {

  /**
   * A client that outlasts a leader election: its session (20 s) and its retries (30 of 500 ms)
   * are longer than the few seconds an ensemble needs to elect a new leader.
   */
  private static CuratorFramework patientClient(String connectString) throws InterruptedException {
    CuratorFramework c =
        CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .sessionTimeoutMs(20_000)
            .connectionTimeoutMs(3_000)
            .retryPolicy(new RetryNTimes(30, 500))
            .build();
    c.start();
    assertTrue(c.blockUntilConnected(30, TimeUnit.SECONDS));
    return c;
  }

  private static InstanceSpec leader(TestingCluster cluster) throws Exception {
    for (InstanceSpec spec : cluster.getInstances()) {
      String srvr;
      try {
        srvr = FourLetterWordMain.send4LetterWord("127.0.0.1", spec.getPort(), "srvr", false, 2_000);
      } catch (java.io.IOException e) {
        continue;
      }
      if (srvr.contains("Mode: leader")) {
        return spec;
      }
    }
    return null;
  }

  @Test
  void killingTheLeaderKeepsExclusionAndTheWaitersProceedAfterTheElection() throws Exception {
    try (TestingCluster cluster = new TestingCluster(3)) {
      cluster.start();
      String connect = cluster.getConnectString();
      CuratorFramework a = patientClient(connect);
      CuratorFramework b = patientClient(connect);
      CuratorFramework c = patientClient(connect);
      AtomicInteger suspensions = new AtomicInteger();
      for (CuratorFramework client : List.of(a, b, c)) {
        client.getConnectionStateListenable().addListener((cf, state) -> {
          if (state == ConnectionState.SUSPENDED) {
            suspensions.incrementAndGet();
          }
        });
      }
      try {
        ZooKeeperPrimitives jvmA = ZooKeeperPrimitives.using(a, "/ensemble");
        ZooKeeperPrimitives jvmB = ZooKeeperPrimitives.using(b, "/ensemble");
        ZooKeeperPrimitives jvmC = ZooKeeperPrimitives.using(c, "/ensemble");
        DistributedMutex lockA = jvmA.mutex("m");
        DistributedSemaphore poolA = jvmA.semaphore("s", 1);
        AtomicInteger inside = new AtomicInteger();
        List<Long> tokens = new CopyOnWriteArrayList<>();

        lockA.lock();
        inside.incrementAndGet();
        long tokenA = lockA.ownership().fencingToken();
        Ownership ownA = lockA.ownership();
        poolA.acquire();

        try (ZkTesting.Threads threads = new ZkTesting.Threads()) {
          for (ZooKeeperPrimitives jvm : List.of(jvmB, jvmC)) {
            DistributedMutex m = jvm.mutex("m");
            threads.start("lock-waiter", () -> {
              m.lock();
              try {
                assertEquals(1, inside.incrementAndGet(), "exclusion");
                tokens.add(m.ownership().fencingToken());
                inside.decrementAndGet();
              } finally {
                m.unlock();
              }
            });
          }
          DistributedSemaphore poolB = jvmB.semaphore("s", 1);
          threads.start("lease-waiter", () -> {
            poolB.acquire();
            poolB.release();
          });
          ZkTesting.await("both lock waiters are queued", () -> lockA.getQueueLength() == 2);
          ZkTesting.await("the lease waiter is queued", () -> poolA.getQueueLength() == 1);

          InstanceSpec leader = leader(cluster);
          assertNotNull(leader, "one server leads");
          assertTrue(cluster.killServer(leader));

          ZkTesting.await("a new leader is elected", () -> {
            try {
              InstanceSpec l = leader(cluster);
              return l != null && !l.equals(leader);
            } catch (Exception e) {
              return false;
            }
          });
          ZkTesting.await("the clients saw the outage", () -> suspensions.get() > 0);
          ZkTesting.await("the holder's ownership is valid again", ownA::isValid);
          assertEquals(1, inside.get(), "nobody else got the lock while it was held");
          assertTrue(lockA.isHeldByCurrentThread());

          inside.decrementAndGet();
          lockA.unlock();
          poolA.release();
        }
        assertEquals(2, tokens.size());
        assertTrue(tokens.stream().allMatch(t -> t > tokenA), tokens + " > " + tokenA);
        assertTrue(!tokens.get(0).equals(tokens.get(1)));
        assertEquals(1, poolA.availablePermits());
      } finally {
        a.close();
        b.close();
        c.close();
      }
    }
  }
}
