// Pieces several pages share: headings, status badges, tables, "load more".
import { h } from '../lib/dom.js';

export const PAGE_SIZE = 20;

export function heading(text, ...extra) {
  return h('div', { class: 'page-heading' }, h('h1', { tabindex: '-1' }, text), extra);
}

export function badge(status) {
  return h('hg-status', { status });
}

/** Why a section is empty when the API would not say: on hold, or failed. */
export function unavailable(code) {
  const text = code === 'ON_HOLD'
    ? 'This is hidden while your account is on hold.'
    : 'This part could not be loaded. Reload the page to try again.';
  return h('p', { class: 'notice notice--muted' }, text);
}

export function empty(text) {
  return h('p', { class: 'empty' }, text);
}

/** A table in a region that scrolls sideways on narrow screens (and by keyboard). */
export function table(caption, columns, rows) {
  return h('div', { class: 'table-wrap', role: 'region', 'aria-label': caption, tabindex: '0' },
    h('table', {},
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, columns.map((column) =>
        h('th', { scope: 'col', class: column.numeric ? 'numeric' : null }, column.label)))),
      h('tbody', {}, rows.map((row) => h('tr', {}, columns.map((column, index) => {
        const cell = row[index];
        return index === 0
          ? h('th', { scope: 'row' }, cell)
          : h('td', { class: column.numeric ? 'numeric' : null }, cell);
      }))))));
}

/** A list that grows by pages: `fetchPage(after)` answers a connection. */
export function pagedList({ label, first, fetchPage, item }) {
  const list = h('ul', { class: 'cards', 'aria-label': label });
  const more = h('button', { type: 'button', class: 'button button--quiet' }, 'Show more');
  const footer = h('div', { class: 'list-footer' });
  let cursor = null;

  function add(connection) {
    list.append(...connection.nodes.map((node) => h('li', { class: 'card' }, item(node))));
    cursor = connection.pageInfo.endCursor;
    footer.replaceChildren(connection.pageInfo.hasNextPage ? more : '');
  }

  more.addEventListener('click', async () => {
    more.disabled = true;
    more.textContent = 'Loading…';
    try {
      add(await fetchPage(cursor));
    } catch (error) {
      footer.replaceChildren(h('p', { role: 'alert', class: 'notice notice--error' }, error.message), more);
    } finally {
      more.disabled = false;
      more.textContent = 'Show more';
    }
  });
  add(first);
  return h('div', {}, list, footer);
}
