/**
 * The classic problems of concurrent programming, each written once against the {@link
 * dev.syncprims.Monitor} interface and run with both a Mesa and a Hoare monitor: {@link
 * dev.syncprims.examples.BoundedBuffer} (producers and consumers), {@link
 * dev.syncprims.examples.ReadersWriters} and {@link dev.syncprims.examples.DiningPhilosophers}.
 * Each has a {@code main} that runs it briefly under load and prints its invariant checks.
 */
@NullMarked
package dev.syncprims.examples;

import org.jspecify.annotations.NullMarked;
