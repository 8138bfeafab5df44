/**
 * The keyboard of the kit's modal dialogs ("Save preset", "Compare images"): Escape closes, and Tab /
 * Shift+Tab wrap around inside the dialog, so focus never leaves it while it is open. The dialogs are
 * `role="dialog"` with `aria-modal` rather than a native `<dialog>`: jsdom, where the component tests
 * run, has no `showModal()`. Each dialog gives focus back to its opener when it closes.
 */
import type * as React from 'react';

const FOCUSABLE = 'button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [href], [tabindex]:not([tabindex="-1"])';

/** Handles Escape and Tab for the modal `dialog`; other keys are left alone. */
export function modalKeyDown(event: React.KeyboardEvent<HTMLElement>, dialog: HTMLElement | null, onClose: () => void): void {
  if (event.key === 'Escape') {
    event.preventDefault();
    event.stopPropagation();
    onClose();
    return;
  }
  if (event.key !== 'Tab' || !dialog) return;
  // In document order (some engines list a selector group's matches group by group).
  const items = [...dialog.querySelectorAll<HTMLElement>('*')].filter((el) => el.matches(FOCUSABLE));
  if (items.length === 0) return;
  const active = dialog.ownerDocument.activeElement;
  const first = items[0]!;
  const last = items[items.length - 1]!;
  const outside = !dialog.contains(active);
  if (event.shiftKey && (active === first || outside)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || outside)) {
    event.preventDefault();
    first.focus();
  }
}
