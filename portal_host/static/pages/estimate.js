// One estimate: its lines, its history, and the client's answer to it.
// Opening it tells the business it was read; accepting may ask for the
// client's typed name as a signature.
import { facts, h } from '../lib/dom.js';
import { checkbox, field, readOnlyNotice, submitting } from '../lib/forms.js';
import { address, label } from '../lib/labels.js';
import { badge, heading, table, unavailable } from './common.js';

const ANSWERABLE = ['NO_RESPONSE', 'READ', 'REVIEWED'];

export default async function estimatePage(page) {
  const { api, formats, params, viewer } = page;
  const result = await api.run('Estimate', { id: params.id });
  let estimate = result.data.viewer.estimate;
  if (estimate?.status === 'NO_RESPONSE' && !viewer.isStaffPreview) {
    estimate = await markRead(api, estimate);
  }
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
    [line.description, line.containerSize && !line.description.includes(`${line.containerSize} yd`)
      ? h('span', { class: 'meta' }, ` ${line.containerSize} yd${line.rentalDays ? `, ${line.rentalDays} days` : ''}`) : null],
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
      answer(page, estimate),
      h('section', { 'aria-labelledby': 'timeline-title' },
        h('h2', { id: 'timeline-title' }, 'History'),
        h('ol', { class: 'timeline' }, estimate.events.map((event) => h('li', {},
          h('span', { class: 'timeline__when' }, formats.dateTime(event.occurredAt)), ' ',
          badge(event.status), h('span', { class: 'meta' }, ` by ${label(event.actorKind)}`))))),
    ],
  };
}

/** The estimate as the business now sees it: read. A refusal changes nothing shown. */
async function markRead(api, estimate) {
  try {
    const payload = await api.mutate('MarkEstimateRead', 'markEstimateRead', { estimateId: estimate.id });
    return payload.estimate ? { ...estimate, ...payload.estimate } : estimate;
  } catch {
    return estimate;
  }
}

function answer(page, estimate) {
  const section = (...children) => h('section', { class: 'panel actions', 'aria-labelledby': 'answer-title' },
    h('h2', { id: 'answer-title' }, 'Your answer'), children);
  if (!ANSWERABLE.includes(estimate.status)) {
    const words = {
      ACCEPTED: 'You accepted this estimate. The business will be in touch to schedule the work.',
      DECLINED: 'You declined this estimate.',
      EXPIRED: 'This estimate has expired. Ask the business for a new one.',
    };
    return words[estimate.status] ? section(h('p', {}, words[estimate.status])) : null;
  }
  if (page.viewer.isStaffPreview) return section(readOnlyNotice('accepting or declining'));
  return section(h('div', { class: 'answer-forms' },
    h('div', {}, acceptForm(page, estimate)), h('div', {}, declineForm(page, estimate))));
}

function acceptForm(page, estimate) {
  // The name is asked for only where accepting is signed.
  const signs = estimate.acceptanceNeedsSignature;
  const signer = signs
    ? h('input', { name: 'signerName', type: 'text', autocomplete: 'name', maxlength: '200', required: true })
    : null;
  const agree = checkbox(`I accept estimate #${estimate.number} for ${page.formats.money(estimate.total)}.`,
    { name: 'agree', required: true });
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const form = h('form', { class: 'form form--wide', novalidate: true, 'aria-label': 'Accept this estimate' },
    h('h3', {}, 'Accept'),
    signs ? field('Your full name, as your signature', signer, {
      hint: 'Kept with the time you accept, as your signature.',
    }) : null,
    agree,
    h('button', { type: 'submit', class: 'button' }, 'Accept estimate'));
  submitting(form, status, async () => {
    if (!agree.querySelector('input').checked) {
      status.replaceChildren(h('p', { class: 'notice notice--error', role: 'alert' }, 'Tick the box to accept the estimate.'));
      agree.querySelector('input').focus();
      return null;
    }
    const payload = await page.api.mutate('AcceptEstimate', 'acceptEstimate', {
      estimateId: estimate.id, signerName: signer?.value.trim() || null,
    });
    if (!payload.userErrors.length) done(page, 'You accepted the estimate. Thank you!');
    return payload;
  }, { busyText: 'Accepting…' });
  return [form, status];
}

function declineForm(page, estimate) {
  const reason = h('textarea', { name: 'reason', rows: '3', maxlength: '1000' });
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const form = h('form', { class: 'form form--wide', novalidate: true, 'aria-label': 'Decline this estimate' },
    h('h3', {}, 'Decline'),
    field('Why not? (optional)', reason),
    h('button', { type: 'submit', class: 'button button--quiet' }, 'Decline estimate'));
  submitting(form, status, async () => {
    const payload = await page.api.mutate('DeclineEstimate', 'declineEstimate', {
      estimateId: estimate.id, reason: reason.value.trim() || null,
    });
    if (!payload.userErrors.length) done(page, 'You declined the estimate. The business has been told.');
    return payload;
  }, { busyText: 'Declining…' });
  return [form, status];
}

function done(page, message) {
  page.notify(message);
  page.navigate(page.url.pathname, { replace: true });
}
