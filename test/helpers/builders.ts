import { NewMessage, NewSession } from '../../src/core/model';

export function aSession(overrides: Partial<NewSession> = {}): NewSession {
  return { title: 'Refactor the parser', tags: ['work'], ...overrides };
}

export function aMessage(overrides: Partial<NewMessage> = {}): NewMessage {
  return { role: 'user', content: 'How do I make this faster?', ...overrides };
}

export function someMessages(count: number, prefix = 'message'): NewMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    role: i % 2 === 0 ? 'user' : 'assistant',
    content: `${prefix} number ${i}`,
  }));
}
