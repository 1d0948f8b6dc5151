package dev.syncprims.bench.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** How numbers are written in the report: three significant digits, no exponent. */
final class Format {
  private Format() {}

  /** {@code 43.861 -> "43.9"}, {@code 0.027475 -> "0.0275"}, {@code 1234.5 -> "1230"}. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "?";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "∞" : "-∞";
    }
    if (v == 0) {
      return "0";
    }
    return rounded(v).toPlainString();
  }

  /**
   * A score and its error, each to three significant digits but the error to no more decimals than
   * the score: {@code "43.9 ± 1.2"}, {@code "48.5 ± 268"}.
   */
  static String scoreWithError(double score, double error) {
    String s = number(score);
    if (Double.isNaN(error) || Double.isInfinite(error)) {
      return s;
    }
    if (error == 0) {
      return s + " ± 0";
    }
    BigDecimal e = rounded(error);
    if (!Double.isNaN(score) && !Double.isInfinite(score) && score != 0) {
      int scale = rounded(score).scale();
      if (e.scale() > scale) {
        e = e.setScale(scale, RoundingMode.HALF_UP);
      }
    }
    return s + " ± " + e.toPlainString();
  }

  /**
   * An axis label: as few digits as the value needs, {@code 0.1 -> "0.1"}, {@code 2.5 -> "2.5"}.
   */
  static String tick(double v) {
    if (v == 0) {
      return "0";
    }
    BigDecimal b =
        new BigDecimal(v).round(new MathContext(6, RoundingMode.HALF_UP)).stripTrailingZeros();
    return b.scale() < 0
        ? b.setScale(0, RoundingMode.UNNECESSARY).toPlainString()
        : b.toPlainString();
  }

  /** A ratio with two decimals: {@code "1.07×"}. */
  static String ratio(double r) {
    return BigDecimal.valueOf(r).setScale(2, RoundingMode.HALF_UP).toPlainString() + "×";
  }

  /**
   * A duration in the unit that keeps it between 1 and 1000: {@code "12.3 µs"}, {@code "4.56 ms"}.
   */
  static String nanos(double nanos) {
    if (nanos < 1e3) {
      return number(nanos) + " ns";
    } else if (nanos < 1e6) {
      return number(nanos / 1e3) + " µs";
    } else if (nanos < 1e9) {
      return number(nanos / 1e6) + " ms";
    }
    return number(nanos / 1e9) + " s";
  }

  /** JMH's unit with the micro sign: {@code "ops/us" -> "ops/µs"}. */
  static String unit(String jmhUnit) {
    return jmhUnit.endsWith("/us") ? jmhUnit.substring(0, jmhUnit.length() - 2) + "µs" : jmhUnit;
  }

  /** {@code v} to three significant digits, trailing zeros kept ({@code 1.00}), no exponent. */
  private static BigDecimal rounded(double v) {
    BigDecimal b = new BigDecimal(v).round(new MathContext(3, RoundingMode.HALF_UP));
    int leadingDigit = b.precision() - b.scale() - 1; // the power of ten of the first digit
    return b.setScale(Math.max(0, 2 - leadingDigit), RoundingMode.HALF_UP);
  }
}
