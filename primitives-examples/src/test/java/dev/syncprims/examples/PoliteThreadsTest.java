package dev.syncprims.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncprims.examples.PoliteThreads.Manners;
import dev.syncprims.examples.PoliteThreads.Outcome;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Livelock detected by counting, not by timing: the threads move in lockstep rounds, so each run
 * is deterministic whatever the machine's speed or load.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoliteThreadsTest {

  @Test
  void twoThreadsThatAlwaysYieldLivelock() throws InterruptedException {
    Outcome o = PoliteThreads.run(Manners.ALWAYS_YIELD, 1_000, 0);

    assertEquals(1_000, o.rounds(), "it ran out of rounds: " + o);
    assertEquals(0, o.passed(), "nobody passed: " + o);
    assertEquals(2_000, o.backOffs(), "both stepped aside in every round: " + o);
    assertEquals(0, o.collisions(), o.toString());
    assertTrue(o.livelocked(1_000), "busy without progress: " + o);
  }

  @Test
  void aRankBreaksTheSymmetry() throws InterruptedException {
    Outcome o = PoliteThreads.run(Manners.YIELD_TO_HIGHER_RANK, 1_000, 0);

    assertEquals(2, o.passed(), o.toString());
    assertEquals(2, o.rounds(), "thread 1 passes in round 1, thread 0 in round 2: " + o);
    assertEquals(1, o.backOffs(), o.toString());
    assertFalse(o.livelocked(1), o.toString());
  }

  @Test
  void chanceBreaksTheSymmetryForEverySeedTried() throws InterruptedException {
    for (long seed = 0; seed < 20; seed++) {
      Outcome o = PoliteThreads.run(Manners.RANDOM_YIELD, 1_000, seed);

      assertEquals(2, o.passed(), "seed " + seed + ": " + o);
      assertTrue(o.rounds() < 1_000, "seed " + seed + ": " + o);
      assertFalse(o.livelocked(100), "seed " + seed + ": " + o);
    }
  }

  @Test
  void theSameSeedGivesTheSameRun() throws InterruptedException {
    assertEquals(
        PoliteThreads.run(Manners.RANDOM_YIELD, 1_000, 7),
        PoliteThreads.run(Manners.RANDOM_YIELD, 1_000, 7));
  }

  @Test
  void aRunOfNoRoundsIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> PoliteThreads.run(Manners.ALWAYS_YIELD, 0, 0));
    assertEquals("maxRounds must be at least 1, was 0", e.getMessage());
  }
}
