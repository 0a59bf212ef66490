// The bits of the `obsidian` module the transcript view imports, for a plain browser page.
export function parseYaml(text: string): unknown {
  return JSON.parse(text) as unknown;
}
