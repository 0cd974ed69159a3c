// Signing in: ask for a link by email, or open one (/sign-in#token=…).
// The token is in the fragment, which browsers never send to a server; the
// page reads it, takes it out of the address and exchanges it.
import { ApiError } from '../lib/api.js';
import { h } from '../lib/dom.js';
import { heading } from './common.js';

const LINK_PROBLEMS = {
  EXPIRED: 'This sign-in link has expired: links work for 30 minutes.',
  USED: 'This sign-in link was used already: each link works once.',
  INVALID: 'This sign-in link is not valid. It may have been copied incompletely.',
  ACCESS_OFF: 'Dashboard access is turned off for your account. Contact the business to turn it on.',
};

function tokenOf(url) {
  return new URLSearchParams(url.hash.slice(1)).get('token');
}

export default async function signInPage(page) {
  const token = tokenOf(page.url);
  if (token) {
    // Out of the address bar and history before anything else.
    window.history.replaceState(null, '', '/sign-in');
    const problem = await openLink(page, token);
    if (!problem) return { title: 'Signing in', content: [heading('Signing in…')] };
    return requestForm(page, h('div', { class: 'notice notice--warn', role: 'alert' },
      h('p', {}, LINK_PROBLEMS[problem] ?? LINK_PROBLEMS.INVALID),
      h('p', {}, 'Enter your email below and we will send you a new link.')));
  }
  if (page.viewer) {
    page.navigate('/', { replace: true });
    return { title: 'Sign in', content: [] };
  }
  const notes = {
    'signed-out': 'You are signed out.',
    ended: 'Your session has ended. Sign in again to continue.',
    'preview-ended': 'This staff view of the dashboard has expired. Open it again from the client\u2019s profile.',
  };
  const said = Object.keys(notes).find((name) => page.url.searchParams.has(name));
  return requestForm(page, said ? h('p', { class: 'notice notice--info', role: 'status' }, notes[said]) : null);
}

async function openLink(page, token) {
  const payload = await page.api.mutate('SignInWithLink', 'signInWithLink', { token });
  if (payload.userErrors.length || !payload.accessToken) {
    return payload.userErrors[0]?.code ?? 'INVALID';
  }
  page.signedIn(payload.accessToken, payload.expiresAt);
  return null;
}

function requestForm(page, notice) {
  const email = h('input', {
    id: 'sign-in-email', name: 'email', type: 'email', autocomplete: 'email', required: true,
    'aria-describedby': 'sign-in-help',
  });
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'button' }, 'Email me a sign-in link');

  async function request(event) {
    event.preventDefault();
    if (!email.value.trim()) {
      status.replaceChildren(h('p', { class: 'notice notice--error' }, 'Enter your email address.'));
      email.focus();
      return;
    }
    submit.disabled = true;
    status.replaceChildren(h('p', {}, 'Sending…'));
    try {
      await page.api.mutate('RequestSignInLink', 'requestSignInLink', { email: email.value.trim() });
      status.replaceChildren(h('p', { class: 'notice notice--good' },
        `If ${email.value.trim()} may sign in, a link is on its way. Open it on this device within 30 minutes.`));
    } catch (error) {
      const message = error instanceof ApiError ? error.message : 'The link could not be requested. Try again.';
      status.replaceChildren(h('p', { class: 'notice notice--error' }, message));
    } finally {
      submit.disabled = false;
    }
  }

  return {
    title: 'Sign in',
    content: [
      heading('Sign in to your dashboard'),
      notice,
      h('form', { class: 'form', novalidate: true, onsubmit: request },
        h('label', { for: 'sign-in-email' }, 'Email address'),
        email,
        h('p', { id: 'sign-in-help', class: 'hint' },
          'Use the address the business has on file for you. We email you a link that signs you in; no password needed.'),
        submit),
      status,
    ],
  };
}
