/** The plugin's entry point: Obsidian loads the default export of main.js. */
export { default } from "./obsidian/GrpcCalloutsPlugin";
