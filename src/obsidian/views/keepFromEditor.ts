/** The events that, reaching Live Preview's editor, would move the cursor into a widget and turn it back into source. */
const EDITOR_EVENTS = ["mousedown", "pointerdown", "mouseup", "pointerup", "click", "dblclick", "touchstart"] as const;

/**
 * Keeps presses inside `el` (buttons, toggles, the composer, the diagram, text)
 * from reaching the editor around it. Only propagation stops: text can still
 * be selected and copied, and controls still get their own clicks.
 */
export function keepFromEditor(el: HTMLElement): void {
  for (const type of EDITOR_EVENTS) el.addEventListener(type, (evt) => evt.stopPropagation());
}
