package dev.syncprims.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input to the factory: a clear exception, and nothing left in ZooKeeper. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ZooKeeperPrimitivesTest {
  private static TestingServer server;
  private static CuratorFramework client;

  @BeforeAll
  static void startServer() throws Exception {
    server = new TestingServer(true);
    client = ZkTesting.client(server.getConnectString());
  }

  @AfterAll
  static void stopServer() throws Exception {
    client.close();
    server.close();
  }

  private static void assertNothingUnder(String path) throws Exception {
    assertNull(client.checkExists().forPath(path), path + " should not exist");
  }

  @Test
  void nullsAreRejectedNamingTheParameter() {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> ZooKeeperPrimitives.using(null, "/a"));
    assertEquals("client", e.getMessage());
    e = assertThrows(NullPointerException.class, () -> ZooKeeperPrimitives.using(client, null));
    assertEquals("basePath", e.getMessage());
    ZooKeeperPrimitives zk = ZooKeeperPrimitives.using(client, "/nulls");
    assertEquals("name", assertThrows(NullPointerException.class, () -> zk.mutex(null)).getMessage());
    assertThrows(NullPointerException.class, () -> zk.reentrantMutex(null));
    assertThrows(NullPointerException.class, () -> zk.semaphore(null, 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "relative", "/trailing/", "//double", "/a/./b", "/", "/zookeeper", "/zookeeper/x"})
  void aBasePathThatIsNotAnAbsolutePathOfOurOwnIsRejected(String basePath) {
    assertThrows(IllegalArgumentException.class, () -> ZooKeeperPrimitives.using(client, basePath));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a/b", "/a", ".", "..", "bad\u0000name"})
  void aNameThatIsNotOnePathSegmentIsRejectedAndNothingIsWritten(String name) throws Exception {
    ZooKeeperPrimitives zk = ZooKeeperPrimitives.using(client, "/badnames");
    assertThrows(IllegalArgumentException.class, () -> zk.mutex(name));
    assertThrows(IllegalArgumentException.class, () -> zk.reentrantMutex(name));
    assertThrows(IllegalArgumentException.class, () -> zk.semaphore(name, 1));
    assertNothingUnder("/badnames");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void aMaxPermitsBelowOneIsRejectedAndNothingIsWritten(int max) throws Exception {
    ZooKeeperPrimitives zk = ZooKeeperPrimitives.using(client, "/badmax");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> zk.semaphore("s", max));
    assertTrue(e.getMessage().contains("maxPermits"), e.getMessage());
    assertNothingUnder("/badmax");
  }

  @Test
  void aDifferentMaximumForAnExistingSemaphoreIsRefusedAndChangesNothing() throws Exception {
    ZooKeeperPrimitives zk = ZooKeeperPrimitives.using(client, "/maxmismatch");
    zk.semaphore("s", 2);
    byte[] before = client.getData().forPath("/maxmismatch/semaphore/s");
    ZooKeeperPrimitives other = ZooKeeperPrimitives.using(client, "/maxmismatch");
    assertThrows(IllegalArgumentException.class, () -> other.semaphore("s", 3));
    assertEquals(new String(before, java.nio.charset.StandardCharsets.US_ASCII),
        new String(client.getData().forPath("/maxmismatch/semaphore/s"), java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Test
  void anInterruptedThreadGetsAClearExceptionFromSemaphoreAndNothingIsWritten() throws Exception {
    ZooKeeperPrimitives zk = ZooKeeperPrimitives.using(client, "/interrupted");
    Thread.currentThread().interrupt();
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> zk.semaphore("s", 1));
      assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
      assertTrue(Thread.currentThread().isInterrupted(), "status kept");
    } finally {
      Thread.interrupted();
    }
    assertNothingUnder("/interrupted");
  }

  @Test
  void aClientThatIsNotStartedOrClosedIsRefused() throws Exception {
    CuratorFramework latent =
        CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryNTimes(1, 10));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ZooKeeperPrimitives.using(latent, "/x"));
    assertTrue(e.getMessage().contains("not started"), e.getMessage());

    CuratorFramework closing = ZkTesting.client(server.getConnectString());
    ZooKeeperPrimitives zk = ZooKeeperPrimitives.using(closing, "/closed");
    DistributedMutex m = zk.mutex("m");
    closing.close();
    e = assertThrows(IllegalStateException.class, () -> ZooKeeperPrimitives.using(closing, "/x"));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    assertThrows(IllegalStateException.class, m::lock);
    assertThrows(IllegalStateException.class, () -> m.tryLock(1, TimeUnit.SECONDS));
    assertThrows(IllegalStateException.class, () -> zk.semaphore("s", 1));
    assertNothingUnder("/closed");
  }
}
