// One document: read it, then sign it where a signature is asked for.
// Opening it tells the business it was viewed.
import { documentText, facts, h } from '../lib/dom.js';
import { checkbox, field, readOnlyNotice, submitting } from '../lib/forms.js';
import { label } from '../lib/labels.js';
import { badge, heading, unavailable } from './common.js';

export default async function documentPage(page) {
  const { api, params, viewer, formats } = page;
  const result = await api.run('Document', { id: params.id });
  const back = h('p', { class: 'back' }, h('a', { href: '/documents' }, '← All documents'));
  let document = result.data.viewer.document;
  if (!document) {
    const code = result.codeAt('viewer', 'document');
    return { title: 'Document', content: [back, heading('Document'), code === 'NOT_FOUND'
      ? h('p', { class: 'notice notice--muted' }, 'There is no such document on your account.')
      : unavailable(code)] };
  }
  if (document.status === 'SENT' && !viewer.isStaffPreview) document = await markViewed(api, document);
  return {
    title: document.title,
    content: [
      back,
      heading(document.title, badge(document.status)),
      facts([
        ['Kind', label(document.kind)],
        ['Sent', formats.dateTime(document.sentAt)],
        ['Signed', document.signedAt ? `${formats.dateTime(document.signedAt)} by ${document.signerName ?? '—'}` : null],
      ]),
      h('section', { 'aria-labelledby': 'text-title' },
        h('h2', { id: 'text-title' }, 'The document'),
        h('div', { class: 'document-text prewrap', role: 'document', tabindex: '0', 'aria-labelledby': 'text-title' }, documentText(document.body))),
      signing(page, document),
    ],
  };
}

async function markViewed(api, document) {
  try {
    const payload = await api.mutate('MarkDocumentViewed', 'markDocumentViewed', { documentId: document.id });
    return payload.document ? { ...document, ...payload.document } : document;
  } catch {
    return document;
  }
}

function signing(page, document) {
  if (!document.requiresSignature || document.signedAt) return null;
  const wrap = (...children) => h('section', { class: 'panel actions', 'aria-labelledby': 'sign-title' },
    h('h2', { id: 'sign-title' }, 'Sign'), children);
  if (page.viewer.isStaffPreview) return wrap(readOnlyNotice('signing'));
  if (document.kind === 'ESTIMATE_SIGNATURE') {
    return wrap(h('p', {}, 'You sign this by accepting its estimate. ',
      h('a', { href: '/estimates' }, 'Open your estimates')));
  }
  const name = h('input', { name: 'signerName', type: 'text', autocomplete: 'name', required: true, maxlength: '200' });
  const agree = checkbox('I have read this document and agree to it.', { name: 'agree' });
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const form = h('form', { class: 'form form--wide', novalidate: true, 'aria-labelledby': 'sign-title' },
    field('Your full name, as your signature', name, { hint: 'Kept with the time you sign.' }),
    agree,
    h('button', { type: 'submit', class: 'button' }, 'Sign document'));
  submitting(form, status, async () => {
    if (!name.value.trim()) {
      return { userErrors: [{ field: ['input', 'signerName'], message: 'Type your full name to sign.' }] };
    }
    if (!agree.querySelector('input').checked) {
      return { userErrors: [{ field: null, message: 'Tick the box to say you agree to the document.' }] };
    }
    const payload = await page.api.mutate('SignDocument', 'signDocument', { documentId: document.id, signerName: name.value.trim() });
    if (!payload.userErrors.length) {
      page.notify('Thank you: the document is signed.');
      page.navigate(page.url.pathname, { replace: true });
    }
    return payload;
  }, { busyText: 'Signing…' });
  return wrap(form, status);
}
