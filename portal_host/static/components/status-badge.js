// <hg-status status="OVERDUE"></hg-status>: a status in words, in its tone.
import { label, tone } from '../lib/labels.js';

export class StatusBadge extends HTMLElement {
  static observedAttributes = ['status'];

  connectedCallback() {
    this.update();
  }

  attributeChangedCallback() {
    this.update();
  }

  update() {
    const status = this.getAttribute('status');
    this.dataset.tone = tone(status);
    this.textContent = label(status);
  }
}

customElements.define('hg-status', StatusBadge);
