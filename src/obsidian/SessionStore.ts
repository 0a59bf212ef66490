import { CallSession } from "./CallSession";

/** Every session of the plugin, keyed by note path and runnable key. */
export class SessionStore {
  private readonly sessions = new Map<string, CallSession>();
  private readonly listeners = new Set<() => void>();
  /** Whether each session showed a transcript at its last change, so that only those changes are told. */
  private readonly showing = new WeakMap<CallSession, boolean>();

  /** Calls `listener` when a session starts or stops having a transcript; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The session of a runnable, made on first use. */
  ensure(notePath: string, key: string, label: string): CallSession {
    const id = `${notePath}\u0000${key}`;
    let s = this.sessions.get(id);
    if (s === undefined) {
      const session = new CallSession(key, notePath, label);
      session.subscribe(() => {
        const now = session.transcript !== null;
        if (this.showing.get(session) === now) return;
        this.showing.set(session, now);
        for (const l of this.listeners) l();
      });
      this.sessions.set(id, session);
      s = session;
    } else {
      s.label = label;
    }
    return s;
  }

  /** The session of a runnable, if it has one. */
  get(notePath: string, key: string): CallSession | undefined {
    return this.sessions.get(`${notePath}\u0000${key}`);
  }

  /** Sessions of one note. */
  forNote(notePath: string): CallSession[] {
    return [...this.sessions.values()].filter((s) => s.notePath === notePath);
  }

  /** Sessions whose call is running. */
  running(): CallSession[] {
    return [...this.sessions.values()].filter((s) => s.running);
  }

  /** Cancels every running call. */
  cancelAll(): number {
    const r = this.running();
    for (const s of r) s.cancel();
    return r.length;
  }

  /** Clears and forgets the sessions of a note. */
  clearNote(notePath: string): number {
    const list = this.forNote(notePath);
    for (const s of list) {
      s.clear();
      this.sessions.delete(`${notePath}\u0000${s.key}`);
    }
    return list.length;
  }

  /** The paths of the notes that have sessions. */
  notes(): string[] {
    return [...new Set([...this.sessions.values()].map((s) => s.notePath))];
  }

  /** Moves a renamed note's sessions to its new path; running calls go on. */
  rename(oldPath: string, newPath: string): void {
    for (const s of this.forNote(oldPath)) {
      this.sessions.delete(`${oldPath}\u0000${s.key}`);
      s.notePath = newPath;
      this.sessions.set(`${newPath}\u0000${s.key}`, s);
    }
  }

  /** Cancels everything and forgets all sessions. */
  dispose(): void {
    for (const s of this.sessions.values()) s.clear();
    this.sessions.clear();
  }
}
