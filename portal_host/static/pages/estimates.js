import { h } from '../lib/dom.js';
import { PAGE_SIZE, badge, empty, heading, pagedList, unavailable } from './common.js';

export default async function estimatesPage({ api, formats }) {
  const fetchPage = async (after) => {
    const result = await api.run('Estimates', { first: PAGE_SIZE, after });
    return { connection: result.data.viewer.client.estimates, code: result.codeAt('viewer', 'client', 'estimates') };
  };
  const { connection, code } = await fetchPage(null);
  const intro = heading('Estimates', h('p', { class: 'lead' }, 'Quotes the business sent you, newest first.'));
  if (!connection) return { title: 'Estimates', content: [intro, unavailable(code)] };
  if (!connection.nodes.length) return { title: 'Estimates', content: [intro, empty('You have no estimates yet.')] };
  const item = (estimate) => [
    h('h2', { class: 'card__title' },
      h('a', { href: `/estimates/${encodeURIComponent(estimate.id)}` }, `Estimate #${estimate.number}: ${estimate.title}`)),
    h('p', { class: 'card__line' }, badge(estimate.status), h('span', { class: 'card__amount' }, formats.money(estimate.total))),
    h('p', { class: 'meta' }, `Sent ${formats.dateTime(estimate.sentAt)} · valid until ${formats.date(estimate.validUntil)}`),
  ];
  return {
    title: 'Estimates',
    content: [intro, pagedList({
      label: 'Your estimates', first: connection, item,
      fetchPage: async (after) => (await fetchPage(after)).connection,
    })],
  };
}
