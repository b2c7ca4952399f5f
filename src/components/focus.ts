/** Whether the person is typing in ``element`` (focus must not be taken from there). */
export function isEditing(element: Element | null): boolean {
  const el = element as HTMLElement | null;
  return !!el && (['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.isContentEditable);
}

/**
 * Whether ``element`` may take the keyboard focus: when nothing has it, or when the
 * person is working in the same dashboard (its Lab panel, or its notebook cell output)
 * and is neither typing nor moving through a list by keyboard (``data-keyboard-nav``).
 * In a notebook, a widget that has just been rendered must not take the focus from the
 * notebook.
 */
export function mayTakeFocus(element: HTMLElement | null): boolean {
  const active = document.activeElement;
  if (!element || isEditing(active) || active?.closest('[data-keyboard-nav]')) {
    return false;
  }
  if (!active || active === document.body) {
    return true;
  }
  const scope =
    element.closest('.jp-OptunaDashboard-panel') ?? element.closest('.jp-OptunaDashboard');
  return !!scope && scope.contains(active);
}
