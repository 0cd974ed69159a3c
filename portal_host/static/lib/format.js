// Money and dates as the business's locale and time zone write them.

export class Formats {
  constructor({ locale = 'en-US', timeZone = 'UTC', currency = 'USD' } = {}) {
    this.locale = locale;
    this.timeZone = timeZone;
    this.currency = currency;
    this.moneyFormats = new Map();
    this.dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    this.dateTimeFormat = new Intl.DateTimeFormat(locale, {
      dateStyle: 'medium', timeStyle: 'short', timeZone,
    });
    this.numberFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  }

  /** A Money value; its decimal string is formatted exactly, never as a float. */
  money(value) {
    if (!value) return '—';
    const currency = value.currency ?? this.currency;
    if (!this.moneyFormats.has(currency)) {
      this.moneyFormats.set(currency, new Intl.NumberFormat(this.locale, { style: 'currency', currency }));
    }
    return this.moneyFormats.get(currency).format(value.amount);
  }

  /** The currency's number of minor digits (2 for USD, 0 for JPY). */
  minorDigits(currency = this.currency) {
    return new Intl.NumberFormat(this.locale, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  }

  /** A Money value's decimal amount as the person would type it ("1234.50"). */
  moneyInput(value) {
    if (!value) return '';
    const decimal = this.decimalSeparator();
    return value.amount.replace('.', decimal);
  }

  decimalSeparator() {
    return new Intl.NumberFormat(this.locale).formatToParts(1.5).find((part) => part.type === 'decimal')?.value ?? '.';
  }

  /**
   * Typed money ("1,234.5", "$20") as integer minor units, exactly (no
   * floats); null when it is not an amount.
   */
  toMinorUnits(text, currency = this.currency) {
    const decimal = this.decimalSeparator();
    const digits = this.minorDigits(currency);
    const cleaned = String(text).trim().replace(/[^\d.,\-]/g, '');
    const [whole, fraction = '', extra] = cleaned.split(decimal).map((part) => part.replace(/[^\d-]/g, ''));
    if (extra !== undefined || !/^\d*$/.test(whole) || !/^\d*$/.test(fraction)) return null;
    if (!whole && !fraction) return null;
    if (fraction.length > digits) return null;
    return Number(whole || '0') * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  }

  /** A calendar date ("2026-12-03"): the same day everywhere, so read as UTC. */
  date(isoDate) {
    if (!isoDate) return '—';
    return this.dateFormat.format(new Date(`${isoDate}T00:00:00Z`));
  }

  /** Today's date where the business is ("2026-12-04"), as date inputs want it. */
  today(now = new Date()) {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: this.timeZone, year: 'numeric', month: '2-digit', day: '2-digit',
    }).formatToParts(now);
    const part = (type) => parts.find((entry) => entry.type === type).value;
    return `${part('year')}-${part('month')}-${part('day')}`;
  }

  /** An instant, in the business's time zone. */
  dateTime(isoDateTime) {
    if (!isoDateTime) return '—';
    return this.dateTimeFormat.format(new Date(isoDateTime));
  }

  /** A decimal string such as a quantity or tons ("2.50"). */
  number(decimal) {
    return decimal === null || decimal === undefined ? '—' : this.numberFormat.format(decimal);
  }
}
