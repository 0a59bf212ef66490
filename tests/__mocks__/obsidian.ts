/**
 * A stand-in for the `obsidian` module, faithful to the parts of obsidian.d.ts
 * the plugin uses, over jsdom. Obsidian's DOM helpers (createEl, createDiv,
 * empty, setText, addClass, …) are installed on the DOM prototypes the way
 * Obsidian installs them. File access goes to a real folder on disk.
 */
import { installDomHelpers } from "../support/domHelpers";
export { installDomHelpers };

if (typeof window !== "undefined") installDomHelpers(window);

export * from "../support/mock/components";
export * from "../support/mock/vault";
export * from "../support/mock/workspace";
export * from "../support/mock/ui";
export * from "../support/mock/plugin";
