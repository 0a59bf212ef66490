/**
 * Unfolds a folded callout the way a user does, by clicking its fold control,
 * so Obsidian keeps its own fold state; falls back to showing the content.
 */
export function unfoldCallout(callout: HTMLElement): void {
  if (!callout.hasClass("is-collapsed")) return;
  const fold = callout.querySelector<HTMLElement>(":scope > .callout-title");
  fold?.click();
  if (callout.hasClass("is-collapsed")) {
    callout.removeClass("is-collapsed");
    callout.querySelector<HTMLElement>(":scope > .callout-content")?.show();
  }
}
