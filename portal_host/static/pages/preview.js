// A staff preview: /preview#token=… opens the client's dashboard as the
// client sees it, read-only, for the link's short life. Like a sign-in link,
// the token is in the fragment and leaves the address bar at once.
import { h } from '../lib/dom.js';
import { heading } from './common.js';

export default async function previewPage(page) {
  const token = new URLSearchParams(page.url.hash.slice(1)).get('token');
  window.history.replaceState(null, '', '/preview');
  if (token) {
    page.signedIn(token, null);
    return { title: 'Opening the preview', content: [heading('Opening the preview…')] };
  }
  return {
    title: 'Staff preview',
    content: [heading('Staff preview'),
      h('p', { class: 'notice notice--warn', role: 'alert' },
        'This preview link is incomplete. Open the client\u2019s dashboard again from their profile.')],
  };
}
