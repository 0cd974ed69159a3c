// <hg-page-state>: what a page shows while it loads, or when it failed.
// Loading is announced politely; a failure is an alert with a way to retry.
import { h, replaceContent } from '../lib/dom.js';

export class PageState extends HTMLElement {
  loading(text = 'Loading…') {
    this.setAttribute('role', 'status');
    this.dataset.state = 'loading';
    replaceContent(this, h('p', { class: 'page-state' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text));
    return this;
  }

  failed(message, retry) {
    this.setAttribute('role', 'alert');
    this.dataset.state = 'error';
    replaceContent(this, h('div', { class: 'notice notice--error' },
      h('p', {}, message),
      retry ? h('button', { type: 'button', class: 'button', onclick: retry }, 'Try again') : null));
    return this;
  }
}

customElements.define('hg-page-state', PageState);
