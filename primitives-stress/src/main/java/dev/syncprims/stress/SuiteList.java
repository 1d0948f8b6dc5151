package dev.syncprims.stress;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.openjdk.jcstress.infra.TestInfo;
import org.openjdk.jcstress.infra.runners.TestList;

/**
 * Prints every test class of the suite that matches a regular expression, one per line, as the
 * number of threads it runs, a space, and its name: {@code 3 dev.syncprims.stress.Foo.Bar}. The
 * {@code stress} script uses it to tell which test classes jcstress did not run because the
 * machine has fewer CPUs than they have actors: jcstress itself leaves them out of its results
 * without naming them.
 *
 * <p>Run with the suite's jar on the class path: {@code java -cp
 * primitives-stress/target/jcstress.jar dev.syncprims.stress.SuiteList [regexp]}. The regular
 * expression is matched as jcstress's {@code -t} matches it (anywhere in the name); without one,
 * every test is listed.
 */
public final class SuiteList {
  private SuiteList() {}

  /**
   * Lists the matching tests.
   *
   * @param args an optional regular expression
   */
  public static void main(String[] args) {
    Pattern filter = Pattern.compile(args.length > 0 ? args[0] : ".*");
    TreeMap<String, Integer> threads = new TreeMap<>();
    for (String name : TestList.tests()) {
      if (filter.matcher(name).find()) {
        TestInfo info = TestList.getInfo(name);
        threads.put(name, info.threads());
      }
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    threads.forEach((name, n) -> out.println(n + " " + name));
  }
}
