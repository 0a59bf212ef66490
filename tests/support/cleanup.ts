// After each test file: unload any plugin a failing test left loaded, so that its sidecar
// stops and jest exits instead of waiting on the child process.
import { loadedPlugins, mockOf } from "./host";

afterAll(async () => {
  for (const plugin of loadedPlugins) {
    mockOf(plugin).unload();
    await (plugin as { stopped?: Promise<void> }).stopped;
  }
  loadedPlugins.clear();
});
