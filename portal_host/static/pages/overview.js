// The home page: what is owed, a hold and what to do about it, the next
// service and the estimates that wait for an answer.
import { h } from '../lib/dom.js';
import { address, label } from '../lib/labels.js';
import { badge, empty, heading, unavailable } from './common.js';
import { serviceActions } from './services.js';

const WHAT_TO_DO = {
  FAILED_PAYMENTS: 'Several payments in a row did not go through. Pay what is due, and check the card or bank account you pay with.',
  BALANCE_THRESHOLD: 'Your balance is above the limit the business allows. Paying what is due lifts the hold.',
  DAYS_PAST_DUE: 'An invoice is long past its due date. Paying the overdue invoices lifts the hold.',
  MANUAL: 'Contact the business to find out what is needed to lift it.',
};

export default async function overviewPage({ api, viewer, formats }) {
  const result = await api.run('Overview');
  const client = result.data.viewer.client;
  const billing = client.billing;
  const greeting = viewer.contact?.firstName ? `Hello, ${viewer.contact.firstName}` : 'Overview';
  return {
    title: 'Overview',
    content: [
      heading(greeting, h('p', { class: 'lead' }, `Your account with ${viewer.account.name}.`)),
      billing?.onHold ? holdNotice(billing.onHold, formats) : serviceActions(viewer),
      h('div', { class: 'overview-grid' },
        balanceCard(billing, formats, result.codeAt('viewer', 'client', 'billing')),
        nextServiceCard(client.tasks, formats, result.codeAt('viewer', 'client', 'tasks')),
        estimatesCard(client.estimates, formats, result.codeAt('viewer', 'client', 'estimates')),
        invoicesCard(billing, formats)),
    ],
  };
}

function holdNotice(hold, formats) {
  return h('section', { class: 'notice notice--warn hold', 'aria-labelledby': 'hold-title' },
    h('h2', { id: 'hold-title' }, 'Your account is on hold'),
    h('p', {}, h('strong', {}, 'Why: '), hold.reason),
    h('p', {}, h('strong', {}, 'Since: '), formats.dateTime(hold.since)),
    h('p', {}, h('strong', {}, 'What to do: '), WHAT_TO_DO[hold.rule] ?? WHAT_TO_DO.MANUAL),
    h('p', {}, 'While on hold, new services wait. You can still see and pay your invoices, and manage ',
      'your payment methods and notifications. ', h('a', { href: '/invoices' }, 'See your invoices'), '.'));
}

function card(title, id, ...children) {
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), children);
}

function balanceCard(billing, formats, code) {
  if (!billing) return card('Balance due', 'balance-title', unavailable(code));
  const overdue = Number(billing.overdue.amount) > 0;
  return card('Balance due', 'balance-title',
    h('p', { class: 'figure' }, formats.money(billing.outstanding)),
    overdue ? h('p', { class: 'figure-note figure-note--warn' }, `${formats.money(billing.overdue)} is overdue.`) : null,
    h('p', {}, h('a', { href: '/invoices' }, 'View invoices')));
}

function nextServiceCard(tasks, formats, code) {
  if (!tasks) return card('Next service', 'next-service-title', unavailable(code));
  const task = tasks.nodes[0];
  if (!task) return card('Next service', 'next-service-title', empty('No service is scheduled.'), h('p', {}, h('a', { href: '/services' }, 'See your services')));
  return card('Next service', 'next-service-title',
    h('p', { class: 'figure figure--small' }, formats.date(task.scheduledOn)),
    h('p', {}, `${label(task.kind)} · ${task.containerSize} yd `, badge(task.status)),
    h('p', {}, address(task.serviceAddress)),
    h('p', {}, h('a', { href: '/services' }, 'See all services')));
}

function estimatesCard(estimates, formats, code) {
  if (!estimates) return card('Open estimates', 'open-estimates-title', unavailable(code));
  if (!estimates.nodes.length) {
    return card('Open estimates', 'open-estimates-title', empty('No estimates are waiting for your answer.'));
  }
  return card('Open estimates', 'open-estimates-title',
    h('ul', { class: 'plain-list' }, estimates.nodes.map((estimate) => h('li', {},
      h('a', { href: `/estimates/${encodeURIComponent(estimate.id)}` }, `#${estimate.number} ${estimate.title}`),
      ' ', badge(estimate.status),
      h('span', { class: 'meta' }, `${formats.money(estimate.total)} · valid until ${formats.date(estimate.validUntil)}`)))),
    estimates.totalCount > estimates.nodes.length
      ? h('p', {}, h('a', { href: '/estimates' }, `All ${estimates.totalCount} open estimates`)) : null);
}

function invoicesCard(billing, formats) {
  if (!billing) return null;
  const invoices = billing.invoices;
  if (!invoices.nodes.length) return card('Unpaid invoices', 'unpaid-title', empty('Nothing is waiting to be paid.'));
  return card('Unpaid invoices', 'unpaid-title',
    h('ul', { class: 'plain-list' }, invoices.nodes.map((invoice) => h('li', {},
      h('a', { href: `/invoices/${encodeURIComponent(invoice.id)}` }, `Invoice #${invoice.number}`),
      ' ', badge(invoice.status),
      h('span', { class: 'meta' }, `${formats.money(invoice.amountDue)} due ${formats.date(invoice.dueOn)}`)))),
    h('p', {}, h('a', { href: '/invoices' }, 'All invoices')));
}
