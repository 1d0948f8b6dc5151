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
  void exactlyOnePhilosopherPerRoundIsRefusedAndEveryoneEatsEveryRound() throws Exception {
    boolean detectionJvm = Boolean.getBoolean("dev.syncprims.test.detectionJvm");
    assumeTrue(detectionJvm, "needs -Ddev.syncprims.deadlockDetection=true (see the pom)");
    assertTrue(Boolean.getBoolean("dev.syncprims.deadlockDetection"), "detection is off");
    for (int n : new int[] {2, 3, 5}) {
      int rounds = 20;
      DeadlockingPhilosophers.Report r = DeadlockingPhilosophers.run(n, rounds);
      assertEquals(Collections.nCopies(n, (long) rounds), r.meals(), r.toString());
      assertEquals(rounds, r.refusals(), "one refusal per round: " + r);
    }
  }
}
