package dev.syncprims.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ThroughputChartTest {
  private static List<Report.Group> groups;

  @BeforeAll
  static void load() throws IOException {
    groups = Report.groups(RunData.load(Fixture.directory()).measurements());
  }

  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> texts(Document d) {
    NodeList nodes = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      texts.add(nodes.item(i).getTextContent());
    }
    return texts;
  }

  @Test
  void isAWellFormedSvgDocumentWithALinePerImplementation() throws Exception {
    Report.Group mutex = groups.get(1);
    Document d = parse(ThroughputChart.svg(mutex));

    Element root = d.getDocumentElement();
    assertEquals("svg", root.getLocalName());
    assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());
    NodeList polylines = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline");
    assertEquals(mutex.lines().size(), polylines.getLength());
    int dashed = 0;
    for (int i = 0; i < polylines.getLength(); i++) {
      Element p = (Element) polylines.item(i);
      assertEquals(2, p.getAttribute("points").split(" ").length); // 1 and 2 threads
      dashed += p.hasAttribute("stroke-dasharray") ? 1 : 0;
    }
    assertEquals(3, dashed); // the three JDK lines
    List<String> texts = texts(d);
    assertTrue(texts.contains("Mutex (work=0)"), texts.toString());
    assertTrue(texts.contains("primitivesBarging"), texts.toString());
    assertTrue(texts.contains("jdkSynchronized (JDK)"), texts.toString());
    assertTrue(texts.contains("threads"), texts.toString());
    assertTrue(texts.contains("throughput, ops/µs"), texts.toString());
  }

  @Test
  void linesThatDifferByOrdersOfMagnitudeGetALogScale() throws Exception {
    List<String> texts = texts(parse(ThroughputChart.svg(groups.get(0))));

    assertTrue(texts.contains("throughput, ops/µs (log scale)"), texts.toString());
    assertTrue(texts.containsAll(List.of("0.01", "0.1", "1", "10", "100")), texts.toString());
  }

  @Test
  void aPairSharesItsColour() throws Exception {
    Document d = parse(ThroughputChart.svg(groups.get(1)));
    NodeList polylines = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline");
    // Lines in order: primitivesBarging, primitivesFifo, jdkReentrantLockNonFair,
    // jdkReentrantLockFair, ...
    String barging = ((Element) polylines.item(0)).getAttribute("stroke");
    String fifo = ((Element) polylines.item(1)).getAttribute("stroke");
    assertEquals(barging, ((Element) polylines.item(2)).getAttribute("stroke"));
    assertEquals(fifo, ((Element) polylines.item(3)).getAttribute("stroke"));
    assertTrue(!barging.equals(fifo));
  }

  @Test
  void theSameInputGivesTheSameBytes() {
    assertEquals(ThroughputChart.svg(groups.get(1)), ThroughputChart.svg(groups.get(1)));
  }

  @Test
  void niceSteps() {
    assertEquals(10.0, ThroughputChart.niceStep(9.2), 1e-12);
    assertEquals(2.5, ThroughputChart.niceStep(2.1), 1e-12);
    assertEquals(0.05, ThroughputChart.niceStep(0.031), 1e-12);
  }

  @Test
  void escapesText() {
    assertEquals("a &lt;b&gt; &amp; &quot;c&quot;", ThroughputChart.escape("a <b> & \"c\""));
  }
}
