/**
 * The JMH benchmarks of the library. Every figure is meant to be read as a ratio to its {@code
 * java.util.concurrent} (or JDK) counterpart measured in the same run.
 */
@NullMarked
package dev.syncprims.bench;

import org.jspecify.annotations.NullMarked;
