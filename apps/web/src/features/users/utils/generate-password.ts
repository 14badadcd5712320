/** No 0/O, 1/l/I: a temporary password is read aloud or copied by hand. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A temporary password (the user must change it at next sign-in): 4-character groups joined by "-",
 * from a cryptographic source, without modulo bias.
 */
export function generatePassword(groups = 4, random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  const chars: string[] = [];
  const limit = 256 - (256 % ALPHABET.length);
  while (chars.length < groups * 4) {
    for (const byte of random(32)) {
      if (byte < limit && chars.length < groups * 4) chars.push(ALPHABET[byte % ALPHABET.length]!);
    }
  }
  const out: string[] = [];
  for (let i = 0; i < groups; i++) out.push(chars.slice(i * 4, i * 4 + 4).join(''));
  return out.join('-');
}
