import { facts, h } from '../lib/dom.js';
import { address, label } from '../lib/labels.js';
import { badge, heading, table, unavailable } from './common.js';

export default async function estimatePage({ api, formats, params }) {
  const result = await api.run('Estimate', { id: params.id });
  const estimate = result.data.viewer.estimate;
  const back = h('p', { class: 'back' }, h('a', { href: '/estimates' }, '← All estimates'));
  if (!estimate) {
    const code = result.codeAt('viewer', 'estimate');
    return {
      title: 'Estimate',
      content: [back, heading('Estimate'), code === 'NOT_FOUND'
        ? h('p', { class: 'notice notice--muted' }, 'There is no such estimate on your account.')
        : unavailable(code)],
    };
  }
  const columns = [
    { label: 'Item' }, { label: 'Quantity', numeric: true },
    { label: 'Unit price', numeric: true }, { label: 'Amount', numeric: true },
  ];
  const rows = estimate.lines.map((line) => [
    [line.description, line.containerSize ? h('span', { class: 'meta' }, ` ${line.containerSize} yd${line.rentalDays ? `, ${line.rentalDays} days` : ''}`) : null],
    formats.number(line.quantity), formats.money(line.unitPrice), formats.money(line.amount),
  ]);
  return {
    title: `Estimate #${estimate.number}`,
    content: [
      back,
      heading(`Estimate #${estimate.number}: ${estimate.title}`, badge(estimate.status)),
      facts([
        ['Sent', formats.dateTime(estimate.sentAt)],
        ['Valid until', formats.date(estimate.validUntil)],
        ['Service address', estimate.serviceAddress ? address(estimate.serviceAddress) : null],
      ]),
      h('section', { 'aria-labelledby': 'lines-title' },
        h('h2', { id: 'lines-title' }, 'What is quoted'),
        table('Quoted items', columns, rows),
        facts([
          ['Subtotal', formats.money(estimate.subtotal)],
          ['Tax', formats.money(estimate.tax)],
          ['Total', h('strong', {}, formats.money(estimate.total))],
        ], 'facts totals')),
      estimate.notes ? h('section', { 'aria-labelledby': 'notes-title' },
        h('h2', { id: 'notes-title' }, 'Notes'), h('p', { class: 'prewrap' }, estimate.notes)) : null,
      // Phase 2: accept and decline (with signature when required) go here.
      h('div', { class: 'actions', 'data-actions': 'estimate' }),
      h('section', { 'aria-labelledby': 'timeline-title' },
        h('h2', { id: 'timeline-title' }, 'History'),
        h('ol', { class: 'timeline' }, estimate.events.map((event) => h('li', {},
          h('span', { class: 'timeline__when' }, formats.dateTime(event.occurredAt)), ' ',
          badge(event.status), h('span', { class: 'meta' }, ` by ${label(event.actorKind)}`))))),
    ],
  };
}
