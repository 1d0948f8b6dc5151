package dev.syncprims.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public surface of {@code dev.syncprims.impl} is the contract and nothing more: every public
 * method of every public class of the package (public nested classes included) is declared by an
 * interface of the API that the class implements ({@code dev.syncprims}, or {@link Lock}, {@link
 * Condition}, {@link AutoCloseable}), by {@link Object}, or is one of the few methods the class
 * documents as its own ({@link #OWN_API}, each with its reason).
 *
 * <p>Why it matters: a user can reach any public method by a cast ({@code ((QueuedMutex)
 * mutex).someMethod()}), whatever the interfaces say. A public method that is not part of the
 * contract is one that nobody checks the caller of: a hook of the waiting core that frees a lock
 * without an owner check, or hands out permits without the count, becomes a way around mutual
 * exclusion. The hooks belong on a private object, as {@code ReentrantLock} keeps its {@code Sync}.
 *
 * <p>The test also fails on an entry of {@link #OWN_API} that matches no public method, so the
 * list shrinks when the API does.
 */
class PublicSurfaceTest {

  private static final String PACKAGE = "dev.syncprims.impl";
  private static final String API_PACKAGE = "dev.syncprims";

  /** Interfaces outside the API package whose methods a public class may implement. */
  private static final Set<Class<?>> JDK_CONTRACTS = Set.of(Lock.class, Condition.class, AutoCloseable.class);

  /**
   * Public methods that no API interface declares and that the class documents as its own API.
   * Keyed by {@code SimpleName.method(ParameterTypes)} (nested classes as {@code Outer.Inner}).
   */
  private static final Map<String, String> OWN_API =
      Map.ofEntries(
          // The factory: the one entry point users need.
          factory("mutex()"),
          factory("mutex(Fairness)"),
          factory("reentrantMutex()"),
          factory("reentrantMutex(Fairness)"),
          factory("binarySemaphore(boolean)"),
          factory("binarySemaphore(boolean,Fairness)"),
          factory("countingSemaphore(int)"),
          factory("countingSemaphore(int,Fairness)"),
          factory("boundedSemaphore(int,int)"),
          factory("boundedSemaphore(int,int,Fairness)"),
          factory("mesaMonitor()"),
          factory("mesaMonitor(Fairness)"),
          factory("hoareMonitor()"),
          factory("hoareMonitor(Fairness)"),
          factory("timer()"),
          factory("timerBuilder()"),
          // The monitor seen as a Lock: its class javadoc documents these as the entry queue's.
          Map.entry(
              "QueuedMonitor.getQueueLength()",
              "the number of threads waiting to enter (documented in the class javadoc)"),
          Map.entry(
              "QueuedMonitor.hasQueuedThreads()",
              "whether threads wait to enter (documented in the class javadoc)"),
          Map.entry(
              "QueuedMonitor.hasQueuedThread(Thread)",
              "whether a thread waits to enter, as a lock's query (documented in the class javadoc)"),
          Map.entry(
              "QueuedMonitor.isLocked()",
              "whether the monitor is occupied, as a lock's query (documented in the class javadoc)"),
          Map.entry(
              "QueuedMonitor.owner()",
              "the occupant, as a lock's query (documented in the class javadoc)"),
          Map.entry(
              "QueuedMonitor.isHeldByCurrentThread()",
              "isOccupiedByCurrentThread() under a lock's name (documented in the class javadoc)"),
          Map.entry(
              "QueuedMonitor.locked()",
              "entered() under a lock's name (documented in the class javadoc)"),
          Map.entry(
              "QueuedMonitor.hasWaiters(Condition)",
              "a lock's query for one of its conditions (documented in the class javadoc)"),
          Map.entry(
              "QueuedMonitor.getWaitQueueLength(Condition)",
              "a lock's query for one of its conditions (documented in the class javadoc)"),
          // The counting semaphore's own query.
          Map.entry(
              "QueuedCountingSemaphore.isBounded()",
              "tells a bounded semaphore from an unbounded one; maxPermits() alone cannot for"
                  + " a bound of Integer.MAX_VALUE"),
          // The timer: its builder and the configuration it reports.
          Map.entry("WheelTimer.builder()", "the builder that Primitives.timerBuilder() returns"),
          Map.entry("WheelTimer.tickDuration()", "the configured resolution, for monitoring"),
          Map.entry("WheelTimer.wheelSize()", "the configured number of buckets, for monitoring"),
          Map.entry("WheelTimer.isClosed()", "whether close() was called, as ExecutorService.isShutdown"),
          Map.entry("WheelTimer.stats()", "the read-only counters for dashboards (class javadoc)"),
          Map.entry("WheelTimer.Stats.fired()", "a read-only counter of the stats snapshot"),
          Map.entry("WheelTimer.Stats.cancelled()", "a read-only counter of the stats snapshot"),
          Map.entry("WheelTimer.Stats.pending()", "a read-only counter of the stats snapshot"),
          Map.entry("WheelTimer.Stats.maxLateness()", "a read-only figure of the stats snapshot"),
          // Observability (API.md, "observability"): the cycles on demand.
          Map.entry("Deadlocks.find()", "the deadlocks among the library's primitives (API.md)"),
          Map.entry("Deadlock.threads()", "a cycle's threads (API.md)"),
          Map.entry("Deadlock.primitives()", "a cycle's primitives (API.md)"),
          Map.entry("Deadlock.suspected()", "whether a semaphore closes the cycle (API.md)"),
          builder("tickDuration(Duration)"),
          builder("tickDuration(long,TimeUnit)"),
          builder("wheelSize(int)"),
          builder("threadFactory(ThreadFactory)"),
          builder("taskExecutor(Executor)"),
          builder("exceptionHandler(UncaughtExceptionHandler)"),
          builder("maxPending(int)"),
          builder("build()"));

  private static Map.Entry<String, String> factory(String method) {
    return Map.entry("Primitives." + method, "a factory method of the API's table (API.md)");
  }

  private static Map.Entry<String, String> builder(String method) {
    return Map.entry("WheelTimer.Builder." + method, "a timer option of timerBuilder() (API.md)");
  }

  @Test
  void everyPublicMethodIsDeclaredByTheContract() {
    Map<String, String> strays = new TreeMap<>();
    Set<String> allowedSeen = new TreeSet<>();
    List<Class<?>> classes = publicClasses();
    assertTrue(
        classes.stream().anyMatch(c -> c == Primitives.class),
        "the class scan found the package: " + classes);
    for (Class<?> c : classes) {
      for (Method m : c.getMethods()) {
        if (declaredByContract(c, m)) {
          continue;
        }
        String key = key(c, m);
        if (OWN_API.containsKey(key)) {
          allowedSeen.add(key);
        } else {
          strays.put(key, "declared in " + m.getDeclaringClass().getName());
        }
      }
    }
    Set<String> stale = new TreeSet<>(OWN_API.keySet());
    stale.removeAll(allowedSeen);
    assertTrue(
        strays.isEmpty(),
        () ->
            strays.size()
                + " public method(s) of "
                + PACKAGE
                + " that no API interface declares (reachable by a cast):\n"
                + strays.entrySet().stream()
                    .map(e -> "  " + e.getKey() + "  (" + e.getValue() + ")")
                    .collect(Collectors.joining("\n")));
    assertTrue(stale.isEmpty(), () -> "allow-list entries that match no public method: " + stale);
  }

  @Test
  void noPublicFieldsButTheApiConstants() {
    List<String> fields = new ArrayList<>();
    for (Class<?> c : publicClasses()) {
      for (Field f : c.getFields()) {
        if (!f.getDeclaringClass().getPackageName().equals(API_PACKAGE)) {
          fields.add(name(c) + "." + f.getName());
        }
      }
    }
    assertEquals(List.of(), fields, "public fields of " + PACKAGE + " that the API does not declare");
  }

  @Test
  void publicConstructorsTakeOnlyWhatTheFactoryTakes() {
    // A public constructor is API too; it must not take an internal type of the package.
    List<String> internal = new ArrayList<>();
    for (Class<?> c : publicClasses()) {
      for (Constructor<?> k : c.getConstructors()) {
        for (Class<?> p : k.getParameterTypes()) {
          if (p.getPackageName().equals(PACKAGE) && !isPublicClass(p)) {
            internal.add(k.toString());
          }
        }
      }
    }
    assertEquals(List.of(), internal, "public constructors that take internal types");
  }

  @Test
  void theScanSeesNestedAndInheritedMembers() {
    // The test is only as good as its scan: check it on what must be there.
    List<Class<?>> classes = publicClasses();
    assertTrue(classes.contains(QueuedMonitor.MonitorCondition.class), classes::toString);
    assertTrue(classes.contains(WheelTimer.Builder.class), classes::toString);
    assertFalse(classes.contains(EntryQueue.class), "EntryQueue is not public");
    assertTrue(
        Arrays.stream(QueuedMutex.class.getMethods()).anyMatch(m -> m.getName().equals("lock")),
        "getMethods() lists the methods a public class inherits from a package-private one");
  }

  // -----------------------------------------------------------------------------------------

  /** Whether an interface of the contract that {@code c} implements, or Object, declares it. */
  private static boolean declaredByContract(Class<?> c, Method m) {
    if (declares(Object.class, m)) {
      return true;
    }
    for (Class<?> i : allInterfaces(c)) {
      boolean contract = i.getPackageName().equals(API_PACKAGE) || JDK_CONTRACTS.contains(i);
      if (contract && declares(i, m)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code type} has a public method with the name and parameters of {@code m} whose return
   * type {@code m}'s return type can stand for (a covariant return counts as the same method).
   */
  private static boolean declares(Class<?> type, Method m) {
    try {
      Method d = type.getMethod(m.getName(), m.getParameterTypes());
      return d.getReturnType().isAssignableFrom(m.getReturnType());
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static Set<Class<?>> allInterfaces(Class<?> c) {
    Set<Class<?>> out = new java.util.LinkedHashSet<>();
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      for (Class<?> i : k.getInterfaces()) {
        addWithSupers(i, out);
      }
    }
    return out;
  }

  private static void addWithSupers(Class<?> i, Set<Class<?>> out) {
    if (out.add(i)) {
      for (Class<?> s : i.getInterfaces()) {
        addWithSupers(s, out);
      }
    }
  }

  private static String key(Class<?> c, Method m) {
    return name(c)
        + "."
        + m.getName()
        + Arrays.stream(m.getParameterTypes())
            .map(Class::getSimpleName)
            .collect(Collectors.joining(",", "(", ")"));
  }

  /** The simple name with its enclosing classes: {@code QueuedMonitor.MonitorCondition}. */
  private static String name(Class<?> c) {
    Class<?> outer = c.getEnclosingClass();
    return outer == null ? c.getSimpleName() : name(outer) + "." + c.getSimpleName();
  }

  /** A class users can name: public, and every class enclosing it public too. */
  private static boolean isPublicClass(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers())) {
        return false;
      }
    }
    return true;
  }

  /** Every public class of the package, read from where the main classes were loaded. */
  private static List<Class<?>> publicClasses() {
    List<Class<?>> out = new ArrayList<>();
    for (String name : classNames()) {
      Class<?> c;
      try {
        c = Class.forName(name, false, Primitives.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new AssertionError("listed but not loadable: " + name, e);
      }
      if (!c.isAnonymousClass() && !c.isLocalClass() && !c.isSynthetic() && isPublicClass(c)) {
        out.add(c);
      }
    }
    return out;
  }

  private static List<String> classNames() {
    URI location;
    try {
      location = Primitives.class.getProtectionDomain().getCodeSource().getLocation().toURI();
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
    Path root = Path.of(location);
    String dir = PACKAGE.replace('.', '/');
    try {
      if (Files.isDirectory(root)) {
        return list(root.resolve(dir));
      }
      try (FileSystem jar = FileSystems.newFileSystem(root)) {
        return list(jar.getPath(dir));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".class") && !n.equals("package-info.class"))
          .map(n -> PACKAGE + "." + n.substring(0, n.length() - ".class".length()))
          .sorted()
          .collect(Collectors.toList());
    }
  }
}
