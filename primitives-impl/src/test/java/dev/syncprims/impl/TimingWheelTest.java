package dev.syncprims.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The timer's hierarchical wheel on its own: a fake clock (tick numbers), no threads. Every node
 * is reported exactly once, at its own tick, in tick order, whatever the jumps of the clock.
 */
class TimingWheelTest {

  private static final long START = 1_000_000L;
  private static final long TICK = 1_000L;

  /** A node that records when it was reported. */
  private static final class TestNode extends TimingWheel.Node {
    final int id;
    long reportedAt = -1;
    int reports;

    TestNode(int id, long deadline) {
      this.id = id;
      this.deadline = deadline;
    }
  }

  private static TestNode dueAtTick(int id, long tick) {
    return new TestNode(id, START + tick * TICK);
  }

  /** Records the reports; checks they come in tick order. */
  private static final class Recorder implements TimingWheel.Expiry<TestNode> {
    final List<TestNode> reported = new ArrayList<>();
    long last = Long.MIN_VALUE;

    @Override
    public void expired(TestNode node, long tick) {
      assertTrue(tick >= last, "reports in tick order");
      assertFalse(node.isLinked(), "unlinked before it is reported");
      last = tick;
      node.reportedAt = tick;
      node.reports++;
      reported.add(node);
    }
  }

  @Test
  void eachNodeIsReportedOnceAtItsOwnTickWhateverTheJumps() {
    for (int wheelSize : new int[] {1, 2, 64, 512}) {
      SplittableRandom random = new SplittableRandom(wheelSize);
      TimingWheel<TestNode> wheel = new TimingWheel<>(START, TICK, wheelSize);
      Recorder r = new Recorder();
      List<TestNode> nodes = new ArrayList<>();
      long horizon = 1L << 24;
      for (int i = 0; i < 20_000; i++) {
        // Deadlines anywhere from the next tick to 2^24 ticks away, some on tick boundaries,
        // some in between (rounded up).
        long offset = random.nextLong(TICK, horizon * TICK);
        TestNode n = new TestNode(i, START + (random.nextBoolean() ? offset - offset % TICK : offset));
        nodes.add(n);
        wheel.link(n);
      }
      assertEquals(nodes.size(), wheel.size());
      long t = 0;
      while (!wheel.isEmpty()) {
        t += random.nextLong(1, 1L << random.nextInt(1, 22));
        wheel.advance(t, r);
        // Some nodes linked along the way, from the current tick.
        if (random.nextInt(8) == 0) {
          TestNode n = dueAtTick(nodes.size(), t + random.nextLong(1, 1L << 20));
          nodes.add(n);
          wheel.link(n);
        }
      }
      for (TestNode n : nodes) {
        assertEquals(1, n.reports, "node " + n.id + " (wheel size " + wheelSize + ")");
        assertEquals(wheel.tickOf(n.deadline), n.reportedAt, "node " + n.id + " at its own tick");
      }
      assertEquals(Long.MAX_VALUE, wheel.nextEventTick());
    }
  }

  @Test
  void unlinkFromEveryLevelLeavesTheWheelEmpty() {
    TimingWheel<TestNode> wheel = new TimingWheel<>(START, TICK, 512);
    List<TestNode> nodes = new ArrayList<>();
    for (int shift = 0; shift < 62; shift++) {
      TestNode n = dueAtTick(shift, 1L << shift);
      nodes.add(n);
      wheel.link(n);
      assertTrue(n.isLinked());
    }
    for (TestNode n : nodes) {
      wheel.unlink(n);
      assertFalse(n.isLinked());
    }
    assertTrue(wheel.isEmpty());
    assertEquals(Long.MAX_VALUE, wheel.nextEventTick(), "no bucket is left marked occupied");
    Recorder r = new Recorder();
    wheel.advance(1L << 40, r);
    assertTrue(r.reported.isEmpty());
  }

  /**
   * 100,000 nodes due one to two hours away (1 ms ticks, 512 buckets): until the first of them
   * is due, the wheel has only a handful of events, and each node moves down a level at most
   * once per level. The flat wheel visited every occupied bucket once per turn of 512 ms.
   */
  @Test
  void farOffNodesCostNothingUntilTheyComeNear() {
    TimingWheel<TestNode> wheel = new TimingWheel<>(START, 1_000_000L, 512);
    SplittableRandom random = new SplittableRandom(7);
    long hour = 3_600_000L; // ticks of 1 ms
    long firstDue = Long.MAX_VALUE;
    for (int i = 0; i < 100_000; i++) {
      long tick = random.nextLong(hour, 2 * hour);
      firstDue = Math.min(firstDue, tick);
      wheel.link(new TestNode(i, START + tick * 1_000_000L));
    }
    Recorder r = new Recorder();
    int events = 0;
    for (long next = wheel.nextEventTick(); next < firstDue; next = wheel.nextEventTick()) {
      wheel.advance(next, r);
      events++;
    }
    assertTrue(r.reported.isEmpty(), "nothing is due before the first deadline");
    assertTrue(events < 200, events + " wake-ups in the first hour");
    while (!wheel.isEmpty()) {
      wheel.advance(wheel.nextEventTick(), r);
    }
    assertEquals(100_000, r.reported.size());
    for (TestNode n : r.reported) {
      assertEquals(wheel.tickOf(n.deadline), n.reportedAt);
    }
  }

  @Test
  void aNodeDueInThePastIsReportedAtTheNextTick() {
    TimingWheel<TestNode> wheel = new TimingWheel<>(START, TICK, 8);
    Recorder r = new Recorder();
    wheel.advance(100, r);
    TestNode late = dueAtTick(1, 50);
    wheel.link(late);
    assertEquals(101, wheel.nextEventTick());
    wheel.advance(101, r);
    assertEquals(101, late.reportedAt);
  }

  @Test
  void aNodeLinkedAgainWhileItIsReportedIsReportedAgainLater() {
    TimingWheel<TestNode> wheel = new TimingWheel<>(START, TICK, 16);
    TestNode periodic = dueAtTick(1, 5);
    wheel.link(periodic);
    List<Long> at = new ArrayList<>();
    TimingWheel.Expiry<TestNode> rearm = (n, tick) -> {
      at.add(tick);
      if (at.size() < 4) {
        n.deadline += 100 * TICK; // next run 100 ticks on: from another level
        wheel.link(n);
      }
    };
    wheel.advance(10_000, rearm);
    assertEquals(List.of(5L, 105L, 205L, 305L), at);
    assertTrue(wheel.isEmpty());
  }

  @Test
  void aNodeLinkedAgainForTheTickBeingExpiredWaitsForTheNextTick() {
    TimingWheel<TestNode> wheel = new TimingWheel<>(START, TICK, 16);
    TestNode n0 = dueAtTick(1, 5);
    wheel.link(n0);
    List<Long> at = new ArrayList<>();
    wheel.advance(7, (n, tick) -> {
      at.add(tick);
      if (at.size() == 1) {
        wheel.link(n); // same deadline: due already
      }
    });
    assertEquals(List.of(5L, 6L), at);
  }

  @Test
  void saturatedDeadlinesStayLinked() {
    TimingWheel<TestNode> wheel = new TimingWheel<>(START, 1L, 512);
    TestNode never = new TestNode(1, saturated(START));
    wheel.link(never);
    Recorder r = new Recorder();
    wheel.advance(1L << 50, r);
    assertTrue(r.reported.isEmpty());
    assertTrue(never.isLinked());
    assertTrue(wheel.nextEventTick() > (1L << 50));
    wheel.unlink(never);
    assertTrue(wheel.isEmpty());
  }

  /** The deadline Long.MAX_VALUE nanoseconds after {@code start}, wrapped around. */
  private static long saturated(long start) {
    return start + Long.MAX_VALUE;
  }

  @Test
  void clearReportsEveryNode() {
    TimingWheel<TestNode> wheel = new TimingWheel<>(START, TICK, 4);
    for (int i = 0; i < 1_000; i++) {
      wheel.link(dueAtTick(i, 1L + i * 977L));
    }
    Recorder r = new Recorder();
    wheel.clear((n, tick) -> r.reported.add(n));
    assertEquals(1_000, r.reported.size());
    assertTrue(wheel.isEmpty());
    assertEquals(Long.MAX_VALUE, wheel.nextEventTick());
  }

  @Test
  void levelsSpanSixtyThreeBits() {
    assertEquals(1 + 11, new TimingWheel<TestNode>(START, TICK, 1).levels());
    assertEquals(1 + 9, new TimingWheel<TestNode>(START, TICK, 512).levels());
    assertEquals(1 + 8, new TimingWheel<TestNode>(START, TICK, 1 << 20).levels());
  }
}
