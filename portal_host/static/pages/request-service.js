// Asking the business for a service: what, where, and when it would suit.
import { h } from '../lib/dom.js';
import { field, select, submitting } from '../lib/forms.js';
import { address, label } from '../lib/labels.js';
import { heading, unavailable } from './common.js';

const KINDS = ['DELIVERY', 'PICKUP', 'EXCHANGE', 'JUNK_REMOVAL', 'OTHER'];
const KIND_WORDS = {
  DELIVERY: 'Deliver a dumpster', PICKUP: 'Pick up my dumpster', EXCHANGE: 'Swap my full dumpster for an empty one',
  JUNK_REMOVAL: 'Junk removal', OTHER: 'Something else',
};

export default async function requestServicePage(page) {
  const result = await page.api.run('RequestServiceForm');
  const addresses = result.data.viewer.client.addresses;
  const back = h('p', { class: 'back' }, h('a', { href: '/services' }, '← Services'));
  const intro = heading('Request a service', h('p', { class: 'lead' }, 'Tell us what you need; we confirm the day with you.'));
  if (!addresses) return { title: 'Request a service', content: [back, intro, unavailable(result.codeAt('viewer', 'client', 'addresses'))] };
  if (!addresses.nodes.length) {
    return { title: 'Request a service', content: [back, intro, h('p', { class: 'notice notice--info' },
      `We have no service address for you yet. Contact ${page.viewer.account.name} to add one.`)] };
  }
  return { title: 'Request a service', content: [back, intro, form(page, addresses.nodes)] };
}

function form(page, addresses) {
  const kind = select('kind', KINDS.map((value) => [value, KIND_WORDS[value] ?? label(value)]), 'DELIVERY');
  const place = select('addressId', addresses.map((entry) => [entry.id, placeName(entry)]),
    (addresses.find((entry) => entry.isDefault) ?? addresses[0]).id);
  const when = h('input', { name: 'preferredOn', type: 'date', min: page.formats.today() });
  const notes = h('textarea', { name: 'notes', rows: '4', maxlength: '2000' });
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const element = h('form', { class: 'form form--wide', novalidate: true, 'aria-label': 'Service request' },
    field('What do you need?', kind),
    field('Where', place),
    field('Preferred day (optional)', when, { hint: 'We confirm the day with you.' }),
    field('Anything we should know? (optional)', notes, { hint: 'For example where to place the dumpster, or a gate code.' }),
    h('button', { type: 'submit', class: 'button' }, 'Send request'));
  submitting(element, status, async () => {
    const payload = await page.api.mutate('RequestService', 'requestService', {
      kind: kind.value, addressId: place.value, preferredOn: when.value || null, notes: notes.value.trim() || null,
    });
    if (!payload.userErrors.length) {
      page.notify('Your request was sent. The business will contact you to confirm.');
      page.navigate('/services');
    }
    return payload;
  }, { busyText: 'Sending…' });
  return [element, status];
}

export function placeName(entry) {
  return entry.label ? `${entry.label}: ${address(entry)}` : address(entry);
}
