import { Plugin } from "obsidian";

/** Placeholder while the plugin is wired. */
export default class GrpcCalloutsPlugin extends Plugin {
  override async onload(): Promise<void> {}
}
