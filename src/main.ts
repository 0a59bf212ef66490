export { default } from "./obsidian/GrpcCalloutsPlugin";
