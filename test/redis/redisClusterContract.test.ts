import { describe } from 'node:test';
import { sessionStoreContract } from '../contract/sessionStoreContract';
import { redisFixture, redisTestBed } from './redisFixtures';

// The whole store contract, unchanged, on a 3-master Redis Cluster the file starts itself.

describe('Redis store on a 3-master cluster', { timeout: 120_000 }, () => {
  sessionStoreContract('redis cluster', redisFixture(redisTestBed('cluster')), { durable: true });
});
