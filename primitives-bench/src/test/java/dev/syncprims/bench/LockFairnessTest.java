package dev.syncprims.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncprims.bench.report.FairnessResult;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class LockFairnessTest {

  @Test
  void measuresEveryThreadOfAShortRun() throws InterruptedException {
    LockFairness.Entry entry =
        new LockFairness.Entry("jdkReentrantLockFair", "jdk", () -> new ReentrantLock(true));

    FairnessResult r = LockFairness.measure(entry, 2, 20, 100, 10, 10);

    assertEquals("jdkReentrantLockFair", r.lock());
    assertEquals(2, r.threads());
    assertEquals(2, r.acquisitions().size());
    assertTrue(r.totalAcquisitions() > 0, r.toString());
    assertTrue(r.measuredNanos() >= 100_000_000L, r.toString());
    assertTrue(r.longestWaitNanos() <= r.totalWaitNanos(), r.toString());
  }

  @Test
  void theTableHasTheJdksLocks() {
    assertTrue(
        LockFairness.LOCKS.stream().anyMatch(e -> e.name().equals("jdkReentrantLockNonFair")));
    assertTrue(LockFairness.LOCKS.stream().anyMatch(e -> e.name().equals("jdkReentrantLockFair")));
    LockFairness.LOCKS.forEach(e -> assertTrue(e.factory().get() != null));
  }
}
