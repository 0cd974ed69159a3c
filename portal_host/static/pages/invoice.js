// An invoice, its lines, and a receipt for each payment applied to it.
import { facts, h } from '../lib/dom.js';
import { address, label } from '../lib/labels.js';
import { readOnlyNotice } from '../lib/forms.js';
import { badge, heading, table, unavailable } from './common.js';

export default async function invoicePage({ api, formats, params, viewer }) {
  const result = await api.run('Invoice', { id: params.id });
  const invoice = result.data.viewer.invoice;
  const back = h('p', { class: 'back' }, h('a', { href: '/invoices' }, '← All invoices'));
  if (!invoice) {
    const code = result.codeAt('viewer', 'invoice');
    return {
      title: 'Invoice',
      content: [back, heading('Invoice'), code === 'NOT_FOUND'
        ? h('p', { class: 'notice notice--muted' }, 'There is no such invoice on your account.')
        : unavailable(code)],
    };
  }
  const columns = [
    { label: 'Item' }, { label: 'Quantity', numeric: true },
    { label: 'Unit price', numeric: true }, { label: 'Amount', numeric: true },
  ];
  const rows = invoice.lines.map((line) => [
    line.description, formats.number(line.quantity), formats.money(line.unitPrice), formats.money(line.amount),
  ]);
  const activity = result.data.viewer.client.billing?.activity.nodes ?? [];
  const payments = activity.filter((entry) => entry.payment
    && entry.payment.appliedTo.some((applied) => applied.invoiceNumber === invoice.number))
    .map((entry) => entry.payment);
  return {
    title: `Invoice #${invoice.number}`,
    content: [
      back,
      heading(`Invoice #${invoice.number}`, badge(invoice.status)),
      facts([
        ['Issued', formats.date(invoice.issuedOn)],
        ['Due', formats.date(invoice.dueOn)],
        ['Paid in full', invoice.paidAt ? formats.dateTime(invoice.paidAt) : null],
        ['Voided', invoice.voidedAt ? `${formats.dateTime(invoice.voidedAt)}${invoice.voidReason ? `: ${invoice.voidReason}` : ''}` : null],
        ['Service address', invoice.serviceAddress ? address(invoice.serviceAddress) : null],
      ]),
      invoice.memo ? h('p', { class: 'prewrap' }, invoice.memo) : null,
      h('section', { 'aria-labelledby': 'lines-title' },
        h('h2', { id: 'lines-title' }, 'What was billed'),
        table('Billed items', columns, rows),
        facts([
          ['Subtotal', formats.money(invoice.subtotal)],
          ['Tax', formats.money(invoice.tax)],
          ['Total', formats.money(invoice.total)],
          ['Paid', formats.money(invoice.amountPaid)],
          ['Still to pay', h('strong', {}, formats.money(invoice.amountDue))],
        ], 'facts totals')),
      payAction(invoice, viewer, formats),
      h('section', { 'aria-labelledby': 'receipts-title' },
        h('h2', { id: 'receipts-title' }, 'Payments and receipts'),
        payments.length
          ? h('ul', { class: 'cards' }, payments.map((payment) => h('li', { class: 'card' },
            receipt(payment, invoice, formats, viewer))))
          : h('p', { class: 'empty' }, 'No payments yet.')),
    ],
  };
}

export function receipt(payment, invoice, formats, viewer) {
  const applied = payment.appliedTo.find((entry) => entry.invoiceNumber === invoice.number);
  const title = payment.status === 'SUCCEEDED' ? 'Receipt' : 'Payment that did not go through';
  return h('article', { class: 'receipt', 'aria-label': `${title}, ${formats.dateTime(payment.receivedAt)}` },
    h('h3', { class: 'card__title' }, `${title}: ${formats.money(payment.amount)}`, ' ', badge(payment.status)),
    facts([
      ['Received from', viewer.client.displayName],
      ['Received by', viewer.account.name],
      ['Date', formats.dateTime(payment.receivedAt)],
      ['Method', label(payment.method)],
      ['Reference', payment.reference],
      ['Applied to this invoice', applied ? formats.money(applied.amount) : null],
      ['Why it failed', payment.failureReason],
    ]));
}

function payAction(invoice, viewer, formats) {
  if (Number(invoice.amountDue.amount) <= 0 || !viewer.account.hasPaymentsAddon) return null;
  if (viewer.isStaffPreview) return readOnlyNotice('paying');
  return h('p', { class: 'actions' },
    h('a', { class: 'button', href: `/invoices/${encodeURIComponent(invoice.id)}/pay` },
      `Pay ${formats.money(invoice.amountDue)}`));
}
