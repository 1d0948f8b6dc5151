/**
 * The benchmark report: reads the JMH JSON files and the fairness figures of one results directory
 * and renders {@code docs/benchmarks.md} with a table and an SVG chart per family.
 *
 * <p>Run by {@code ./bench --report} (measure, then render) and {@code ./bench --render DIR}
 * (render only); the entry point is {@link dev.syncprims.bench.report.ReportRenderer}. The one
 * table to edit when a benchmark class is added is {@link dev.syncprims.bench.report.Family}.
 */
@NullMarked
package dev.syncprims.bench.report;

import org.jspecify.annotations.NullMarked;
