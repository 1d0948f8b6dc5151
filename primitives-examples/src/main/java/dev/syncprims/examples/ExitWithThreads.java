package dev.syncprims.examples;

import dev.syncprims.Timer;
import dev.syncprims.impl.Primitives;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What a thread does to the exit of the JVM: the JVM exits when its last non-daemon thread ends
 * (or on {@code System.exit}); daemon threads are abandoned where they stand, without their
 * {@code finally} blocks. Python does the same at interpreter exit with {@code daemon=True}
 * threads. Run with one argument:
 *
 * <ul>
 *   <li>{@code non-daemon}: main starts a worker that waits for a line on standard input, and
 *       returns. The JVM stays up until the line comes and the worker ends.
 *   <li>{@code daemon}: the same worker as a daemon thread. The JVM exits when main returns; the
 *       worker never finishes.
 *   <li>{@code timer}: main schedules a task an hour ahead on {@link Primitives#timer()} and
 *       returns without closing the timer. Its worker is a daemon thread, so the JVM exits at
 *       once and the task never runs: a forgotten timer does not keep a program alive (close it
 *       when you are done all the same, to stop its thread in a long-lived program).
 * </ul>
 *
 * <p>Each mode prints {@code main returns} before main returns. Guide: chapter 7, "Threads,
 * join, and daemon threads at exit"; {@code ExitWithThreadsTest} runs each mode in a child JVM.
 */
public final class ExitWithThreads {
  /** Printed by main just before it returns. */
  public static final String MAIN_RETURNS = "main returns";

  /** Printed by the worker when it has read its line and ends. */
  public static final String WORKER_FINISHED = "worker finished";

  /** Printed by the timer's task if it ever runs. */
  public static final String TIMER_TASK_RAN = "timer task ran";

  private ExitWithThreads() {}

  public static void main(String[] args) throws InterruptedException {
    String mode = args.length == 1 ? args[0] : "";
    switch (mode) {
      case "non-daemon" -> startWorker(false);
      case "daemon" -> startWorker(true);
      case "timer" -> {
        @SuppressWarnings("resource") // left open on purpose: its daemon worker must not block exit
        Timer timer = Primitives.timer();
        timer.schedule(() -> say(TIMER_TASK_RAN), Duration.ofHours(1));
      }
      default -> {
        System.err.println("usage: ExitWithThreads non-daemon|daemon|timer");
        System.exit(2);
      }
    }
    say(MAIN_RETURNS);
  }

  private static void startWorker(boolean daemon) {
    Thread worker =
        new Thread(
            () -> {
              try {
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                    .readLine();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              say(WORKER_FINISHED);
            },
            daemon ? "daemon-worker" : "worker");
    worker.setDaemon(daemon); // before start(); a thread inherits the flag of its creator otherwise
    worker.start();
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
