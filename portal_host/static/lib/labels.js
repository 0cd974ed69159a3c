// Words for the API's enum values, and the tone each status is shown in.

const WORDS = {
  NO_RESPONSE: 'Awaiting your answer', READ: 'Opened', REVIEWED: 'Reviewed',
  ACCEPTED: 'Accepted', DECLINED: 'Declined', EXPIRED: 'Expired', DRAFT: 'Draft',
  OPEN: 'Open', OVERDUE: 'Overdue', PARTIALLY_PAID: 'Partly paid', PAID: 'Paid', VOID: 'Void',
  UNSCHEDULED: 'Not yet scheduled', SCHEDULED: 'Scheduled', IN_PROGRESS: 'In progress',
  COMPLETED: 'Completed', FAILED: 'Attempted', CANCELLED: 'Cancelled',
  SENT: 'Sent', VIEWED: 'Viewed', SIGNED: 'Signed',
  SUCCEEDED: 'Paid', DELIVERY: 'Delivery', PICKUP: 'Pickup', EXCHANGE: 'Exchange (swap)',
  DUMP_AND_RETURN: 'Dump and return', RELOCATE: 'Relocation', LIVE_LOAD: 'Live load',
  JUNK_REMOVAL: 'Junk removal', MATERIAL_DELIVERY: 'Material delivery', PROJECT: 'Project',
  GENERAL_DEBRIS: 'General debris', CONSTRUCTION: 'Construction debris', ROOFING: 'Roofing',
  CONCRETE: 'Concrete', DIRT: 'Dirt', YARD_WASTE: 'Yard waste', MIXED_RECYCLING: 'Mixed recycling',
  RENTAL_AGREEMENT: 'Rental agreement', TERMS_AND_CONDITIONS: 'Terms and conditions',
  ESTIMATE_SIGNATURE: 'Estimate signature', INVOICE_SIGNATURE: 'Invoice signature', OTHER: 'Other',
  CASH: 'Cash', CHECK: 'Check', CARD: 'Card', ACH: 'Bank transfer (ACH)',
  NEW: 'Received', DEFAULT: 'Default',
  STAFF: 'Staff', CLIENT: 'You', PARTNER: 'Partner', SYSTEM: 'Automatic',
};

const TONES = {
  good: ['ACCEPTED', 'PAID', 'COMPLETED', 'SIGNED', 'SUCCEEDED'],
  warn: ['NO_RESPONSE', 'OVERDUE', 'PARTIALLY_PAID', 'FAILED', 'UNSCHEDULED'],
  muted: ['DECLINED', 'EXPIRED', 'VOID', 'CANCELLED', 'DRAFT'],
};

export function label(value) {
  if (value === null || value === undefined) return '—';
  return WORDS[value] ?? value.charAt(0) + value.slice(1).toLowerCase().replaceAll('_', ' ');
}

export function tone(status) {
  return Object.keys(TONES).find((name) => TONES[name].includes(status)) ?? 'info';
}

export function address(value) {
  if (!value) return '—';
  const street = [value.line1, value.line2].filter(Boolean).join(', ');
  return `${street}, ${value.city}, ${value.region} ${value.postalCode}`;
}
