import { describeItem, diagramOf, type DiagramItem } from "../../core/transcript/diagram";
import { formatAt, formatCount } from "../../core/transcript/formatEvent";
import type { Transcript } from "../../core/transcript/Transcript";

const ROW = 24;
const TOP = 30;
const WIDTH = 600;
const CLIENT_X = 90;
const SERVER_X = 510;

/**
 * Draws a transcript as a live sequence diagram in SVG: a client lane and a
 * server lane, one arrow per message, markers for headers, half-close,
 * trailers and status, and a folded band past 200 arrows. Each arrow has a
 * text alternative and can be reached with the keyboard.
 */
export class DiagramView {
  readonly el: HTMLElement;
  private readonly uid = `d${(counter++).toString(36)}`;

  constructor(parent: HTMLElement) {
    this.el = parent.createDiv({ cls: "grpc-callouts-diagram" });
  }

  /** Redraws the diagram for the transcript as it is now. */
  render(t: Transcript): void {
    const items = diagramOf(t);
    this.el.empty();
    const height = TOP + items.length * ROW + 12;
    const svg = this.el.createSvg("svg", {
      cls: "grpc-callouts-diagram-svg",
      attr: { viewBox: `0 0 ${WIDTH} ${height}`, role: "list", "aria-label": `Sequence diagram of ${t.method}`, preserveAspectRatio: "xMidYMin meet" },
    });
    const defs = svg.createSvg("defs");
    for (const [id, cls] of [
      ["sent", "grpc-callouts-head-sent"],
      ["received", "grpc-callouts-head-received"],
    ] as const) {
      const marker = defs.createSvg("marker", {
        attr: { id: `grpc-callouts-head-${id}-${this.uid}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
      });
      marker.createSvg("path", { cls, attr: { d: "M 0 0 L 10 5 L 0 10 z" } });
    }
    for (const [x, label] of [
      [CLIENT_X, "Client"],
      [SERVER_X, "Server"],
    ] as const) {
      svg.createSvg("text", { cls: "grpc-callouts-lane-label", attr: { x, y: 16, "text-anchor": "middle" } }).textContent = label;
      svg.createSvg("line", { cls: "grpc-callouts-lifeline", attr: { x1: x, y1: 22, x2: x, y2: height - 4 } });
    }
    items.forEach((item, i) => this.drawItem(svg, item, TOP + i * ROW + ROW / 2));
  }

  private drawItem(svg: SVGSVGElement, item: DiagramItem, y: number): void {
    const g = svg.createSvg("g", {
      cls: `grpc-callouts-diagram-item grpc-callouts-${item.kind}`,
      attr: { role: "listitem", tabindex: 0, "aria-label": describeItem(item) },
    });
    g.createSvg("title").textContent = describeItem(item);
    switch (item.kind) {
      case "arrow": {
        const sent = item.direction === "sent";
        g.setAttr("data-direction", item.direction);
        const [x1, x2] = sent ? [CLIENT_X + 4, SERVER_X - 4] : [SERVER_X - 4, CLIENT_X + 4];
        g.createSvg("line", {
          cls: `grpc-callouts-arrow-line grpc-callouts-arrow-${item.direction}`,
          attr: { x1, y1: y, x2, y2: y, "marker-end": `url(#grpc-callouts-head-${item.direction}-${this.uid})` },
        });
        g.createSvg("text", { cls: "grpc-callouts-arrow-time", attr: { x: sent ? CLIENT_X - 8 : SERVER_X + 8, y: y + 4, "text-anchor": sent ? "end" : "start" } }).textContent =
          formatAt(item.at);
        g.createSvg("text", { cls: "grpc-callouts-arrow-preview", attr: { x: (CLIENT_X + SERVER_X) / 2, y: y - 4, "text-anchor": "middle" } }).textContent =
          item.preview.length > 48 ? `${item.preview.slice(0, 47)}…` : item.preview;
        break;
      }
      case "marker": {
        g.setAttr("data-marker", item.marker);
        const x = item.marker === "half-close" ? CLIENT_X : item.marker === "headers" || item.marker === "trailers" ? SERVER_X : (CLIENT_X + SERVER_X) / 2;
        const w = item.marker === "status" ? 260 : 120;
        g.createSvg("rect", {
          cls: `grpc-callouts-marker-box${item.ok === false ? " is-error" : item.ok === true ? " is-ok" : ""}`,
          attr: { x: x - w / 2, y: y - 9, width: w, height: 18, rx: 4 },
        });
        g.createSvg("text", { cls: "grpc-callouts-marker-text", attr: { x, y: y + 4, "text-anchor": "middle" } }).textContent =
          item.label.length > 40 ? `${item.label.slice(0, 39)}…` : item.label;
        break;
      }
      case "fold": {
        g.createSvg("rect", { cls: "grpc-callouts-fold-band", attr: { x: CLIENT_X, y: y - 9, width: SERVER_X - CLIENT_X, height: 18 } });
        g.createSvg("text", { cls: "grpc-callouts-fold-text", attr: { x: (CLIENT_X + SERVER_X) / 2, y: y + 4, "text-anchor": "middle" } }).textContent =
          `… ${formatCount(item.count)} more`;
        break;
      }
      default: {
        const never: never = item;
        void never;
      }
    }
  }
}

/** Arrowhead ids must be unique in the document: each diagram numbers its own. */
let counter = 0;
