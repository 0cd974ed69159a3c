// Communication preferences: each kind of notification on or off by email
// and by text, and the signed-in person's consent to texts. Each change is
// saved as it is made.
import { h } from '../lib/dom.js';
import { checkbox, readOnlyNotice } from '../lib/forms.js';
import { heading, unavailable } from './common.js';

export const EVENTS = {
  ESTIMATE_SENT: 'New estimates',
  INVOICE_SENT: 'New invoices',
  PAYMENT_REQUEST: 'Requests to pay',
  PAYMENT_RECEIPT: 'Payment receipts',
  TASK_SCHEDULED: 'Service scheduled',
  TASK_REMINDER: 'Reminder the day before a service',
  TASK_COMPLETED: 'Service done',
  DOCUMENT_TO_SIGN: 'Documents to sign',
  DASHBOARD_INVITATION: 'Dashboard invitations',
  HOLD_PLACED: 'Account placed on hold',
};
const CHANNELS = { EMAIL: 'Email', TEXT: 'Text' };

export default async function preferencesPage(page) {
  const result = await page.api.run('Preferences');
  const { client, contact } = result.data.viewer;
  const intro = heading('Preferences', h('p', { class: 'lead' }, 'Choose how we keep you informed.'));
  const settings = client.notificationSettings;
  if (!settings) {
    return { title: 'Preferences', content: [intro, unavailable(result.codeAt('viewer', 'client', 'notificationSettings'))] };
  }
  const status = h('div', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
  const textsWait = h('p', { class: 'notice notice--info', hidden: Boolean(contact?.textConsent) },
    'Texts go out only once you agree to text messages above.');
  return {
    title: 'Preferences',
    content: [
      intro,
      page.viewer.isStaffPreview ? readOnlyNotice('changing preferences') : null,
      status,
      consentSection(page, contact, status, textsWait),
      notificationsSection(page, settings, textsWait, status),
    ],
  };
}

function consentSection(page, contact, status, textsWait) {
  const readOnly = page.viewer.isStaffPreview;
  const hasPhone = Boolean(contact?.phone);
  const box = checkbox(
    hasPhone ? `I agree to get text messages from ${page.viewer.account.name} at ${contact.phone}.`
      : `I agree to get text messages from ${page.viewer.account.name}.`,
    { name: 'textConsent', checked: Boolean(contact?.textConsent), disabled: readOnly || !contact });
  const input = box.querySelector('input');
  // When the person agreed is kept as the record of their consent.
  const agreedOn = h('p', { class: 'hint', 'data-consent-at': '' });
  const showAgreed = (at) => {
    agreedOn.textContent = at ? `You agreed on ${page.formats.dateTime(at)}.` : '';
    agreedOn.hidden = !at;
  };
  showAgreed(contact?.textConsentAt);
  input.addEventListener('change', async () => {
    const payload = await save(page, status, input,
      () => page.api.mutate('SetTextConsent', 'setTextConsent', { consent: input.checked }),
      input.checked ? 'You will get the text messages turned on below.' : 'You will get no more text messages.');
    if (payload?.contact) showAgreed(payload.contact.textConsentAt);
    textsWait.hidden = input.checked;
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'texts-title' },
    h('h2', { id: 'texts-title' }, 'Text messages'),
    box,
    agreedOn,
    h('p', { class: 'hint' }, hasPhone
      ? 'Texts go to this number. Message and data rates may apply; reply STOP to any text to stop them.'
      : 'We have no mobile number for you. Ask the business to add one to get texts.'));
}

function notificationsSection(page, settings, textsWait, status) {
  const byEvent = new Map();
  for (const setting of settings) {
    if (!byEvent.has(setting.event)) byEvent.set(setting.event, {});
    byEvent.get(setting.event)[setting.channel] = setting;
  }
  const rows = [...byEvent.entries()].map(([event, channels]) => h('tr', {},
    h('th', { scope: 'row' }, EVENTS[event] ?? event),
    Object.keys(CHANNELS).map((channel) => h('td', { class: 'toggle-cell' },
      channels[channel] ? toggle(page, status, event, channel, channels[channel]) : '—'))));
  return h('section', { 'aria-labelledby': 'notifications-title' },
    h('h2', { id: 'notifications-title' }, 'What we send you'),
    h('p', { class: 'hint' }, 'Each change is saved at once. Where you have not chosen, the business\u2019s usual choice applies.'),
    textsWait,
    h('div', { class: 'table-wrap', role: 'region', 'aria-label': 'Notifications by channel', tabindex: '0' },
      h('table', { class: 'preferences' },
        h('caption', { class: 'visually-hidden' }, 'Notifications by email and by text'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Notification'),
          Object.values(CHANNELS).map((name) => h('th', { scope: 'col', class: 'toggle-cell' }, name)))),
        h('tbody', {}, rows))));
}

function toggle(page, status, event, channel, setting) {
  const what = `${EVENTS[event] ?? event} by ${CHANNELS[channel].toLowerCase()}`;
  const input = h('input', {
    type: 'checkbox', checked: setting.isEnabled, 'aria-label': what,
    'data-event': event, 'data-channel': channel, disabled: page.viewer.isStaffPreview,
  });
  input.addEventListener('change', () => save(page, status, input,
    () => page.api.mutate('SetCommunicationPreference', 'setCommunicationPreference',
      { event, channel, isEnabled: input.checked }),
    `${what}: ${input.checked ? 'on' : 'off'}.`));
  return input;
}

/** Save one change; on a refusal the box goes back and the reason is shown. */
async function save(page, status, input, run, savedText) {
  input.disabled = true;
  status.replaceChildren(h('p', {}, 'Saving…'));
  try {
    const payload = await run();
    if (payload.userErrors.length) {
      input.checked = !input.checked;
      status.replaceChildren(h('p', { class: 'notice notice--error', role: 'alert' }, payload.userErrors[0].message));
    } else {
      status.replaceChildren(h('p', { class: 'notice notice--good' }, `Saved. ${savedText}`));
    }
    return payload;
  } catch (error) {
    input.checked = !input.checked;
    status.replaceChildren(h('p', { class: 'notice notice--error', role: 'alert' }, error.message));
    return null;
  } finally {
    input.disabled = false;
    input.focus();
  }
}
