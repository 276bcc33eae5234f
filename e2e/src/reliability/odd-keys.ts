/**
 * Keys that test every path a key takes (listing, inventories, key lists, GETs, per-file
 * results), under `odd/`: shared by the suites so each input kind proves the same keys.
 */

/** A key of exactly 1,024 UTF-8 bytes under `odd/`, in segments s3rver can store as file names. */
export const LONG_KEY = `odd/${'k'.repeat(200)}/${'l'.repeat(200)}/${'m'.repeat(200)}/${'n'.repeat(200)}/${'é'.repeat(92)}${'z'.repeat(28)}.txt`;
export const CONTROL_KEYS = ['odd/ctl\u0001\u001f\u007f.txt', 'odd/tab\tname.txt', 'odd/cr\rand-lf\n.txt'];
export const RESERVED_KEY = "odd/!#$&'()*+,;=:@[]?%25 % sp.txt";
