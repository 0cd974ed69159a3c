// What a staff preview sees in place of a page that would change something.
import { h } from '../lib/dom.js';
import { heading } from './common.js';

export default async function readOnlyPage() {
  return {
    title: 'Staff view — read only',
    content: [heading('Staff view — read only'),
      h('p', {}, 'This page changes the client\u2019s account, so a staff preview cannot open it. ',
        h('a', { href: '/' }, 'Back to the overview'), '.')],
  };
}
