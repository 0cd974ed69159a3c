// New cards and bank accounts, as the payment processor's tokens.
//
// Card and account numbers never reach the dashboard or the API: the
// processor turns them into a token in the browser. The business runs the
// processor's sandbox here, which takes only its test tokens, so the form
// offers those in place of the processor's number fields.

export const NEW_METHODS = {
  CARD: [
    ['tok_visa', 'Visa ending 4242 (test card that pays)'],
    ['tok_mastercard', 'Mastercard ending 4444 (test card that pays)'],
    ['tok_chargeDeclined', 'Card that is declined (test)'],
    ['tok_insufficientFunds', 'Card without enough funds (test)'],
  ],
  ACH: [
    ['btok_success', 'Checking account ending 6789 (test account that pays)'],
    ['btok_accountClosed', 'Closed account (test)'],
    ['btok_insufficientFunds', 'Account without enough funds (test)'],
  ],
};
