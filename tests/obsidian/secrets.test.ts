/**
 * @jest-environment jsdom
 */
// Secret variables: on an Obsidian with a keychain (app.secretStorage and SecretComponent, 1.11.4
// and later, as the mock host stands in for), a {{name}} can take its value from a secret the
// keychain holds, and data.json holds only the secret's name; on an older one the settings say the
// values are kept in data.json. Either way the settings never show a stored value in clear.
import { SecretStorage, secretComponents } from "../__mocks__/obsidian";
import GrpcCalloutsPlugin from "../../src/obsidian/GrpcCalloutsPlugin";
import { createApp, loadPlugin, mockOf, renderNote, until } from "../support/host";

const NOTE = "```grpc\nmethod: grpccallouts.demo.v1.PatternService/Ask\nrequest: {question: \"key {{token}}\"}\n```\n";
const DATA = ".obsidian/plugins/grpc-callouts/data.json";

async function setup(withKeychain: boolean, settings: Record<string, unknown>) {
  const env = createApp({ "Note.md": NOTE });
  if (withKeychain) {
    env.app.secretStorage = new SecretStorage();
    env.app.secretStorage.setSecret("acme-token", "sk-live-7c1f0a9e");
  }
  await env.vault.adapter.write(DATA, JSON.stringify({ runtime: "in-process", ...settings }));
  const plugin = await loadPlugin(GrpcCalloutsPlugin, env.app);
  const tab = mockOf(plugin).settingTabs[0];
  tab?.display();
  return { ...env, plugin, el: tab?.containerEl as HTMLElement, display: () => tab?.display() };
}

const settingNamed = (el: HTMLElement, name: string) => Array.from(el.querySelectorAll<HTMLElement>(".setting-item")).find((s) => s.querySelector(".setting-item-name")?.textContent === name);

test("with a keychain, a secret variable takes its value from it; the settings and data.json hold only its name", async () => {
  const env = await setup(true, { secretVariables: { token: "acme-token" } });
  expect(settingNamed(env.el, "Secret variables")).toBeDefined();
  const row = settingNamed(env.el, "{{token}}");
  expect(row?.querySelector("button.mod-secret")?.textContent).toBe("acme-token");
  expect(env.el.textContent).not.toContain("sk-live-7c1f0a9e");
  const rendered = await renderNote(env.app, env.plugin, "Note.md");
  const block = rendered.root.querySelector<HTMLElement>(".grpc-callouts-block");
  block?.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  await until(() => block?.querySelector(".grpc-callouts-transcript")?.getAttribute("data-state") === "done", 20_000, "ran");
  // The server got the value (it answers with the question), and the transcript masks it.
  await until(() => block?.querySelector('.grpc-callouts-message[data-direction="received"]') != null, 5_000, "drawn");
  expect(block?.querySelector('.grpc-callouts-message[data-direction="received"]')?.textContent).toContain("key ••••••");
  expect(block?.textContent).not.toContain("sk-live-7c1f0a9e");
  // Adding one: a name, then the user links a secret of the keychain.
  const add = settingNamed(env.el, "Add a secret variable");
  const input = add?.querySelector("input") as HTMLInputElement;
  input.value = "other";
  input.dispatchEvent(new Event("input"));
  add?.querySelector("button")?.click();
  await until(() => settingNamed(env.el, "{{other}}") !== undefined, 5_000, "added");
  const button = settingNamed(env.el, "{{other}}")?.querySelector<HTMLElement>("button.mod-secret");
  secretComponents.get(button as HTMLElement)?.choose("acme-token");
  await until(() => env.plugin.settings.secretVariables["other"] === "acme-token", 5_000, "linked");
  await new Promise((r) => setTimeout(r, 50));
  const saved = await env.vault.adapter.read(DATA);
  expect((JSON.parse(saved) as { secretVariables: Record<string, string> }).secretVariables).toEqual({ token: "acme-token", other: "acme-token" });
  expect(saved).not.toContain("sk-live-7c1f0a9e");
  rendered.close();
  mockOf(env.plugin).unload();
  await env.plugin.stopped;
});

test("without a keychain, the settings say values stay in data.json and show them masked; an edit keeps masked values", async () => {
  const env = await setup(false, { variables: { token: "hunter2-value", region: "eu-1" } });
  expect(settingNamed(env.el, "Secret variables")).toBeUndefined();
  const variables = settingNamed(env.el, "Variables");
  expect(variables?.querySelector(".setting-item-description")?.textContent).toMatch(/no keychain \(it needs 1\.11\.4\), so these values are kept in the plugin's data\.json/);
  const area = variables?.querySelector("textarea") as HTMLTextAreaElement;
  expect(area.value).toBe("token = ••••••\nregion = ••••••");
  expect(env.el.textContent).not.toContain("hunter2-value");
  area.value = "token = ••••••\nregion = us-2\nextra = new-value";
  area.dispatchEvent(new Event("input"));
  await until(() => env.plugin.settings.variables["extra"] === "new-value", 5_000, "saved");
  expect(env.plugin.settings.variables).toEqual({ token: "hunter2-value", region: "us-2", extra: "new-value" });
  mockOf(env.plugin).unload();
  await env.plugin.stopped;
});
