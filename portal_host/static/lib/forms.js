// Forms of the action pages: labelled fields, the API's userErrors shown
// beside the field they name, and a submit that cannot run twice at once.
import { ApiError } from './api.js';
import { h } from './dom.js';

let fields = 0;

/** A labelled control; `control` is an input, select or textarea element. */
export function field(labelText, control, { hint, id } = {}) {
  control.id ||= id ?? `field-${++fields}`;
  const hintId = hint ? `${control.id}-hint` : null;
  const errorId = `${control.id}-error`;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', describedBy);
  const error = h('p', { id: errorId, class: 'field-error', hidden: true });
  const wrapper = h('div', { class: 'field', 'data-field': control.name || null },
    h('label', { for: control.id }, labelText),
    hint ? h('p', { id: hintId, class: 'hint' }, hint) : null,
    control, error);
  wrapper.control = control;
  wrapper.showError = (message) => {
    error.textContent = message ?? '';
    error.hidden = !message;
    if (message) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  };
  return wrapper;
}

/** A checkbox with its label to the right. */
export function checkbox(labelText, attributes = {}) {
  const input = h('input', { type: 'checkbox', ...attributes });
  input.id ||= `field-${++fields}`;
  return h('div', { class: 'check' }, input, h('label', { for: input.id }, labelText));
}

export function select(name, options, selected) {
  return h('select', { name }, options.map(([value, text]) =>
    h('option', { value, selected: String(value) === String(selected) }, text)));
}

/** A new key for one attempt of a money-moving mutation. */
export function idempotencyKey() {
  return window.crypto.randomUUID();
}

/**
 * Runs `action` on submit and shows what came of it in `status`.
 *
 * `action` answers a payload with `userErrors`; each error whose `field`
 * ends in the name of one of `form`'s fields is shown under that field, the
 * others in `status`. Answers true when the payload had no errors.
 */
export function submitting(form, status, action, { busyText = 'Saving…' } = {}) {
  const buttons = () => [...form.querySelectorAll('button[type=submit]')];
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (form.dataset.busy) return;
    form.dataset.busy = 'true';
    const labels = buttons().map((button) => button.textContent);
    for (const button of buttons()) {
      button.disabled = true;
      if (button === event.submitter) button.textContent = busyText;
    }
    clearErrors(form);
    status.replaceChildren();
    form.setAttribute('aria-busy', 'true');
    try {
      const payload = await action(event.submitter);
      if (payload?.userErrors?.length) showErrors(form, status, payload.userErrors);
    } catch (error) {
      const message = error instanceof ApiError ? error.message : 'Something went wrong. Try again.';
      status.replaceChildren(h('p', { class: 'notice notice--error', role: 'alert' }, message));
    } finally {
      delete form.dataset.busy;
      form.removeAttribute('aria-busy');
      buttons().forEach((button, index) => {
        button.disabled = false;
        if (labels[index] !== undefined) button.textContent = labels[index];
      });
    }
  });
}

export function clearErrors(form) {
  for (const wrapper of form.querySelectorAll('.field')) wrapper.showError?.(null);
}

export function showErrors(form, status, userErrors) {
  const general = [];
  let first = null;
  for (const error of userErrors) {
    const name = error.field?.[error.field.length - 1];
    const wrapper = name ? form.querySelector(`.field[data-field="${CSS.escape(name)}"]`) : null;
    if (wrapper?.showError) {
      wrapper.showError(error.message);
      first ??= wrapper.control;
    } else general.push(error.message);
  }
  if (general.length) {
    status.replaceChildren(h('div', { class: 'notice notice--error', role: 'alert' },
      general.map((message) => h('p', {}, message))));
  }
  first?.focus();
}

/** A notice that the staff preview cannot do this. */
export function readOnlyNotice(what) {
  return h('p', { class: 'notice notice--info read-only-note' },
    `Staff view — read only: ${what} is not available in a preview.`);
}
