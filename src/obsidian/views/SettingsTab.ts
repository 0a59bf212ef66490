import { PluginSettingTab, Setting, type App } from "obsidian";
import type { RuntimeChoice } from "../../sidecar/Launcher";
import type GrpcCalloutsPlugin from "../GrpcCalloutsPlugin";
import { ENV_ALLOW_SETTING } from "../../core/spec/substituteVariables";
import { environmentsFromText, environmentsToText, envNamesFromText, maskedVariablesText, variablesFromMaskedText, type GrpcCalloutsSettings, type RunAllMode } from "../settings";
import { secretComponent, secretStorageOf } from "../secretStorage";

/** The settings that are on or off. */
type BooleanSetting = { [K in keyof GrpcCalloutsSettings]: GrpcCalloutsSettings[K] extends boolean ? K : never }[keyof GrpcCalloutsSettings];

/** The settings tab: sidecar, demo pacing, calls and transcripts. */
export class SettingsTab extends PluginSettingTab {
  constructor(
    app: App,
    private readonly plugin: GrpcCalloutsPlugin,
  ) {
    super(app, plugin);
  }

  override display(): void {
    const { containerEl } = this;
    const s = this.plugin.settings;
    const save = async (): Promise<void> => this.plugin.saveSettings();
    const number = (setting: Setting, value: number, min: number, apply: (n: number) => void): Setting =>
      setting.addText((t) =>
        t.setValue(String(value)).onChange(async (v) => {
          const n = Number(v);
          if (v.trim() === "" || !Number.isFinite(n) || n < min) return;
          apply(Math.round(n));
          await save();
        }),
      );
    /** A toggle for a boolean setting, saved on change. */
    const toggle = (setting: Setting, key: BooleanSetting): Setting =>
      setting.addToggle((t) =>
        t.setValue(s[key]).onChange(async (v) => {
          s[key] = v;
          await save();
        }),
      );
    containerEl.empty();

    new Setting(containerEl).setName("Sidecar").setHeading();
    new Setting(containerEl)
      .setName("Sidecar runtime")
      .setDesc("How to run the local gRPC server. Auto tries Obsidian's own runtime, then a node binary, then an in-process server.")
      .addDropdown((d) =>
        d
          .addOptions({ auto: "Auto", obsidian: "Obsidian runtime", node: "Node binary", "in-process": "In-process" })
          .setValue(s.runtime)
          .onChange(async (v) => {
            s.runtime = v as RuntimeChoice;
            await save();
          }),
      );
    new Setting(containerEl)
      .setName("Node path")
      .setDesc("The node binary for the node runtime. Leave empty to use node from your path.")
      .addText((t) =>
        t.setPlaceholder("/usr/local/bin/node").setValue(s.nodePath).onChange(async (v) => {
          s.nodePath = v.trim();
          await save();
        }),
      );
    toggle(
      new Setting(containerEl).setName("Start the sidecar at launch").setDesc("Off: the sidecar starts at the first run."),
      "startAtLaunch",
    );
    toggle(
      new Setting(containerEl).setName("Start the sidecar when a note with runnable callouts opens").setDesc("Starts it in the background once such a note has been open a moment, so the first run answers at once. It also starts whenever the pointer rests on a run button."),
      "startWhenNoteOpens",
    );
    new Setting(containerEl)
      .setName("Stop the sidecar when idle")
      .setDesc("Minutes without a call before the sidecar stops; the next run starts it again. Use 0 to keep it running.")
      .addText((t) =>
        t.setValue(String(s.sidecarIdleMinutes)).onChange(async (v) => {
          const n = Number(v);
          if (v.trim() === "" || !Number.isFinite(n) || n < 0) return;
          s.sidecarIdleMinutes = n;
          await save();
        }),
      );

    new Setting(containerEl).setName("Demo pacing").setHeading();
    number(new Setting(containerEl).setName("Message count").setDesc("Messages per stream for callouts without a gRPC block."), s.demoCount, 1, (n) => (s.demoCount = n));
    number(new Setting(containerEl).setName("Interval").setDesc("Milliseconds between streamed messages."), s.demoIntervalMs, 0, (n) => (s.demoIntervalMs = n));

    new Setting(containerEl).setName("Calls").setHeading();
    number(
      new Setting(containerEl).setName("Default deadline").setDesc("Milliseconds before a unary call or a scripted stream without its own deadline gives up; use 0 for none. Interactive calls have no deadline unless their block sets one."),
      s.defaultDeadlineMs,
      0,
      (n) => (s.defaultDeadlineMs = n),
    );
    new Setting(containerEl)
      .setName("Run all")
      .setDesc("How the run all command runs a note's calls.")
      .addDropdown((d) =>
        d
          .addOptions({ sequential: "One after another", concurrent: "All at once" })
          .setValue(s.runAllMode)
          .onChange(async (v) => {
            s.runAllMode = v as RunAllMode;
            await save();
          }),
      );

    number(
      new Setting(containerEl).setName("Maximum message size").setDesc("Largest message sent or received, in MiB."),
      s.maxMessageMb,
      1,
      (n) => (s.maxMessageMb = n),
    );
    toggle(
      new Setting(containerEl).setName("Confirm outbound calls").setDesc("Ask once per note and target before a block calls a server that is not on this machine."),
      "confirmOutbound",
    );
    const storage = secretStorageOf(this.app);
    new Setting(containerEl)
      .setName("Variables")
      .setDesc(
        storage !== null
          ? "One name = value per line. Blocks use them as {{name}}; values are masked here and in transcripts. Put secrets in secret variables below, which live in the keychain."
          : "One name = value per line. Blocks use them as {{name}}; values are masked here and in transcripts. This version of Obsidian has no keychain (it needs 1.11.4), so these values are kept in the plugin's data.json.",
      )
      .addTextArea((t) =>
        t.setPlaceholder("For example: token = secret").setValue(maskedVariablesText(s.variables)).onChange(async (v) => {
          s.variables = variablesFromMaskedText(v, s.variables);
          await save();
        }),
      );
    if (storage !== null) this.secretVariables(containerEl, save);
    new Setting(containerEl)
      .setName("Environments")
      .setDesc("Named sets of variables, such as local, staging and prod: a [name] line, then its name = value lines. The active environment's values come before the variables above; a note can pin one with frontmatter grpc: {env: name}.")
      .addTextArea((t) =>
        t.setPlaceholder("[staging]\nhost = staging.example.com:443").setValue(environmentsToText(s.environments)).onChange(async (v) => {
          s.environments = environmentsFromText(v);
          await save();
        }),
      );
    new Setting(containerEl)
      .setName("Active environment")
      .setDesc("The status bar shows it, and a command switches it.")
      .addDropdown((d) => {
        d.addOption("", "None");
        for (const name of Object.keys(s.environments)) d.addOption(name, name);
        d.setValue(s.activeEnvironment).onChange(async (v) => {
          s.activeEnvironment = v;
          await save();
        });
      });
    toggle(
      new Setting(containerEl).setName("Run referenced calls first").setDesc("Running one block first runs the named calls it refers to ({{login.response.token}}) that have not run in this session."),
      "runReferencedFirst",
    );
    new Setting(containerEl)
      .setName(ENV_ALLOW_SETTING)
      .setDesc("Names that {{env.NAME}} in a note may read, one per line. Empty: notes read no environment variables, so a shared note cannot send yours anywhere.")
      .addTextArea((t) =>
        t.setPlaceholder("One name per line").setValue(s.envAllowed.join("\n")).onChange(async (v) => {
          s.envAllowed = envNamesFromText(v);
          await save();
        }),
      );

    new Setting(containerEl).setName("Transcripts").setHeading();
    number(
      new Setting(containerEl).setName("Maximum rows").setDesc("Message rows kept on screen per transcript; older ones are counted, not shown."),
      s.maxRows,
      10,
      (n) => (s.maxRows = n),
    );
    number(
      new Setting(containerEl).setName("Memory per transcript").setDesc("MiB of messages one transcript may hold; the oldest rows go first, and the counts stay exact."),
      s.maxTranscriptMb,
      1,
      (n) => (s.maxTranscriptMb = n),
    );
    new Setting(containerEl)
      .setName("Open transcripts as")
      .setDesc("The message list, or a sequence diagram of the exchange. The toggle on each transcript changes this too.")
      .addDropdown((d) =>
        d
          .addOptions({ messages: "Message list", diagram: "Sequence diagram" })
          .setValue(s.transcriptView)
          .onChange(async (v) => {
            s.transcriptView = v === "diagram" ? "diagram" : "messages";
            await save();
          }),
      );
    toggle(
      new Setting(containerEl).setName("Compact transcripts").setDesc("Denser rows, each message on one line."),
      "compact",
    );
    toggle(
      new Setting(containerEl).setName("Draw diagrams for missing images").setDesc("In a pattern callout, an embedded image that is not in the vault is shown as a drawn sequence diagram of the pattern. The note is not changed."),
      "drawMissingDiagrams",
    );
    toggle(
      new Setting(containerEl).setName("Live diagram replaces the drawn one").setDesc("Once such a callout runs, the diagram of the real exchange takes the drawn diagram's place."),
      "liveDiagramReplacesDrawn",
    );
    toggle(
      new Setting(containerEl).setName("Show timestamps").setDesc("Show each message's time since the call started."),
      "showTimestamps",
    );
  }

  /** Secret variables: each `{{name}}` linked to a secret of Obsidian's keychain, which holds its value; the settings show only the secret's name. */
  private secretVariables(containerEl: HTMLElement, save: () => Promise<void>): void {
    const s = this.plugin.settings;
    new Setting(containerEl).setName("Secret variables").setDesc("Blocks use them as {{name}}; each value lives in Obsidian's keychain, never in data.json, and is masked in transcripts.");
    for (const name of Object.keys(s.secretVariables)) {
      const row = new Setting(containerEl).setName(`{{${name}}}`);
      // Setting.addComponent and SecretComponent come with Obsidian 1.11.4; the control element takes the component as addComponent would.
      secretComponent(this.app, row.controlEl)
        ?.setValue(s.secretVariables[name] ?? "")
        .onChange(async (id) => {
          s.secretVariables = { ...s.secretVariables, [name]: id };
          await save();
        });
      row.addButton((b) =>
          b.setButtonText("Remove").onClick(async () => {
            const { [name]: _gone, ...rest } = s.secretVariables;
            s.secretVariables = rest;
            await save();
            this.display();
          }),
        );
    }
    let draft = "";
    new Setting(containerEl)
      .setName("Add a secret variable")
      .addText((t) => t.setPlaceholder("Name, such as token").onChange((v) => (draft = v.trim())))
      .addButton((b) =>
        b.setButtonText("Add").onClick(async () => {
          if (!/^[\w.-]+$/.test(draft) || draft in s.secretVariables) return;
          s.secretVariables = { ...s.secretVariables, [draft]: "" };
          await save();
          this.display();
        }),
      );
  }
}
