package dev.syncprims.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The two strategies of {@link PendingCount}, on one thread: the bound is exact and a refused
 * admission changes nothing; the unbounded count is the schedules numbered in the slots minus
 * the cancels and the one-shot firings.
 */
class PendingCountTest {

  @Test
  void boundedAdmitsUpToItsBoundAndARefusalChangesNothing() {
    PendingCount count = PendingCount.bounded(2);
    assertTrue(count.admit());
    assertTrue(count.admit());
    assertFalse(count.admit(), "a third entry exceeds maxPending=2");
    assertEquals(2, count.count(), "the refused admission is rolled back");
    count.removed();
    assertEquals(1, count.count());
    assertTrue(count.admit(), "room again after a removal");
    assertEquals(2, count.count());
  }

  @Test
  void unboundedIsTheSchedulesInTheSlotsMinusTheRemovals() {
    WheelTimer timer = WheelTimer.builder().build(); // never scheduled on: no thread started
    TimerEntry none = new TimerEntry(timer, () -> {}, 0);
    TimerHandOff handOff = new TimerHandOff(2, none, null, null);
    AtomicLong fired = new AtomicLong();
    PendingCount count = PendingCount.unbounded(handOff, fired::get);
    assertEquals(0, count.count());
    for (int i = 0; i < 3; i++) {
      assertTrue(count.admit());
      handOff.publish(0, new TimerEntry(timer, () -> {}, 0));
    }
    handOff.publish(1, new TimerEntry(timer, () -> {}, 0));
    assertEquals(4, count.count());
    handOff.countCancel();
    count.removed();
    fired.incrementAndGet();
    assertEquals(2, count.count(), "one cancelled, one fired");
  }
}
