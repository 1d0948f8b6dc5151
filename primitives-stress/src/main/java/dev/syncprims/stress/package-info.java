/**
 * The jcstress suite of the library: tests that only many runs on real cores can show (mutual
 * exclusion, no lost wake-up, permit conservation, the Hoare hand-off, exactly-once timer
 * cancellation). Files are named {@code Topic_Property}; every outcome that must never happen is
 * {@code FORBIDDEN} with a description.
 */
@NullMarked
package dev.syncprims.stress;

import org.jspecify.annotations.NullMarked;
