import { escapeHtml as e } from './escape.js';

/**
 * A table in a region of its own that scrolls sideways, so the page reflows at 320 px (WCAG 1.4.10)
 * while a wide table keeps its columns; focusable, so a keyboard can scroll it too.
 */
export function scrollRegion(label: string, table: string, id = ''): string {
  return `<div class="scroll"${id ? ` id="${e(id)}"` : ''} role="region" tabindex="0" aria-label="${e(label)}">${table}</div>`;
}
