import type { App } from "obsidian";
import { methodKindLabel, type MethodKind } from "../../core/spec/MethodKind";
import { schematicTranscript } from "../../core/transcript/schematicTranscript";
import { DiagramView } from "../views/DiagramView";

const IMAGE = /\.(png|jpe?g|gif|svg|webp|bmp|avif|tiff?)$/i;

/** The label under a drawn diagram. */
export const SCHEMATIC_LABEL = "Diagram drawn by gRPC Callouts: the embedded image is missing";

/**
 * In a pattern callout, every embedded image whose file is not in the vault
 * (as the metadata cache resolves the link) is hidden and a schematic
 * sequence diagram of the pattern is drawn in its place, with the same SVG
 * code as the live diagram. The note's text is never changed; an image that
 * exists is left alone. Returns the drawn diagrams.
 */
export function drawMissingDiagrams(app: App, callout: HTMLElement, kind: MethodKind, sourcePath: string): HTMLElement[] {
  const drawn: HTMLElement[] = [];
  for (const embed of Array.from(callout.querySelectorAll<HTMLElement>(":scope > .callout-content .internal-embed[src]"))) {
    const link = (embed.getAttribute("src") ?? "").split("|")[0]?.split("#")[0] ?? "";
    if (!IMAGE.test(link) || app.metadataCache.getFirstLinkpathDest(link, sourcePath) !== null) continue;
    embed.addClass("grpc-callouts-missing-embed");
    const box = createDiv({ cls: "grpc-callouts-schematic", attr: { "data-pattern": kind } });
    embed.after(box);
    new DiagramView(box).render(schematicTranscript(kind, methodKindLabel(kind)));
    box.createDiv({ cls: "grpc-callouts-schematic-label", text: SCHEMATIC_LABEL });
    drawn.push(box);
  }
  return drawn;
}
