// Ordering a dumpster: size, days, address, a live price, and the terms to
// accept. The order is a delivery that waits for the business to confirm.
import { documentText, facts, h, replaceContent } from '../lib/dom.js';
import { checkbox, field, select, submitting } from '../lib/forms.js';
import { label } from '../lib/labels.js';
import { heading } from './common.js';
import { placeName } from './request-service.js';

const MATERIALS = ['GENERAL_DEBRIS', 'CONSTRUCTION', 'ROOFING', 'CONCRETE', 'DIRT', 'YARD_WASTE', 'MIXED_RECYCLING'];

export default async function scheduleRentalPage(page) {
  const result = await page.api.run('RentalForm');
  const { rentalOptions: options, client } = result.data.viewer;
  const back = h('p', { class: 'back' }, h('a', { href: '/services' }, '← Services'));
  const intro = heading('Schedule a rental', h('p', { class: 'lead' }, 'Order a dumpster at the price that applies to you.'));
  const title = 'Schedule a rental';
  if (!options?.available) {
    return { title, content: [back, intro, h('p', { class: 'notice notice--info' },
      options?.unavailableReason ?? `Ordering online is not offered. Contact ${page.viewer.account.name} to order.`)] };
  }
  const addresses = client.addresses?.nodes ?? [];
  if (!addresses.length) {
    return { title, content: [back, intro, h('p', { class: 'notice notice--info' },
      `We have no service address for you yet. Contact ${page.viewer.account.name} to add one.`)] };
  }
  return { title, content: [back, intro, form(page, options, addresses)] };
}

function addDays(isoDate, days) {
  const day = new Date(`${isoDate}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

function form(page, options, addresses) {
  const { formats } = page;
  const size = select('containerSize', options.sizes.map((yards) => [yards, `${yards} yard`]), options.sizes[0]);
  const place = select('addressId', addresses.map((entry) => [entry.id, placeName(entry)]),
    (addresses.find((entry) => entry.isDefault) ?? addresses[0]).id);
  const delivery = h('input', { name: 'deliveryOn', type: 'date', required: true, min: options.earliestDeliveryOn, value: options.earliestDeliveryOn });
  const firstLength = options.rentalDays[0] ?? 7;
  const pickup = h('input', { name: 'pickupOn', type: 'date', required: true, min: options.earliestDeliveryOn, value: addDays(options.earliestDeliveryOn, firstLength) });
  const material = select('material', MATERIALS.map((value) => [value, label(value)]), 'GENERAL_DEBRIS');
  const notes = h('textarea', { name: 'notes', rows: '3', maxlength: '2000' });
  const terms = checkbox(`I accept ${options.termsTitle ?? 'the terms and conditions'}.`, { name: 'acceptTerms' });
  const quote = h('div', { class: 'quote', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const lengths = options.rentalDays.length
    ? `Rental lengths offered: ${options.rentalDays.map((days) => `${days} days`).join(', ')}.` : null;
  // Phones read it top to bottom; wide screens keep the price and terms
  // beside the choices they follow.
  const element = h('form', { class: 'form rental', novalidate: true, 'aria-label': 'Rental order' },
    h('div', { class: 'rental__choices' },
      field('Dumpster size', size),
      field('Deliver to', place),
      field('Delivery day', delivery, { hint: `The earliest is ${formats.date(options.earliestDeliveryOn)}.` }),
      field('Pickup day', pickup, { hint: lengths }),
      field('What goes in it', material),
      field('Anything we should know? (optional)', notes)),
    h('div', { class: 'rental__summary' },
      h('section', { class: 'quote-box', 'aria-labelledby': 'quote-title' }, h('h2', { id: 'quote-title' }, 'Your price'), quote),
      options.termsText ? h('section', { 'aria-labelledby': 'terms-title' },
        h('h2', { id: 'terms-title' }, options.termsTitle ?? 'Terms and conditions'),
        h('div', { class: 'document-text prewrap terms', tabindex: '0', role: 'region', 'aria-labelledby': 'terms-title' }, documentText(options.termsText))) : null,
      h('div', { class: 'field', 'data-field': 'acceptTerms' }, terms),
      h('button', { type: 'submit', class: 'button' }, 'Order this dumpster')));

  const values = () => ({
    containerSize: Number(size.value), deliveryOn: delivery.value, pickupOn: pickup.value, addressId: place.value,
  });
  let asked = 0;
  async function requote() {
    const mine = ++asked;
    const wanted = values();
    if (!wanted.deliveryOn || !wanted.pickupOn) {
      replaceContent(quote, h('p', { class: 'hint' }, 'Choose the delivery and pickup days to see the price.'));
      return;
    }
    replaceContent(quote, h('p', { class: 'page-state', 'data-state': 'loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Working out the price…'));
    try {
      const result = await page.api.run('RentalQuote', wanted);
      if (mine !== asked) return;
      const answer = result.data.viewer.rentalQuote;
      if (!answer?.quote) {
        replaceContent(quote, h('p', { class: 'notice notice--warn' }, answer?.userErrors?.[0]?.message ?? 'No price could be worked out for this choice.'));
        return;
      }
      const found = answer.quote;
      replaceContent(quote,
        h('p', { class: 'figure figure--small', 'data-quote': found.amount.amount }, formats.money(found.amount)),
        h('p', { class: 'meta' }, found.pricedBy),
        facts([
          ['Included', `${found.includedDays} days, ${formats.number(found.includedTons)} ${Number(found.includedTons) === 1 ? 'ton' : 'tons'}`],
          ['Each extra day', formats.money(found.extraDayPrice)],
          ['Each ton over', formats.money(found.overagePerTon)],
        ]));
    } catch (error) {
      if (mine === asked) replaceContent(quote, h('p', { class: 'notice notice--error' }, error.message));
    }
  }
  for (const control of [size, place, delivery, pickup]) control.addEventListener('change', requote);
  requote();

  submitting(element, status, async () => {
    const payload = await page.api.mutate('ScheduleRental', 'scheduleRental', {
      ...values(), acceptTerms: terms.querySelector('input').checked,
      material: material.value, notes: notes.value.trim() || null,
    });
    if (!payload.userErrors.length && payload.task) {
      page.notify(`Your ${payload.task.containerSize} yard dumpster is ordered for ${formats.date(payload.task.scheduledOn ?? values().deliveryOn)}. `
        + 'The delivery is pending until the business confirms it.');
      page.navigate('/services');
    }
    return payload;
  }, { busyText: 'Ordering…' });
  return [element, status];
}
