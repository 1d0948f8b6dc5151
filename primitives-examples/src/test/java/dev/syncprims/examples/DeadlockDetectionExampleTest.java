package dev.syncprims.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link DeadlockingPhilosophers} with deadlock detection on: runs in a JVM of its own with {@code
 * -Ddev.syncprims.deadlockDetection=true} (the surefire execution "deadlock-detection" of this
 * module); skipped elsewhere, where its first round would hang.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeadlockDetectionExampleTest {

  @Test
  void atLeastOnePhilosopherPerRoundIsRefusedAndEveryoneEatsEveryRound() throws Exception {
    boolean detectionJvm = Boolean.getBoolean("dev.syncprims.test.detectionJvm");
    assumeTrue(detectionJvm, "needs -Ddev.syncprims.deadlockDetection=true (see the pom)");
    assertTrue(Boolean.getBoolean("dev.syncprims.deadlockDetection"), "detection is off");
    for (int n : new int[] {2, 3, 5}) {
      int rounds = 20;
      DeadlockingPhilosophers.Report r = DeadlockingPhilosophers.run(n, rounds);
      assertEquals(Collections.nCopies(n, (long) rounds), r.meals(), r.toString());
      // Every round closes a cycle, so at least one refusal per round; more than one when a
      // refused philosopher takes its fork back before its neighbour has queued (see the class).
      assertTrue(r.refusals() >= rounds, "at least one refusal per round: " + r);
    }
  }
}
