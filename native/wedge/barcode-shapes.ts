/**
 * Barcodes a scanner types into the EHR all day and a badge reader never does: GTIN-12 (UPC-A), GTIN-13
 * (EAN-13) and GTIN-14, recognised by their GS1 mod-10 check digit. EAN-8 is left out on purpose: eight digits
 * is also the common decimal badge (facility 3 + card 5), and one in ten of those would pass its check digit;
 * sites that scan 8-digit codes name them in the reader's `passThrough` patterns (docs/readers.md).
 */
const GTIN_LENGTHS = new Set([12, 13, 14]);

export function isGtinBarcode(text: string): boolean {
  if (!GTIN_LENGTHS.has(text.length) || !/^[0-9]+$/.test(text)) return false;
  let sum = 0;
  // Weights 3, 1, 3, ... from the rightmost digit before the check digit.
  for (let i = text.length - 2, weight = 3; i >= 0; i--, weight = 4 - weight) sum += Number(text[i]) * weight;
  return (10 - (sum % 10)) % 10 === Number(text[text.length - 1]);
}
