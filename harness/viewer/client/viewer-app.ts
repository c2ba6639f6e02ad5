/// <reference lib="dom" />
/**
 * The viewer page's script, bundled with d3 into the page by `harness/viewer/page.ts`. It reads
 * the view model that the page carries as JSON and draws one run: a lane per node over
 * simulated time, messages as arrows, faults as bands, marks on the lanes. It only draws:
 * everything it shows was worked out in `view-model.ts`, where tests check it without a
 * browser.
 *
 * Only what is in view is drawn, and at most `drawnMax` arrows at once, so a run of 100,000
 * events pans and zooms as smoothly as one of 100.
 */
import { axisTop } from "d3-axis";
import { scaleLinear, type ScaleLinear } from "d3-scale";
import { select, type Selection } from "d3-selection";
import { zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior } from "d3-zoom";
import type { TraceEvent } from "../../simulation/trace.js";
import type { ViewMark, ViewMessage, ViewModel, ViewRun } from "../view-model.js";

/** Beyond this many arrows in view, the page asks to zoom in rather than draw a smear. */
const drawnMax = 3_000;
const laneHeightPx = 56;
const marginPx = { top: 34, left: 64, right: 16, bottom: 12 };

interface ViewerApi {
  /** The current time scale: simulated ms → x pixels. Read by the browser tests. */
  x(timeMs: number): number;
  run(): ViewRun;
  select(eventIndex: number): void;
  zoomTo(fromMs: number, toMs: number): void;
  /** How long the last redraw took, in ms, and how many arrows it drew. */
  lastDraw: { durationMs: number; arrows: number };
}

declare global {
  interface Window {
    viewer: ViewerApi;
  }
}

const model = JSON.parse(document.getElementById("trace-data")!.textContent!) as ViewModel;

let runIndex = Math.max(0, model.runs.length - 1);
let run = model.runs[runIndex]!;
let selected: number | undefined;
const hiddenNodes = new Set<string>();
const hiddenTypes = new Set<string>();

const root = select<HTMLElement, unknown>("#viewer");
const svg = root.select<SVGSVGElement>("svg.timeline");
const details = select<HTMLElement, unknown>("#details");

let baseX: ScaleLinear<number, number> = scaleLinear();
let x: ScaleLinear<number, number> = scaleLinear();
let behaviour: ZoomBehavior<SVGSVGElement, unknown> | undefined;
let pending = false;
const lastDraw = { durationMs: 0, arrows: 0 };

window.viewer = {
  x: (timeMs) => x(timeMs),
  run: () => run,
  select: (eventIndex) => selectEvent(eventIndex),
  zoomTo: (fromMs, toMs) => zoomTo(fromMs, toMs),
  lastDraw,
};

setUpHeader();
setUpRun();
window.addEventListener("resize", () => setUpRun(true));
document.addEventListener("keydown", (event) => {
  if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) return;
  if (event.key === "ArrowRight" || event.key === "n") step(+1);
  if (event.key === "ArrowLeft" || event.key === "p") step(-1);
  if (event.key === "f") jumpToFailure();
});

function setUpHeader(): void {
  const header = root.select("header");
  header.select(".title").text(model.title);
  header
    .select(".verdict")
    .classed("failed", !model.passed)
    .text(model.passed ? "passed" : "failed");
  header.select(".subtitle").text(`seed ${model.seed} · ${model.test}`);
  const runs = header.select<HTMLSelectElement>("select.runs");
  runs
    .style("display", model.runs.length > 1 ? "inline-block" : "none")
    .selectAll("option")
    .data(model.runs)
    .join("option")
    .attr("value", (_, index) => index)
    .text(
      (candidate, index) =>
        `run ${index + 1}: ${candidate.name} (${candidate.events.length} events)`,
    );
  runs.property("value", runIndex);
  runs.on("change", () => {
    runIndex = Number(runs.property("value"));
    run = model.runs[runIndex]!;
    selected = undefined;
    hiddenNodes.clear();
    hiddenTypes.clear();
    setUpRun();
  });
  header.select("button.failure").on("click", () => jumpToFailure());
  header.select("button.previous").on("click", () => step(-1));
  header.select("button.next").on("click", () => step(+1));
  header.select("button.whole").on("click", () => zoomTo(run.startMs, run.endMs));
}

/** Lays out the current run: scales, lanes, filters, zoom. */
function setUpRun(keepView = false): void {
  const width = Math.max(480, (svg.node()!.parentElement?.clientWidth ?? 960) - 2);
  const lanes = visibleNodes();
  const height = marginPx.top + lanes.length * laneHeightPx + marginPx.bottom;
  svg.attr("width", width).attr("height", height);
  const view = keepView ? x.domain() : undefined;
  baseX = scaleLinear()
    .domain([run.startMs, run.endMs])
    .range([marginPx.left, width - marginPx.right]);
  x = baseX.copy();
  setUpFilters();
  svg.selectAll("*").remove();
  svg
    .append("defs")
    .html(
      `<marker id="head" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L8,4 L0,8 z"/></marker>` +
        `<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="3" height="6"/></pattern>`,
    );
  for (const layer of [
    "bands",
    "lanes",
    "downtimes",
    "arrows",
    "marks",
    "failure",
    "axis",
    "notice",
  ])
    svg.append("g").attr("class", `layer-${layer}`);
  behaviour = zoom<SVGSVGElement, unknown>()
    .scaleExtent([1, Math.max(2, (run.endMs - run.startMs) * 20)])
    .translateExtent([
      [marginPx.left, 0],
      [width - marginPx.right, height],
    ])
    .extent([
      [marginPx.left, 0],
      [width - marginPx.right, height],
    ])
    .on("zoom", (event: D3ZoomEvent<SVGSVGElement, unknown>) => {
      x = event.transform.rescaleX(baseX);
      scheduleDraw();
    });
  svg.call(behaviour).on("dblclick.zoom", null);
  if (view !== undefined) zoomTo(view[0]!, view[1]!);
  else draw();
}

function visibleNodes(): string[] {
  return run.nodes.filter((node) => !hiddenNodes.has(node));
}

function laneY(node: string): number | undefined {
  const index = visibleNodes().indexOf(node);
  return index < 0 ? undefined : marginPx.top + index * laneHeightPx + laneHeightPx / 2;
}

function setUpFilters(): void {
  const nodes = select("#filters .nodes");
  nodes
    .selectAll("label")
    .data(run.nodes)
    .join("label")
    .html((node) => `<input type="checkbox" data-node="${node}"> ${node}`)
    .select("input")
    .property("checked", (node) => !hiddenNodes.has(node))
    .on("change", function (_, node) {
      if ((this as HTMLInputElement).checked) hiddenNodes.delete(node);
      else hiddenNodes.add(node);
      setUpRun(true);
    });
  const types = [...new Set(run.messages.map((message) => message.type))].sort();
  select("#filters .types")
    .selectAll("label")
    .data(types)
    .join("label")
    .html((type) => `<input type="checkbox" data-type="${type}"> ${type}`)
    .select("input")
    .property("checked", (type) => !hiddenTypes.has(type))
    .on("change", function (_, type) {
      if ((this as HTMLInputElement).checked) hiddenTypes.delete(type);
      else hiddenTypes.add(type);
      draw();
    });
}

function scheduleDraw(): void {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    draw();
  });
}

function draw(): void {
  const started = performance.now();
  const [fromMs, toMs] = x.domain() as [number, number];
  const lanes = visibleNodes();
  const left = marginPx.left;
  const right = Number(svg.attr("width")) - marginPx.right;
  const clip = (value: number): number => Math.min(right, Math.max(left, value));

  svg
    .select<SVGGElement>(".layer-axis")
    .attr("transform", `translate(0,${marginPx.top - 8})`)
    .call(
      axisTop(x)
        .ticks(Math.max(2, Math.floor((right - left) / 90)))
        .tickFormat((value) => `${value} ms`),
    );

  svg
    .select(".layer-lanes")
    .selectAll<SVGGElement, string>("g.lane")
    .data(lanes, (node) => node)
    .join((enter) => {
      const lane = enter.append("g").attr("class", "lane");
      lane.append("line");
      lane.append("text").attr("class", "lane-name");
      return lane;
    })
    .attr("data-node", (node) => node)
    .each(function (node) {
      const y = laneY(node)!;
      const lane = select(this);
      lane.select("line").attr("x1", left).attr("x2", right).attr("y1", y).attr("y2", y);
      lane
        .select("text")
        .attr("x", 8)
        .attr("y", y + 4)
        .text(node);
    });

  // A band between two neighbouring lanes whose nodes could not reach each other.
  const bands = run.partitions.flatMap((partition, index) => {
    if (partition.toMs < fromMs || partition.fromMs > toMs) return [];
    const pairs: Array<{
      key: string;
      partition: number;
      upper: string;
      lower: string;
      oneWay: boolean;
      onLane?: boolean;
    }> = [];
    const banded = new Set<number>();
    for (let lane = 0; lane + 1 < lanes.length; lane++) {
      const upper = lanes[lane]!;
      const lower = lanes[lane + 1]!;
      const down = partition.blocked.filter(
        ([from, to]) => (from === upper && to === lower) || (from === lower && to === upper),
      ).length;
      if (down > 0) banded.add(lane);
      if (down > 0)
        pairs.push({
          key: `${index}:${upper}`,
          partition: index,
          upper,
          lower,
          oneWay: down === 1,
        });
    }
    // A link cut between lanes that are not neighbours, with no band between them to show it
    // (a one-way `cut n1 → n3`, say), is drawn over the lane of the node that stops hearing.
    const deaf = new Set<string>();
    for (const [from, to] of partition.blocked) {
      const [low, high] = [lanes.indexOf(from), lanes.indexOf(to)].sort((a, b) => a - b) as [
        number,
        number,
      ];
      if (low < 0) continue;
      let shown = false;
      for (let lane = low; lane < high && !shown; lane++) shown = banded.has(lane);
      if (!shown && !deaf.has(to)) {
        deaf.add(to);
        pairs.push({
          key: `${index}:on:${to}`,
          partition: index,
          upper: to,
          lower: from,
          oneWay: true,
          onLane: true,
        });
      }
    }
    return pairs;
  });
  svg
    .select(".layer-bands")
    .selectAll<SVGRectElement, (typeof bands)[number]>("rect.partition-band")
    .data(bands, (band) => band.key)
    .join("rect")
    .attr(
      "class",
      (band) =>
        `partition-band${band.oneWay ? " one-way" : ""}${band.onLane === true ? " on-lane" : ""}`,
    )
    .attr("data-from-ms", (band) => run.partitions[band.partition]!.fromMs)
    .attr("data-to-ms", (band) => run.partitions[band.partition]!.toMs)
    .attr("data-between", (band) =>
      band.onLane === true ? `${band.lower} → ${band.upper}` : `${band.upper} ${band.lower}`,
    )
    .attr("x", (band) => clip(x(run.partitions[band.partition]!.fromMs)))
    .attr("width", (band) =>
      Math.max(
        0,
        clip(x(run.partitions[band.partition]!.toMs)) -
          clip(x(run.partitions[band.partition]!.fromMs)),
      ),
    )
    .attr("y", (band) => laneY(band.upper)! + (band.onLane === true ? -10 : laneHeightPx / 2 - 6))
    .attr("height", (band) => (band.onLane === true ? 20 : 12))
    .on("click", (_, band) =>
      showText("partition", run.partitions[band.partition]!.description, band.partition),
    );
  svg
    .select(".layer-bands")
    .selectAll<SVGTitleElement, (typeof bands)[number]>("rect.partition-band")
    .selectAll("title")
    .data((band) => [band])
    .join("title")
    .text((band) => {
      const partition = run.partitions[band.partition]!;
      return `${partition.description} · ${formatMs(partition.fromMs)}–${formatMs(partition.toMs)} ms`;
    });

  // While links are down, the lanes of nodes that can still talk to each other share a tint,
  // so "n2 and n4 are cut off from the rest" reads at a glance.
  const tints = run.partitions.flatMap((partition, index) => {
    if (partition.toMs < fromMs || partition.fromMs > toMs) return [];
    const groups = groupsOf(lanes, partition.blocked);
    if (new Set(groups.values()).size < 2) return [];
    return lanes.map((node) => ({
      key: `${index}:${node}`,
      partition: index,
      node,
      group: groups.get(node)!,
    }));
  });
  svg
    .select(".layer-bands")
    .selectAll<SVGRectElement, (typeof tints)[number]>("rect.side-tint")
    .data(tints, (tint) => tint.key)
    .join("rect")
    .attr("class", (tint) => `side-tint side-${tint.group % 4}`)
    .attr("data-node", (tint) => tint.node)
    .attr("x", (tint) => clip(x(run.partitions[tint.partition]!.fromMs)))
    .attr("width", (tint) =>
      Math.max(
        0,
        clip(x(run.partitions[tint.partition]!.toMs)) -
          clip(x(run.partitions[tint.partition]!.fromMs)),
      ),
    )
    .attr("y", (tint) => laneY(tint.node)! - 12)
    .attr("height", 24)
    .lower();

  svg
    .select(".layer-downtimes")
    .selectAll<SVGRectElement, ViewRun["downtimes"][number]>("rect.downtime")
    .data(
      run.downtimes.filter((downtime) => laneY(downtime.node) !== undefined),
      (downtime) => `${downtime.node}:${downtime.fromMs}`,
    )
    .join("rect")
    .attr("class", "downtime")
    .attr("data-node", (downtime) => downtime.node)
    .attr("x", (downtime) => clip(x(downtime.fromMs)))
    .attr("width", (downtime) => Math.max(0, clip(x(downtime.toMs)) - clip(x(downtime.fromMs))))
    .attr("y", (downtime) => laneY(downtime.node)! - 6)
    .attr("height", 12);

  const inView = run.messages.filter(
    (message) =>
      message.endedMs >= fromMs &&
      message.sentMs <= toMs &&
      !hiddenTypes.has(message.type) &&
      laneY(message.from) !== undefined &&
      laneY(message.to) !== undefined,
  );
  const drawn = inView.length <= drawnMax ? inView : [];
  svg
    .select(".layer-arrows")
    .selectAll<SVGLineElement, ViewMessage>("line.arrow")
    .data(drawn, (message) => `${message.send}:${message.end ?? "-"}`)
    .join("line")
    .attr(
      "class",
      (message) =>
        `arrow ${message.outcome.replace(" ", "-")}${message.duplicate ? " duplicate" : ""}${message.end === selected || message.send === selected ? " selected" : ""}`,
    )
    .attr("data-type", (message) => message.type)
    .attr("data-from", (message) => message.from)
    .attr("data-to", (message) => message.to)
    .attr("x1", (message) => x(message.sentMs))
    .attr("y1", (message) => laneY(message.from)!)
    .attr("x2", (message) => endPoint(message).x)
    .attr("y2", (message) => endPoint(message).y)
    .attr("marker-end", (message) => (message.outcome === "delivered" ? "url(#head)" : null))
    .on("click", (_, message) => selectEvent(message.end ?? message.send));
  svg
    .select(".layer-arrows")
    .selectAll<SVGTextElement, ViewMessage>("text.drop")
    .data(
      drawn.filter((message) => message.outcome !== "delivered" && message.outcome !== "in flight"),
      (message) => `${message.send}:${message.end ?? "-"}`,
    )
    .join("text")
    .attr("class", "drop")
    .attr("x", (message) => endPoint(message).x)
    .attr("y", (message) => endPoint(message).y + 4)
    .text("×")
    .on("click", (_, message) => selectEvent(message.end ?? message.send));

  const marks = run.marks.filter(
    (mark) => mark.timeMs >= fromMs && mark.timeMs <= toMs && laneY(mark.node) !== undefined,
  );
  svg
    .select(".layer-marks")
    .selectAll<SVGCircleElement, ViewMark>("circle.mark")
    .data(marks.length <= drawnMax ? marks : [], (mark) => mark.event)
    .join("circle")
    .attr("class", (mark) => `mark ${mark.kind}${mark.event === selected ? " selected" : ""}`)
    .attr("data-event", (mark) => mark.event)
    .attr("cx", (mark) => x(mark.timeMs))
    .attr(
      "cy",
      (mark) => laneY(mark.node)! + (mark.kind === "note" ? -10 : mark.kind === "timer" ? 10 : 0),
    )
    .attr("r", (mark) => (mark.kind === "note" || mark.kind === "timer" ? 3.5 : 5))
    .on("click", (_, mark) => selectEvent(mark.event))
    .selectAll("title")
    .data((mark) => [mark])
    .join("title")
    .text((mark) => `${mark.kind} · ${formatMs(mark.timeMs)} ms · ${mark.text}`);

  const failure = run.failure;
  svg
    .select(".layer-failure")
    .selectAll<SVGLineElement, number>("line.failure-marker")
    .data(failure === undefined ? [] : [failure.timeMs])
    .join("line")
    .attr("class", "failure-marker")
    .attr("x1", (timeMs) => x(timeMs))
    .attr("x2", (timeMs) => x(timeMs))
    .attr("y1", marginPx.top - 6)
    .attr("y2", Number(svg.attr("height")) - marginPx.bottom)
    .style("display", (timeMs) => (timeMs < fromMs || timeMs > toMs ? "none" : null));

  svg
    .select(".layer-notice")
    .selectAll("text")
    .data(inView.length > drawnMax ? [inView.length] : [])
    .join("text")
    .attr("class", "notice")
    .attr("x", (left + right) / 2)
    .attr("y", marginPx.top + 14)
    .text((count) => `${count} messages in view: zoom in (scroll) to draw them`);

  lastDraw.arrows = drawn.length;
  lastDraw.durationMs = performance.now() - started;
  root
    .select(".status")
    .text(
      `${formatMs(fromMs)}–${formatMs(toMs)} ms · ${drawn.length} of ${inView.length} messages in view drawn · ${run.events.length} events`,
    );
}

/** Which nodes can still reach each other both ways, as a group number per node. */
function groupsOf(
  nodes: readonly string[],
  blocked: ReadonlyArray<[string, string]>,
): Map<string, number> {
  const down = new Set(blocked.map(([from, to]) => `${from}\u0000${to}`));
  const group = new Map<string, number>();
  let next = 0;
  for (const start of nodes) {
    if (group.has(start)) continue;
    const queue = [start];
    group.set(start, next);
    while (queue.length > 0) {
      const node = queue.pop()!;
      for (const other of nodes) {
        if (group.has(other)) continue;
        if (down.has(`${node}\u0000${other}`) || down.has(`${other}\u0000${node}`)) continue;
        group.set(other, next);
        queue.push(other);
      }
    }
    next++;
  }
  return group;
}

function endPoint(message: ViewMessage): { x: number; y: number } {
  const fromY = laneY(message.from)!;
  const toY = laneY(message.to)!;
  if (
    message.outcome === "lost" ||
    (message.outcome === "partitioned" && message.endedMs === message.sentMs)
  ) {
    // Dropped on the way out: a short stub towards the receiver, ending in a cross.
    return { x: x(message.sentMs) + 14, y: fromY + Math.sign(toY - fromY) * 14 };
  }
  return { x: x(message.endedMs), y: toY };
}

function selectEvent(eventIndex: number): void {
  selected = eventIndex;
  const event = run.events[eventIndex];
  if (event === undefined) return;
  const [fromMs, toMs] = x.domain() as [number, number];
  if (event.timeMs < fromMs || event.timeMs > toMs) {
    const half = (toMs - fromMs) / 2;
    zoomTo(event.timeMs - half, event.timeMs + half);
  } else draw();
  showEvent(event, eventIndex);
}

function showEvent(event: TraceEvent, eventIndex: number): void {
  details.selectAll("*").remove();
  details.append("h2").text(`${event.kind} · ${formatMs(event.timeMs)} ms`);
  const list = details.append("dl");
  const row = (term: string, value: string | undefined): void => {
    if (value === undefined) return;
    list.append("dt").text(term);
    list.append("dd").text(value);
  };
  row("step", `#${event.step} (event ${eventIndex + 1} of ${run.events.length})`);
  row("time", `${formatMs(event.timeMs, 3)} ms`);
  // A delivery happens at its receiver: the trace names it as the event's node.
  const receiver = event.to ?? (event.kind === "deliver" ? event.node : undefined);
  if (receiver === undefined) row("node", event.node);
  row("from", event.from);
  row("to", receiver);
  if (event.kind === "note") row("note", event.detail);
  else row("detail", event.detail);
  if (event.message !== undefined) {
    details.append("h3").text("message");
    let pretty = event.message;
    try {
      pretty = JSON.stringify(JSON.parse(event.message), null, 2);
    } catch {
      // Shown as it is.
    }
    details.append("pre").attr("class", "message").text(pretty);
  }
  const states = statesAt(event.step);
  if (states.length > 0) {
    details.append("h3").text("state after this event");
    const fields = [...new Set(states.flatMap(([, state]) => Object.keys(state)))];
    // Wider than the panel past four or five nodes: the table scrolls sideways on its own,
    // with the field names held in place, and the rest of the panel stays where it is.
    const table = details
      .append("div")
      .attr("class", "states-scroll")
      .append("table")
      .attr("class", "states");
    const head = table.append("tr");
    head.append("th").text("");
    for (const [node] of states) head.append("th").text(node);
    for (const field of fields) {
      const line = table.append("tr");
      line.append("th").text(field);
      for (const [, state] of states) line.append("td").text(String(state[field] ?? "–"));
    }
  }
  if (run.failure !== undefined && run.failure.event === eventIndex) {
    details.append("h3").text("the test failed here");
    details.append("pre").attr("class", "failure-text").text(run.failure.message);
  }
}

/** Each visible node's latest recorded state at or before `step`. */
function statesAt(step: number): Array<[string, Record<string, unknown>]> {
  const latest = new Map<string, Record<string, unknown>>();
  for (const snapshot of run.states) {
    if (snapshot.step > step) break;
    latest.set(snapshot.node, snapshot.state);
  }
  return visibleNodes().flatMap((node) => {
    const state = latest.get(node);
    return state === undefined ? [] : [[node, state] as [string, Record<string, unknown>]];
  });
}

function showText(title: string, text: string, _index: number): void {
  details.selectAll("*").remove();
  details.append("h2").text(title);
  details.append("p").text(text);
}

/** The previous or next event at the selected event's node (or of the whole run). */
function step(direction: 1 | -1): void {
  const current = selected === undefined ? undefined : run.events[selected];
  const node = current === undefined ? undefined : (current.node ?? current.from);
  let index = selected ?? (direction > 0 ? -1 : run.events.length);
  for (index += direction; index >= 0 && index < run.events.length; index += direction) {
    const candidate = run.events[index]!;
    if (node === undefined || candidate.node === node || candidate.from === node) break;
  }
  if (index >= 0 && index < run.events.length) selectEvent(index);
}

function jumpToFailure(): void {
  const failure = run.failure;
  if (failure === undefined) return;
  const spanMs = Math.max(20, (run.endMs - run.startMs) / 20);
  zoomTo(failure.timeMs - spanMs / 2, failure.timeMs + spanMs / 2);
  if (failure.event !== undefined) selectEvent(failure.event);
  else {
    details.selectAll("*").remove();
    details.append("h2").text("the test failed after the run");
    details.append("pre").attr("class", "failure-text").text(failure.message);
  }
  select("#failure-banner").classed("flash", true);
}

function zoomTo(fromMs: number, toMs: number): void {
  if (behaviour === undefined) return;
  const [left, right] = baseX.range() as [number, number];
  const scale = (right - left) / (baseX(toMs) - baseX(fromMs));
  const transform = zoomIdentity.scale(scale).translate(-baseX(fromMs) + left / scale, 0);
  (svg as Selection<SVGSVGElement, unknown, HTMLElement, unknown>).call(
    behaviour.transform,
    transform,
  );
  draw();
}

function formatMs(timeMs: number, digits = 1): string {
  return Number.isInteger(timeMs) ? String(timeMs) : timeMs.toFixed(digits);
}

const banner = select("#failure-banner");
if (run.failure !== undefined) {
  banner
    .style("display", null)
    .select(".text")
    .text(run.failure.message.split("\n")[0] ?? "");
  banner.select("button").on("click", () => jumpToFailure());
}
