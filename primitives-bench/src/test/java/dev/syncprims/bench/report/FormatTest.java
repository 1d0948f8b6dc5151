package dev.syncprims.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FormatTest {

  @Test
  void numbersHaveThreeSignificantDigits() {
    assertEquals("43.9", Format.number(43.861));
    assertEquals("0.0275", Format.number(0.027475));
    assertEquals("1230", Format.number(1234.5));
    assertEquals("1.00", Format.number(1.0));
    assertEquals("0", Format.number(0));
    assertEquals("?", Format.number(Double.NaN));
    assertEquals("∞", Format.number(Double.POSITIVE_INFINITY));
  }

  @Test
  void anErrorHasNoMoreDecimalsThanItsScore() {
    assertEquals("43.9 ± 1.2", Format.scoreWithError(43.861, 1.234));
    assertEquals("48.5 ± 268", Format.scoreWithError(48.5, 267.7));
    assertEquals("0.0341 ± 0.208", Format.scoreWithError(0.0341, 0.2078));
    assertEquals("43.9", Format.scoreWithError(43.861, Double.NaN));
  }

  @Test
  void ratiosHaveTwoDecimals() {
    assertEquals("1.50×", Format.ratio(1.5));
    assertEquals("0.33×", Format.ratio(1.0 / 3));
  }

  @Test
  void durationsPickTheirUnit() {
    assertEquals("602 ns", Format.nanos(602));
    assertEquals("17.4 µs", Format.nanos(17_437));
    assertEquals("12.5 ms", Format.nanos(12_500_000));
    assertEquals("2.00 s", Format.nanos(2e9));
  }

  @Test
  void ticksAndUnits() {
    assertEquals("0.1", Format.tick(0.1));
    assertEquals("2.5", Format.tick(2.5));
    assertEquals("1000", Format.tick(1000));
    assertEquals("ops/µs", Format.unit("ops/us"));
    assertEquals("ops/ms", Format.unit("ops/ms"));
  }
}
