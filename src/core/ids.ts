import { randomBytes } from 'node:crypto';

// Time-sortable, filename-safe ids: 10 characters of millisecond time followed by 12 random
// characters, all from a base-32 alphabet in ASCII order, so that sorting ids sorts by creation
// time. Within one millisecond the random part is incremented, keeping ids from one process
// strictly increasing.

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_LENGTH = 10;
const RANDOM_LENGTH = 12;

export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

let lastTime = -1;
let lastRandom: number[] = [];

function encodeTime(time: number): string {
  let out = '';
  let rest = time;
  for (let i = 0; i < TIME_LENGTH; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function freshRandom(): number[] {
  return Array.from(randomBytes(RANDOM_LENGTH), (byte) => byte % 32);
}

function increment(digits: number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i] < 31) {
      next[i]++;
      return next;
    }
    next[i] = 0;
  }
  return freshRandom();
}

export function newId(now: number = Date.now()): string {
  lastRandom = now === lastTime ? increment(lastRandom) : freshRandom();
  lastTime = now;
  return encodeTime(now) + lastRandom.map((digit) => ALPHABET[digit]).join('');
}

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}
