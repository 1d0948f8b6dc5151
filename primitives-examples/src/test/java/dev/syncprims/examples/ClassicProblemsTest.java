package dev.syncprims.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncprims.Fairness;
import dev.syncprims.Monitor;
import dev.syncprims.Monitor.Semantics;
import dev.syncprims.impl.Primitives;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The classic problems under load, with both semantics and both fairness modes: each run checks
 * its invariants (see the {@code run} method of each example). A few hundred milliseconds each.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClassicProblemsTest {

  static Stream<Arguments> monitors() {
    List<Arguments> all = new ArrayList<>();
    for (Semantics s : Semantics.values()) {
      for (Fairness f : Fairness.values()) {
        all.add(Arguments.of(s, f));
      }
    }
    return all.stream();
  }

  private static Monitor monitor(Semantics s, Fairness f) {
    return s == Semantics.MESA ? Primitives.mesaMonitor(f) : Primitives.hoareMonitor(f);
  }

  @ParameterizedTest
  @MethodSource("monitors")
  void boundedBufferConservesItemsInOrderPerProducer(Semantics s, Fairness f) throws Exception {
    for (int pairs : new int[] {1, 2, 4}) {
      Monitor m = monitor(s, f);
      BoundedBuffer.Report r = BoundedBuffer.run(m, pairs, 4, 5_000);
      assertTrue(r.ok(), r + " on " + m);
      assertEquals((long) pairs * 5_000, r.consumed());
      assertEquals(0, ((dev.syncprims.impl.QueuedMonitor) m).getQueueLength());
    }
  }

  @Test
  void boundedBufferRejectsAZeroCapacity() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BoundedBuffer<String>(Primitives.mesaMonitor(), 0));
    assertEquals("capacity must be at least 1, was 0", e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("monitors")
  void readersWritersNeverLetAWriterInWithAnyoneElse(Semantics s, Fairness f) throws Exception {
    ReadersWriters.Report r = ReadersWriters.run(monitor(s, f), 4, 2, 300);
    assertTrue(r.ok(), r.toString());
    assertTrue(r.reads() > 0 && r.writes() > 0, "both sides made progress: " + r);
  }

  @ParameterizedTest
  @MethodSource("monitors")
  void philosophersNeverEatBesideANeighbourAndAllEat(Semantics s, Fairness f) throws Exception {
    DiningPhilosophers.Report r = DiningPhilosophers.run(monitor(s, f), 5, 300);
    assertTrue(r.ok(), r.toString());
  }

  @Test
  void theMainsRun() throws Exception {
    BoundedBuffer.main(new String[0]);
    ReadersWriters.main(new String[0]);
    DiningPhilosophers.main(new String[0]);
  }
}
