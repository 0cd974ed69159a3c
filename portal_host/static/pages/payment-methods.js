// Cards and bank accounts on file: add one, choose the default, remove one.
import { h } from '../lib/dom.js';
import { checkbox, field, readOnlyNotice, select, submitting } from '../lib/forms.js';
import { methodName } from '../lib/methods.js';
import { NEW_METHODS } from '../lib/sandbox.js';
import { badge, empty, heading, unavailable } from './common.js';

export default async function paymentMethodsPage(page) {
  const { api, viewer, formats } = page;
  const intro = heading('Payment methods', h('p', { class: 'lead' }, 'Cards and bank accounts you pay with.'));
  if (!viewer.account.hasPaymentsAddon) {
    return { title: 'Payment methods', content: [intro, h('p', { class: 'notice notice--info' },
      `${viewer.account.name} does not take payments online.`)] };
  }
  const result = await api.run('PaymentMethods');
  const methods = result.data.viewer.client.paymentMethods;
  if (!methods) {
    return { title: 'Payment methods', content: [intro, unavailable(result.codeAt('viewer', 'client', 'paymentMethods'))] };
  }
  const status = h('div', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
  const list = methods.nodes.length
    ? h('ul', { class: 'cards', 'aria-label': 'Saved payment methods' },
      methods.nodes.map((method) => h('li', { class: 'card' }, methodItem(page, method, status, formats))))
    : empty('No card or bank account is saved.');
  return {
    title: 'Payment methods',
    content: [intro, status,
      h('section', { 'aria-labelledby': 'saved-title' }, h('h2', { id: 'saved-title' }, 'Saved'), list),
      viewer.isStaffPreview ? readOnlyNotice('adding or changing payment methods') : addForm(page)],
  };
}

function methodItem(page, method, status, formats) {
  const name = methodName(method);
  const actions = page.viewer.isStaffPreview ? [] : [
    method.isDefault ? null : h('button', {
      type: 'button', class: 'button button--quiet', 'aria-label': `Make ${name} the default`,
      onclick: (event) => act(page, status, event.currentTarget, `${name} is now your default.`,
        () => page.api.mutate('SetDefaultPaymentMethod', 'setDefaultPaymentMethod', { paymentMethodId: method.id })),
    }, 'Make default'),
    h('button', {
      type: 'button', class: 'button button--danger', 'aria-label': `Remove ${name}`,
      onclick: (event) => {
        if (!window.confirm(`Remove ${name}?`)) return;
        act(page, status, event.currentTarget, `${name} was removed.`,
          () => page.api.mutate('RemovePaymentMethod', 'removePaymentMethod', { paymentMethodId: method.id }));
      },
    }, 'Remove'),
  ];
  return [
    h('h3', { class: 'card__title' }, name),
    h('p', { class: 'card__line' }, method.isDefault ? badge('DEFAULT') : null,
      h('span', { class: 'meta' }, [method.holderName, `added ${formats.dateTime(method.createdAt)}`].filter(Boolean).join(' · '))),
    actions.length ? h('div', { class: 'button-row' }, actions) : null,
  ];
}

async function act(page, status, button, doneText, run) {
  button.disabled = true;
  status.replaceChildren(h('p', {}, 'Saving…'));
  try {
    const payload = await run();
    if (payload.userErrors.length) {
      status.replaceChildren(h('p', { class: 'notice notice--error', role: 'alert' }, payload.userErrors[0].message));
      button.disabled = false;
      return;
    }
    page.notify(doneText);
    page.navigate('/payment-methods', { replace: true });
  } catch (error) {
    status.replaceChildren(h('p', { class: 'notice notice--error', role: 'alert' }, error.message));
    button.disabled = false;
  }
}

function addForm(page) {
  const kind = select('kind', [['CARD', 'Card'], ['ACH', 'Bank account (ACH)']], 'CARD');
  const token = select('token', NEW_METHODS.CARD);
  kind.addEventListener('change', () => {
    token.replaceChildren(...NEW_METHODS[kind.value].map(([value, text]) => h('option', { value }, text)));
  });
  const holder = h('input', { name: 'holderName', type: 'text', autocomplete: 'name', maxlength: '200' });
  const makeDefault = checkbox('Make it my default', { name: 'makeDefault' });
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'add-title' },
    field('Kind', kind),
    field('Test card or account', token, { hint: 'This business uses the payment processor\u2019s sandbox: pick one of its test cards or accounts.' }),
    field('Name on the card or account', holder),
    makeDefault,
    h('button', { type: 'submit', class: 'button' }, 'Save payment method'));
  submitting(form, status, async () => {
    const payload = await page.api.mutate('AddPaymentMethod', 'addPaymentMethod', {
      kind: kind.value, token: token.value, holderName: holder.value.trim() || null,
      makeDefault: makeDefault.querySelector('input').checked,
    });
    if (!payload.userErrors.length) {
      page.notify(`${methodName(payload.paymentMethod)} was saved.`);
      page.navigate('/payment-methods', { replace: true });
    }
    return payload;
  });
  return h('section', { 'aria-labelledby': 'add-title' }, h('h2', { id: 'add-title' }, 'Add a card or bank account'), form, status);
}
