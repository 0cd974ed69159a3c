import { h } from '../lib/dom.js';
import { PAGE_SIZE, badge, empty, heading, pagedList, unavailable } from './common.js';

export default async function invoicesPage({ api, formats }) {
  const fetchPage = async (after) => {
    const result = await api.run('Invoices', { first: PAGE_SIZE, after });
    return { billing: result.data.viewer.client.billing, code: result.codeAt('viewer', 'client', 'billing') };
  };
  const { billing, code } = await fetchPage(null);
  const intro = heading('Invoices', billing
    ? h('p', { class: 'lead' }, 'Your balance: ', h('strong', {}, formats.money(billing.balance)))
    : null);
  if (!billing) return { title: 'Invoices', content: [intro, unavailable(code)] };
  if (!billing.invoices.nodes.length) return { title: 'Invoices', content: [intro, empty('You have no invoices yet.')] };
  const item = (invoice) => [
    h('h2', { class: 'card__title' },
      h('a', { href: `/invoices/${encodeURIComponent(invoice.id)}` }, `Invoice #${invoice.number}`)),
    h('p', { class: 'card__line' }, badge(invoice.status), h('span', { class: 'card__amount' }, formats.money(invoice.total))),
    h('p', { class: 'meta' }, `Issued ${formats.date(invoice.issuedOn)} · due ${formats.date(invoice.dueOn)}`,
      Number(invoice.amountDue.amount) > 0 ? ` · ${formats.money(invoice.amountDue)} to pay` : ''),
  ];
  return {
    title: 'Invoices',
    content: [intro, pagedList({
      label: 'Your invoices', first: billing.invoices, item,
      fetchPage: async (after) => (await fetchPage(after)).billing.invoices,
    })],
  };
}
