import { describe } from 'node:test';
import { sessionStoreContract } from '../contract/sessionStoreContract';
import { redisFixture, redisTestBed } from './redisFixtures';

// The whole store contract, unchanged, on a standalone redis-server the file starts itself.

describe('Redis store on a standalone server', { timeout: 120_000 }, () => {
  sessionStoreContract('redis standalone', redisFixture(redisTestBed('standalone')), { durable: true });
});
