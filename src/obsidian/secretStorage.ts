import * as obsidian from "obsidian";
import type { App } from "obsidian";

/** Obsidian's keychain of named secrets (1.11.4 and later), as far as the plugin uses it. */
export interface SecretStorageLike {
  getSecret(id: string): string | null;
  setSecret(id: string, secret: string): void;
  listSecrets(): string[];
}

/** Obsidian's component that links a setting to a secret of the keychain by name (1.11.4 and later). */
export interface SecretComponentLike {
  setValue(id: string): this;
  onChange(cb: (id: string) => unknown): this;
}

/** The app's secret storage, or null on an Obsidian older than 1.11.4. */
export function secretStorageOf(app: App): SecretStorageLike | null {
  const storage = (app as App & { secretStorage?: SecretStorageLike }).secretStorage;
  return storage !== undefined && typeof storage.getSecret === "function" ? storage : null;
}

/** Makes a SecretComponent in `el`, or null when this Obsidian has none. */
export function secretComponent(app: App, el: HTMLElement): SecretComponentLike | null {
  const Component = (obsidian as unknown as { SecretComponent?: new (app: App, el: HTMLElement) => SecretComponentLike }).SecretComponent;
  return Component === undefined ? null : new Component(app, el);
}

/** The values of the secret variables (`{{name}}` → keychain id) that the keychain holds. */
export function secretValues(storage: SecretStorageLike | null, links: Record<string, string>): Record<string, string> {
  if (storage === null) return {};
  const out: Record<string, string> = {};
  for (const [name, id] of Object.entries(links)) {
    const value = id === "" ? null : storage.getSecret(id);
    if (value !== null) out[name] = value;
  }
  return out;
}
