// When the chat tab may put the keyboard focus in its message box. A page finishes loading whenever it
// likes, often after the user has moved on (to the command palette, a quick pick, another editor): taking
// the focus then steals their keystrokes. So the box is focused only while this page has the focus
// itself (`document.hasFocus()` is false once the workbench holds it), and only when the user asked for
// the tab (opened it, or brought the focus back to it).

export interface FocusTarget {
  focus(): void;
}

/** At load: focuses the input if the tab was opened to type in it and the focus is still in the tab. */
export function focusInputOnLoad(input: FocusTarget, openedToType: boolean): void {
  if (openedToType && document.hasFocus() && isFocusOnPage()) {
    input.focus();
  }
}

/**
 * When the workbench gives the tab the focus (switching to it, Ctrl+1…) and it rests on nothing in
 * particular, it goes to the input. A click's focus is left where the click put it (selecting text).
 */
export function focusInputWhenTabFocused(input: FocusTarget): void {
  let clicking = false;
  window.addEventListener(
    'pointerdown',
    () => {
      clicking = true;
      setTimeout(() => (clicking = false), 0);
    },
    true,
  );
  window.addEventListener('focus', () => {
    if (!clicking && isFocusOnPage()) {
      input.focus();
    }
  });
}

/** Nothing on the page has the focus (the body holds it): a click or Tab the user made is not undone. */
function isFocusOnPage(): boolean {
  return document.activeElement === null || document.activeElement === document.body;
}
