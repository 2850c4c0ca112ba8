import { NewMessage, NewSession } from '../../core/model';

// Deterministic sample chats for the benchmark: ~1 KB messages drawn from a Zipf-like vocabulary,
// so that search words range from very common to rare, as in real chat text.

const VOCABULARY_SIZE = 5_000;
const MESSAGE_BYTES = 1_000;

export const COMMON_WORD = wordAt(3);
export const MEDIUM_WORD = wordAt(300);
export const RARE_WORD = wordAt(4_000);

function wordAt(rank: number): string {
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'pu'];
  let word = '';
  let rest = rank + 10;
  while (rest > 0) {
    word += syllables[rest % 10];
    rest = Math.floor(rest / 10);
  }
  return word;
}

/** A small, fast, seeded generator (mulberry32), so every run benchmarks the same data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sampleText(random: () => number, bytes = MESSAGE_BYTES): string {
  const words: string[] = [];
  let length = 0;
  while (length < bytes) {
    // Inverse-power draw: low ranks (common words) come up far more often than high ones.
    const word = wordAt(Math.floor(VOCABULARY_SIZE ** random()) - 1);
    words.push(word);
    length += word.length + 1;
  }
  return words.join(' ');
}

export function sampleMessages(random: () => number, count: number): NewMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    role: i % 2 === 0 ? 'user' : 'assistant',
    content: sampleText(random),
  }));
}

export function sampleSession(random: () => number, index: number, messageCount: number): NewSession {
  return {
    title: `Session ${index}: ${sampleText(random, 30)}`,
    tags: index % 10 === 0 ? ['bench', 'tenth'] : ['bench'],
    messages: sampleMessages(random, messageCount),
  };
}
