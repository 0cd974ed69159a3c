import { h } from '../lib/dom.js';
import { heading } from './common.js';

export default async function notFoundPage() {
  return {
    title: 'Page not found',
    content: [heading('Page not found'),
      h('p', {}, 'There is no page at this address. ', h('a', { href: '/' }, 'Go to your overview'), '.')],
  };
}
