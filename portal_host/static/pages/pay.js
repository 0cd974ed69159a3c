// Paying an invoice: all that is due or part of it, with a saved card or
// bank account or a new one; a receipt when it went through.
import { facts, h, replaceContent } from '../lib/dom.js';
import { checkbox, field, idempotencyKey, select, submitting } from '../lib/forms.js';
import { methodName } from '../lib/methods.js';
import { NEW_METHODS } from '../lib/sandbox.js';
import { heading, unavailable } from './common.js';
import { receipt } from './invoice.js';

export default async function payPage(page) {
  const { api, params, viewer } = page;
  const result = await api.run('PayInvoiceForm', { id: params.id });
  const { invoice, client } = result.data.viewer;
  const invoicePath = `/invoices/${encodeURIComponent(params.id)}`;
  const back = h('p', { class: 'back' }, h('a', { href: invoicePath }, '← Back to the invoice'));
  if (!invoice) {
    const code = result.codeAt('viewer', 'invoice');
    return { title: 'Pay invoice', content: [back, heading('Pay invoice'), code === 'NOT_FOUND'
      ? h('p', { class: 'notice notice--muted' }, 'There is no such invoice on your account.') : unavailable(code)] };
  }
  const title = `Pay invoice #${invoice.number}`;
  if (!viewer.account.hasPaymentsAddon) {
    return { title, content: [back, heading(title), h('p', { class: 'notice notice--info' },
      `${viewer.account.name} does not take payments online. Contact them to pay.`)] };
  }
  if (Number(invoice.amountDue.amount) <= 0) {
    return { title, content: [back, heading(title), h('p', { class: 'notice notice--good' }, 'Nothing is left to pay on this invoice.')] };
  }
  const area = h('div', {});
  replaceContent(area, payForm(page, invoice, client.paymentMethods?.nodes ?? [], area));
  return { title, content: [back, heading(title), area] };
}

function payForm(page, invoice, saved, area) {
  const { formats } = page;
  const amount = h('input', {
    name: 'amount', type: 'text', inputmode: 'decimal', autocomplete: 'off', required: true,
    value: formats.moneyInput(invoice.amountDue),
  });
  const choices = [
    ...saved.map((method) => [`saved:${method.id}`, methodName(method) + (method.isDefault ? ' (default)' : '')]),
    ['new:CARD', 'A new card'], ['new:ACH', 'A new bank account'],
  ];
  const chosen = saved.find((method) => method.isDefault) ?? saved[0];
  const radios = choices.map(([value, text], index) => {
    const input = h('input', {
      type: 'radio', name: 'source', value, id: `source-${index}`,
      checked: chosen ? value === `saved:${chosen.id}` : value === 'new:CARD',
    });
    return h('div', { class: 'check' }, input, h('label', { for: input.id }, text));
  });
  const token = select('token', []);
  const holder = h('input', { name: 'holderName', type: 'text', autocomplete: 'cc-name', maxlength: '200' });
  const save = checkbox('Save it for next time', { name: 'saveMethod' });
  const fresh = h('fieldset', { class: 'fieldset' },
    h('legend', {}, 'The new card or account'),
    field('Test card or account', token, { hint: 'This business uses the payment processor\u2019s sandbox: pick one of its test cards or accounts.' }),
    field('Name on the card or account', holder),
    save);
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const form = h('form', { class: 'form form--wide', novalidate: true, 'aria-label': 'Payment' },
    facts([['Total', formats.money(invoice.total)], ['Still to pay', h('strong', {}, formats.money(invoice.amountDue))]], 'facts'),
    field(`Amount to pay (${invoice.amountDue.currency})`, amount, { hint: 'All that is due, or less to pay part of it.' }),
    h('fieldset', { class: 'fieldset' }, h('legend', {}, 'Pay with'), radios),
    fresh,
    h('button', { type: 'submit', class: 'button' }, 'Pay now'));

  const source = () => form.querySelector('input[name=source]:checked')?.value ?? 'new:CARD';
  function showSource() {
    const [kind, value] = source().split(':');
    fresh.hidden = kind !== 'new';
    if (kind === 'new' && token.dataset.kind !== value) {
      token.dataset.kind = value;
      token.replaceChildren(...NEW_METHODS[value].map(([id, text]) => h('option', { value: id }, text)));
    }
  }
  showSource();

  // One key per attempt: kept when an answer never came (a retry must not
  // pay twice), dropped once the server answered or the form changed.
  let key = null;
  form.addEventListener('change', (event) => {
    key = null;
    if (event.target.name === 'source') showSource();
  });
  form.addEventListener('input', () => { key = null; });

  submitting(form, status, async () => {
    const minor = formats.toMinorUnits(amount.value, invoice.amountDue.currency);
    if (minor === null || minor <= 0) {
      return { userErrors: [{ field: ['input', 'amount'], message: 'Enter the amount to pay, for example 125.50.' }] };
    }
    const [kind, value] = source().split(':');
    const variables = kind === 'saved'
      ? { paymentMethodId: value }
      : { token: token.value, kind: value, holderName: holder.value.trim() || null,
        saveMethod: save.querySelector('input').checked };
    key ??= idempotencyKey();
    const payload = await page.api.mutate('PayInvoice', 'payInvoice', {
      invoiceId: invoice.id, amount: minor, idempotencyKey: key, ...variables,
    });
    key = null;
    if (!payload.userErrors.length && payload.payment) {
      replaceContent(area, paid(page, payload, invoice));
      area.querySelector('h2')?.focus();
    }
    return payload;
  }, { busyText: 'Paying…' });
  return [form, status];
}

function paid(page, payload, invoice) {
  const after = payload.invoice ?? invoice;
  return h('section', { class: 'panel', 'aria-labelledby': 'paid-title' },
    h('h2', { id: 'paid-title', tabindex: '-1' }, 'Thank you: your payment was received'),
    receipt(payload.payment, after, page.formats, page.viewer),
    h('p', {}, Number(after.amountDue.amount) > 0
      ? `${page.formats.money(after.amountDue)} is still to pay on invoice #${after.number}.`
      : `Invoice #${after.number} is paid in full.`),
    h('div', { class: 'button-row no-print' },
      h('a', { class: 'button', href: `/invoices/${encodeURIComponent(after.id)}` }, 'Back to the invoice'),
      h('button', { type: 'button', class: 'button button--quiet', onclick: () => window.print() }, 'Print receipt')));
}
