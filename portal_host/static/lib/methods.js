// A saved card or bank account in words.
import { label } from './labels.js';

export function methodName(method) {
  const who = method.kind === 'CARD' ? method.brand ?? 'Card' : method.bankName ?? label('ACH');
  const expiry = method.expMonth ? `, expires ${String(method.expMonth).padStart(2, '0')}/${method.expYear}` : '';
  return `${who} ending ${method.lastFour}${expiry}`;
}
