// Building the page from elements, never from HTML strings: text from the
// API is always text, so nothing it holds can run as markup.

function appendAll(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
}

/** An element with attributes (`class`, `on<event>` handlers, others as is). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else element.setAttribute(name, value === true ? '' : String(value));
  }
  appendAll(element, children);
  return element;
}

export function replaceContent(parent, ...children) {
  parent.replaceChildren();
  appendAll(parent, children);
}

/**
 * The text of a rendered document: the API renders templates with every value
 * HTML-escaped, so it is read as HTML by a parser that runs and loads nothing,
 * and only its text is shown.
 */
export function documentText(html) {
  return new DOMParser().parseFromString(html ?? '', 'text/html').body.textContent ?? '';
}

/** A definition list of label → value pairs, leaving out empty values. */
export function facts(pairs, className = 'facts') {
  const items = pairs.filter(([, value]) => value !== null && value !== undefined && value !== '');
  return h('dl', { class: className }, items.map(([label, value]) =>
    h('div', {}, h('dt', {}, label), h('dd', {}, value))));
}
