package dev.syncprims.bench.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Draws the chart of a {@link Report.Group} as an SVG document: throughput against thread count,
 * one line per implementation, the confidence interval as an error bar.
 *
 * <p>The thread axis is logarithmic (base 2), as the counts double; the throughput axis is linear
 * from zero, or logarithmic (base 10) when the lines differ by more than {@value #LOG_SCALE_ABOVE}×
 * (the floors of the baseline run three orders of magnitude apart). A library line has the colour
 * of the JDK line it is compared to; the JDK's lines are dashed with square markers. Every line is
 * a {@code <g>} with a {@code <title>}, so a browser names it on hover.
 *
 * <p><b>Why by hand.</b> The charting libraries on Maven Central were tried first. JFreeChart
 * (LGPL) draws well, but its usual SVG back end, JFreeSVG, is GPL-3.0, which an Apache-2.0 project
 * cannot put in its jar, and it wrote the labels of logarithmic axes as glyph outlines (150 KB for
 * a chart of five points); XChart's SVG export needs VectorGraphics2D, which has had no release
 * since 2018; Apache Batik's SVG generator brings eight artifacts (commons-io and commons-logging
 * among them) into the benchmarks jar for one kind of chart. A line chart with error bars and a
 * legend is a page of plain code: no dependency, text stays text (small files that diff well), and
 * the output is byte-for-byte the same for the same input.
 */
public final class ThroughputChart {
  /** The size of every chart, in pixels. */
  public static final int WIDTH = 760, HEIGHT = 460;

  private static final double LOG_SCALE_ABOVE = 30;

  /** Colour-blind-safe colours (Okabe and Ito), yellow left out as too pale on white. */
  private static final List<String> PALETTE =
      List.of("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000");

  private static final int LEFT = 78, RIGHT = 24, TOP = 44;
  private static final int LEGEND_ROW = 20;
  private static final double CHAR_WIDTH = 7.0; // of the 12 px legend font, generously

  private ThroughputChart() {}

  /** The chart of {@code group} as a complete SVG document. */
  public static String svg(Report.Group group) {
    List<Report.Line> lines = group.lines();
    Map<String, String> colours = colours(group);

    // The legend's rows, laid out first: the plot gets the height that is left.
    List<List<Report.Line>> legendRows = new ArrayList<>();
    double rowWidth = Double.MAX_VALUE;
    for (Report.Line line : lines) {
      double w = 40 + CHAR_WIDTH * label(line).length() + 24;
      if (rowWidth + w > WIDTH - LEFT - RIGHT) {
        legendRows.add(new ArrayList<>());
        rowWidth = 0;
      }
      legendRows.get(legendRows.size() - 1).add(line);
      rowWidth += w;
    }
    int bottom = 58 + legendRows.size() * LEGEND_ROW;
    double plotW = WIDTH - LEFT - RIGHT, plotH = HEIGHT - TOP - bottom;

    // The thread axis: log2, a quarter of a doubling of room on each side.
    List<Integer> threads = group.threads();
    double xMin = log2(threads.get(0)) - 0.25, xMax = log2(threads.get(threads.size() - 1)) + 0.25;
    Scale x = v -> LEFT + (log2(v) - xMin) / (xMax - xMin) * plotW;

    // The throughput axis.
    double min = Double.POSITIVE_INFINITY, max = 0;
    for (Report.Line line : lines) {
      for (Measurement m : line.byThreads().values()) {
        min = Math.min(min, m.score());
        max = Math.max(max, m.score() + (m.hasError() ? m.error() : 0));
      }
    }
    boolean log = min > 0 && max / min > LOG_SCALE_ABOVE;
    List<Double> ticks = new ArrayList<>();
    Scale y;
    if (log) {
      // A point just above a decade would sit on the axis: a line needs a little room below it.
      double lo = Math.floor(Math.log10(min / 1.5)), hi = Math.ceil(Math.log10(max));
      for (double e = lo; e <= hi; e++) {
        ticks.add(Math.pow(10, e));
      }
      y = v -> TOP + plotH - (Math.log10(Math.max(v, ticks.get(0))) - lo) / (hi - lo) * plotH;
    } else {
      double step = niceStep(max > 0 ? max / 5 : 1);
      double top = Math.max(step, Math.ceil(max / step) * step);
      for (double t = 0; t <= top + step / 2; t += step) {
        ticks.add(t);
      }
      y = v -> TOP + plotH - v / top * plotH;
    }

    StringBuilder svg = new StringBuilder();
    svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(HEIGHT)
        .append("\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(HEIGHT)
        .append("\" font-family=\"sans-serif\">\n");
    svg.append("<title>")
        .append(escape(group.title()))
        .append(": throughput against threads</title>\n");
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/>\n");
    text(svg, WIDTH / 2.0, 26, "middle", 16, "bold", group.title());

    // Grid and tick labels.
    for (double t : ticks) {
      double py = y.at(t);
      line(svg, LEFT, py, LEFT + plotW, py, "#DDDDDD", 1, "");
      text(svg, LEFT - 8, py + 4, "end", 12, "normal", Format.tick(t));
    }
    for (int t : threads) {
      double px = x.at(t);
      line(svg, px, TOP, px, TOP + plotH, "#DDDDDD", 1, "");
      text(svg, px, TOP + plotH + 18, "middle", 12, "normal", Integer.toString(t));
    }
    svg.append("<rect x=\"")
        .append(num(LEFT))
        .append("\" y=\"")
        .append(num(TOP))
        .append("\" width=\"")
        .append(num(plotW))
        .append("\" height=\"")
        .append(num(plotH))
        .append("\" fill=\"none\" stroke=\"#888888\"/>\n");
    text(svg, LEFT + plotW / 2, TOP + plotH + 38, "middle", 13, "normal", "threads");
    String yLabel = "throughput, " + Format.unit(group.unit()) + (log ? " (log scale)" : "");
    svg.append("<text transform=\"translate(18 ")
        .append(num(TOP + plotH / 2))
        .append(") rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">")
        .append(escape(yLabel))
        .append("</text>\n");

    // The lines: error bars, the line, the markers. The error bars of the lines are set a few
    // pixels apart, so that those at the same thread count do not hide each other.
    for (int i = 0; i < lines.size(); i++) {
      Report.Line line = lines.get(i);
      double dodge = (i - (lines.size() - 1) / 2.0) * 3;
      String colour = colours.get(line.method());
      svg.append("<g>\n<title>").append(escape(label(line))).append("</title>\n");
      StringBuilder points = new StringBuilder();
      for (Measurement m : line.byThreads().values()) {
        double px = x.at(m.threads()), py = y.at(m.score());
        if (m.hasError() && m.error() > 0) {
          double bx = px + dodge;
          double hi = y.at(m.score() + m.error()), lo = y.at(Math.max(m.score() - m.error(), 0));
          svg.append("<g stroke-opacity=\"0.55\">\n");
          line(svg, bx, hi, bx, lo, colour, 1.2, "");
          line(svg, bx - 4, hi, bx + 4, hi, colour, 1.2, "");
          line(svg, bx - 4, lo, bx + 4, lo, colour, 1.2, "");
          svg.append("</g>\n");
        }
        points.append(points.length() == 0 ? "" : " ").append(num(px)).append(',').append(num(py));
      }
      svg.append("<polyline points=\"")
          .append(points)
          .append("\" fill=\"none\" stroke=\"")
          .append(colour)
          .append("\" stroke-width=\"2.2\" stroke-linejoin=\"round\"")
          .append(line.jdk() ? " stroke-dasharray=\"7 5\"" : "")
          .append("/>\n");
      for (Measurement m : line.byThreads().values()) {
        marker(svg, x.at(m.threads()), y.at(m.score()), line.jdk(), colour);
      }
      svg.append("</g>\n");
    }

    // The legend.
    double ly = HEIGHT - bottom + 58;
    for (List<Report.Line> row : legendRows) {
      double lx = LEFT;
      for (Report.Line line : row) {
        String colour = colours.get(line.method());
        line(svg, lx, ly - 4, lx + 30, ly - 4, colour, 2.2, line.jdk() ? "7 5" : "");
        marker(svg, lx + 15, ly - 4, line.jdk(), colour);
        text(svg, lx + 38, ly, "start", 12, "normal", label(line));
        lx += 40 + CHAR_WIDTH * label(line).length() + 24;
      }
      ly += LEGEND_ROW;
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  /** Maps a value to a pixel coordinate. */
  @FunctionalInterface
  private interface Scale {
    double at(double value);
  }

  private static String label(Report.Line line) {
    return line.method() + (line.jdk() ? " (JDK)" : "");
  }

  private static void marker(
      StringBuilder svg, double px, double py, boolean square, String colour) {
    if (square) {
      svg.append("<rect x=\"")
          .append(num(px - 3.5))
          .append("\" y=\"")
          .append(num(py - 3.5))
          .append("\" width=\"7\" height=\"7\" fill=\"")
          .append(colour)
          .append("\"/>\n");
    } else {
      svg.append("<circle cx=\"")
          .append(num(px))
          .append("\" cy=\"")
          .append(num(py))
          .append("\" r=\"4\" fill=\"")
          .append(colour)
          .append("\"/>\n");
    }
  }

  private static void line(
      StringBuilder svg,
      double x1,
      double y1,
      double x2,
      double y2,
      String colour,
      double width,
      String dashes) {
    svg.append("<line x1=\"")
        .append(num(x1))
        .append("\" y1=\"")
        .append(num(y1))
        .append("\" x2=\"")
        .append(num(x2))
        .append("\" y2=\"")
        .append(num(y2))
        .append("\" stroke=\"")
        .append(colour)
        .append("\" stroke-width=\"")
        .append(num(width))
        .append('"')
        .append(dashes.isEmpty() ? "" : " stroke-dasharray=\"" + dashes + "\"")
        .append("/>\n");
  }

  private static void text(
      StringBuilder svg, double px, double py, String anchor, int size, String weight, String s) {
    svg.append("<text x=\"")
        .append(num(px))
        .append("\" y=\"")
        .append(num(py))
        .append("\" text-anchor=\"")
        .append(anchor)
        .append("\" font-size=\"")
        .append(size)
        .append('"')
        .append(weight.equals("normal") ? "" : " font-weight=\"" + weight + "\"")
        .append('>')
        .append(escape(s))
        .append("</text>\n");
  }

  /** A coordinate with one decimal, enough for a screen and stable across runs. */
  private static String num(double v) {
    String s = String.format(Locale.ROOT, "%.1f", v);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static double log2(double v) {
    return Math.log(v) / Math.log(2);
  }

  /** The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least {@code raw}. */
  static double niceStep(double raw) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double f : new double[] {1, 2, 2.5, 5, 10}) {
      if (f * magnitude >= raw) {
        return f * magnitude;
      }
    }
    return 10 * magnitude;
  }

  /**
   * A colour per line: a JDK line that is some pair's reference gets its own colour, and the first
   * library line compared to it shares it; every other line gets the next colour.
   */
  private static Map<String, String> colours(Report.Group group) {
    Map<String, String> colours = new HashMap<>();
    Set<String> shared = new HashSet<>();
    int next = 0;
    for (Family.Pair p : group.family().pairs()) {
      if (group.line(p.subject()).isEmpty() || group.line(p.reference()).isEmpty()) {
        continue;
      }
      if (!colours.containsKey(p.reference())) {
        colours.put(p.reference(), PALETTE.get(next++ % PALETTE.size()));
      }
      if (!colours.containsKey(p.subject()) && shared.add(p.reference())) {
        colours.put(p.subject(), colours.get(p.reference()));
      }
    }
    for (Report.Line line : group.lines()) {
      if (!colours.containsKey(line.method())) {
        colours.put(line.method(), PALETTE.get(next++ % PALETTE.size()));
      }
    }
    return colours;
  }
}
